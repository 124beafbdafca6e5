"""Find which networks a question names, however it is spelled or inflected.

Every name of a network (its Serbian name, original name, acronym, aliases)
is folded into a sequence of tokens.  A question names a network when such a
sequence stands in it, word after word, where two words are the same when
their case-ending variants meet (`ecadu` ~ `ecad`, `ligi` ~ `liga`) or, for
words of five letters or more, when they are one edit apart per five letters
(`enrgy` ~ `energy`).  Short names (acronyms) must match exactly up to a case
ending, so `nato` never becomes `naled`.  Names that are a single common word
would catch unrelated questions; staff are warned about them at validation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.knowledge import Knowledge
from bot.lexicon import Lexicon
from bot.script import fold_tokens

FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class Mention:
    network_id: str
    start: int  # token index in the folded question
    end: int  # one past the last token
    score: float  # 1.0 for an exact name, less for a misspelt one


@dataclass(frozen=True)
class _Name:
    network_id: str
    tokens: tuple[str, ...]


def max_edits(length: int) -> int:
    """How many typing mistakes a word of this length may carry and still be recognised."""
    return 0 if length < FUZZY_MIN_LENGTH else 1 + (length - FUZZY_MIN_LENGTH) // 5


class NetworkFinder:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon):
        self.lexicon = lexicon
        self.names: list[_Name] = []
        # variant of a name's first word -> indexes into self.names
        self._by_first: dict[str, list[int]] = defaultdict(list)
        self._words: set[str] = set()  # every word of every name, for typo look-ups
        for network in knowledge.networks:
            for name in network.names():
                tokens = tuple(fold_tokens(name))
                if not tokens:
                    continue
                index = len(self.names)
                self.names.append(_Name(network.id, tokens))
                for variant in lexicon.variants(tokens[0]):
                    self._by_first[variant].append(index)
                self._words.update(tokens)
        self._word_list = sorted(self._words)

    def find(self, tokens: list[str]) -> list[Mention]:
        """Mentions in order of appearance; overlapping names resolve to the longest, best one."""
        candidates: list[Mention] = []
        for start, token in enumerate(tokens):
            for name_index in self._names_starting_with(token):
                name = self.names[name_index]
                score = self._match_at(tokens, start, name.tokens)
                if score > 0:
                    candidates.append(Mention(name.network_id, start, start + len(name.tokens), score))
        return _best_non_overlapping(candidates)

    def _names_starting_with(self, token: str) -> set[int]:
        found: set[int] = set()
        for variant in self.lexicon.variants(token):
            found.update(self._by_first.get(variant, ()))
        if len(token) >= FUZZY_MIN_LENGTH and token not in self._words:
            for word in self._close_words(token):
                for variant in self.lexicon.variants(word):
                    found.update(self._by_first.get(variant, ()))
        return found

    def _close_words(self, token: str) -> list[str]:
        edits = max_edits(len(token))
        hits = process.extract(token, self._word_list, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
        return [word for word, _, _ in hits]

    def _match_at(self, tokens: list[str], start: int, name: tuple[str, ...]) -> float:
        if start + len(name) > len(tokens):
            return 0.0
        total = 0.0
        for offset, expected in enumerate(name):
            similarity = self.word_similarity(tokens[start + offset], expected)
            if similarity == 0:
                return 0.0
            total += similarity
        return total / len(name)

    def word_similarity(self, word: str, expected: str) -> float:
        """1.0 when the words are the same up to a case ending; less for a typo; 0 otherwise."""
        if word == expected or self.lexicon.variants(word) & self.lexicon.variants(expected):
            return 1.0
        longest = max(len(word), len(expected))
        edits = max_edits(min(len(word), len(expected)))
        if edits == 0:
            return 0.0
        # a typo in the stem, plus maybe a case ending: compare against every variant of the word
        best = min(Levenshtein.distance(form, expected, score_cutoff=edits + 1) for form in self.lexicon.variants(word))
        return 1.0 - best / longest if best <= edits else 0.0


def _best_non_overlapping(candidates: list[Mention]) -> list[Mention]:
    """Prefer longer, then better-scored mentions; drop any that overlap a preferred one."""
    chosen: list[Mention] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), -m.score, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)
