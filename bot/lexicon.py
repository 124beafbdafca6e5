"""Serbian word handling for matching: stop words and case-ending variants of folded tokens.

The word lists are content and live in `intents/language.yml`; this module
only knows what to do with them.  Serbian inflects nouns, so `Ниш`, `Ниша`,
`Нишу` or `лига`, `лиге`, `лиги` must meet in one form: every token is given
its *variants*, the token itself and the token with each known case ending
cut off (never shorter than three letters).  Two words match when their
variants meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_STEM = 3


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()  # longest first
    followup_markers: frozenset[str] = frozenset()
    _cache: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, stopwords: list[str], suffixes: list[str], followup_markers: list[str]) -> Lexicon:
        ordered = tuple(sorted(set(suffixes), key=len, reverse=True))
        return cls(frozenset(stopwords), ordered, frozenset(followup_markers))

    def variants(self, token: str) -> frozenset[str]:
        """The token and the stems left by cutting each known ending off it."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        forms = {token}
        for suffix in self.suffixes:
            if token.endswith(suffix) and len(token) - len(suffix) >= MIN_STEM:
                forms.add(token[: -len(suffix)])
        result = frozenset(forms)
        if len(self._cache) < 100_000:  # bounded: questions bring unbounded new words
            self._cache[token] = result
        return result

    def is_stopword(self, token: str) -> bool:
        return token in self.stopwords
