"""What the bot knows of words: which carry meaning, which are filler, and which it has seen.

A word is *explained* when an example of some intent uses it (up to case
endings, or one typo in a longer word), *known* when the examples or the facts
use it, and *unknown* otherwise.  Unknown words are how the pipeline notices a
question asking something we do not keep (`Ко је председник НАЛЕД-а?`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.cache import Memo
from bot.lexicon import Lexicon
from bot.thresholds import DEFAULT, Config
from bot.understanding.features import SLOT
from bot.understanding.message import Span
from bot.understanding.normalise import CONJUNCTIONS
from bot.understanding.search import FactIndex
from bot.understanding.types import FALLBACK


class _Stems:
    """A set of stems, and with them the longer words they came from (`whole_word` letters or more): what a
    typo may be near."""

    def __init__(self, stems: Iterable[str], words: Iterable[str], whole_word: int):
        self.set = set(stems)
        self.entries = frozenset(self.set | {word for word in words if len(word) >= whole_word})


Vocabulary = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # intent -> (stems, words) its examples use


def vocabulary_of(examples: Iterable[tuple[Sequence[str], str]], lexicon: Lexicon) -> Vocabulary:
    """The stems and the words each intent's examples use (the slot left out)."""
    stems: dict[str, set[str]] = defaultdict(set)
    words: dict[str, set[str]] = defaultdict(set)
    for tokens, intent in examples:
        stems[intent].update(lexicon.stem(t) for t in tokens if t != SLOT)
        words[intent].update(t for t in tokens if t != SLOT)
    return {intent: (tuple(sorted(stems[intent])), tuple(sorted(words[intent]))) for intent in stems}


class Words:
    def __init__(self, lexicon: Lexicon, vocabulary: Vocabulary, facts: FactIndex, config: Config = DEFAULT):
        self.lexicon = lexicon
        self.config = config
        whole = config.typo_whole_word
        self._intents = {intent: _Stems(stems, words, whole) for intent, (stems, words) in vocabulary.items()}
        every_stem = {stem for stems, _ in vocabulary.values() for stem in stems}
        every_word = {word for _, words in vocabulary.values() for word in words}
        self._examples = _Stems(every_stem, every_word, whole)
        self._known = _Stems(every_stem | set(facts.idf), every_word, whole)
        self._facts = _Stems(facts.idf, (), whole)
        self._every_entry = sorted(self._known.entries)  # every other _Stems' entries are among these
        self.courtesy_words = {phrase[0] for phrase in lexicon.courtesy if len(phrase) == 1}
        self._met: Memo[tuple[str, _Stems], bool] = Memo()  # (word, which stems) -> found
        self._near: Memo[str, frozenset[str]] = Memo()  # word -> the entries it may be a typo of

    def is_content(self, token: str) -> bool:
        return len(token) > 1 and not self.lexicon.is_stopword(token) and not token.isdigit()

    def is_filler(self, token: str) -> bool:
        """Words that add nothing beside a network's name (`Niš i NALED`, `ECAD organizacija`):
        the city, courtesy, `i`, the kind of thing a network is.

        Stop words such as `je li` are not filler: `je li nis u ekadu` asks something.
        """
        lexicon = self.lexicon
        return (
            len(token) <= 1
            or token in CONJUNCTIONS
            or token in lexicon.city
            or lexicon.is_kind(token)
            or token in lexicon.followup_markers
            or token in self.courtesy_words
        )

    def is_reference(self, token: str) -> bool:
        """Words a follow-up may use on top of the intent's own: `тамо`, `њему`, courtesy."""
        return token in self.lexicon.references or token in self.courtesy_words

    def explained(self, token: str) -> bool:
        """Some example uses the word."""
        return self._meets(token, self._examples)

    def explained_only_by(self, intent: str, token: str) -> bool:
        """Only the intent's examples use the word, and no fact (`фудбалска`: only out-of-scope questions)."""
        stems = self._intents.get(intent)
        if stems is None or not self._meets(token, stems) or self._meets(token, self._facts):
            return False
        return not any(self._meets(token, other) for name, other in self._intents.items() if name != intent)

    def out_of_scope_only(self, token: str) -> bool:
        """Only out-of-scope questions use the word (`фудбалска`); never a stop word, which any question may hold
        (`че`/`ће`: `шведска организација че је Ниш у њу`)."""
        return not self.lexicon.is_stopword(token) and self.explained_only_by(FALLBACK, token)

    def in_facts(self, token: str) -> bool:
        """Some fact or topic of ours writes the word (in any case, or with a typo)."""
        return self._meets(token, self._facts)

    def written(self, token: str) -> bool:
        """Some example, fact or list of language.yml writes the word as it is (or in another case): no typo."""
        stems = self._known.set
        return not stems.isdisjoint(self.lexicon.variants(token)) or token in self.lexicon.written

    def known(self, token: str) -> bool:
        """Some example or fact uses the word."""
        return self._meets(token, self._known)

    def explains(self, intent: str, tokens: Sequence[str]) -> bool:
        """Every content word of the tokens is one the intent's examples use."""
        stems = self._intents.get(intent)
        if stems is None:
            return False
        return all(self._meets(t, stems) for t in tokens if self.is_content(t) and not self.is_reference(t))

    def beyond(self, intent: str, tokens: Sequence[str]) -> tuple[str, ...]:
        """The content words of the tokens that the intent's examples do not use (all of them, for no intent)."""
        stems = self._intents.get(intent)
        words = [t for t in tokens if self.is_content(t) and not self.is_reference(t)]
        return tuple(words) if stems is None else tuple(t for t in words if not self._meets(t, stems))

    def is_proper_noun(self, span: Span, index: int, capitals: Sequence[bool]) -> bool:
        """A capitalised word after the first that is none of ours: not the city, courtesy, a kind or a question."""
        token, lexicon = span.tokens[index], self.lexicon
        if index == 0 or not capitals[index] or token in lexicon.city or lexicon.is_stopword(token):
            return False
        if token in self.courtesy_words or lexicon.is_kind(token):
            return False
        return index not in span.question_words

    def _meets(self, token: str, stems: _Stems) -> bool:
        return self._met.get((token, stems), self._look_up_pair)

    def _look_up_pair(self, key: tuple[str, _Stems]) -> bool:
        return self._look_up(*key)

    def _look_up(self, token: str, stems: _Stems) -> bool:
        stem = self.lexicon.stem(token)
        if stem in stems.set or token in stems.set or token in self.lexicon.references:
            return True
        if self.lexicon.is_kind(token):
            return True
        if len(token) < self.config.typo_min_length:
            return False
        return not stems.entries.isdisjoint(self._near_entries(token))

    def _near_entries(self, token: str) -> frozenset[str]:
        """The entries within the typos a word of its length may carry: one search for every set of stems that
        asks about the word (the examples, the facts, each intent's own), so a word nobody knows costs one."""
        return self._near.get(token, self._search_near)

    def _search_near(self, token: str) -> frozenset[str]:
        cutoff = self.config.max_edits(len(token))
        found = process.extract(token, self._every_entry, scorer=OSA.distance, score_cutoff=cutoff, limit=None)
        return frozenset(entry for entry, _, _ in found)
