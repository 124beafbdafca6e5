"""Score how well a question matches each intent's example phrasings.

Questions and examples are reduced to their content words: folded, stop words
dropped, and any network name replaced by one slot token (`{network}` in the
examples).  For every intent two things are measured, weighting each word by
how specific it is to few intents (inverse document frequency over intents,
so `основан` counts more than `када`):

* precision: how much of the question the intent's examples explain
  (all its examples together, so phrasings combine: `web stranica ECAD`);
* recall: how much of its closest single example the question contains.

The score is their F-beta (precision weighed more), from 0 to 1.  Words meet
when their case-ending variants meet, or by a small edit distance for longer
words (typos).  Unlike rapidfuzz's `token_set_ratio`, words the intent cannot
explain lower the score, so `када је основан Ниш` is not `када је основан
{network}` (see ../shared/matching-notes.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.intents import PLACEHOLDER, Example
from bot.lexicon import Lexicon
from bot.network_finder import FUZZY_MIN_LENGTH, max_edits
from bot.script import fold_tokens

SLOT = "<network>"
SLOT_WEIGHT = 1.0
# F-beta with beta < 1 weighs precision (the question is explained) above recall
# (the question says everything an example says): `циљ AVEC` is a fine question.
BETA2 = 0.7**2


@dataclass(frozen=True)
class IntentScore:
    intent: str
    score: float
    example: str  # the closest example
    unexplained: tuple[str, ...]  # question words no example of the intent accounts for
    recall: float  # share of the closest example the question contains


@dataclass(frozen=True)
class _IndexedExample:
    intent: str
    text: str
    words: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def total(self) -> float:
        return sum(self.weights)


class IntentMatcher:
    def __init__(self, examples: tuple[Example, ...], lexicon: Lexicon):
        self.lexicon = lexicon
        unique: dict[tuple[str, tuple[str, ...]], str] = {}
        for phrasing in examples:
            words = tuple(self.content_words(example_tokens(phrasing.text)))
            if words:
                unique.setdefault((phrasing.intent, words), phrasing.text)
        # variant -> intents whose examples use it; the basis of the word weights
        self._intents_of: dict[str, set[str]] = defaultdict(set)
        for (intent, words), _ in unique.items():
            for word in words:
                for variant in self._variants(word):
                    self._intents_of[variant].add(intent)
        self.intent_count = max(1, len({intent for intent, _ in unique}))
        self.examples = [
            _IndexedExample(intent, text, words, tuple(self._weight(self._known_variants(w)) for w in words))
            for (intent, words), text in unique.items()
        ]
        # variant -> (example index, word position) postings
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, example in enumerate(self.examples):
            for position, word in enumerate(example.words):
                for variant in self._variants(word):
                    self._postings[variant].append((index, position))
        self.vocabulary = sorted(self._postings)

    def content_words(self, tokens: list[str]) -> list[str]:
        """Words that carry meaning: no stop words, no stray single letters (`<b>` folds to `b`)."""
        return [t for t in tokens if len(t) > 1 and not self.lexicon.is_stopword(t)]

    def knows_word(self, word: str) -> bool:
        """Whether any example uses this word (up to case endings)."""
        return bool(self._known_variants(word))

    def score(self, words: list[str]) -> dict[str, IntentScore]:
        """The score of every intent that shares a word with the question (SLOT where a network stood)."""
        if not words:
            return {}
        looked_up = [self._lookup(word) for word in words]
        weights = [self._weight([variant for variant, _ in found]) for found in looked_up]
        total = sum(weights)
        explained: dict[str, dict[int, float]] = defaultdict(dict)  # intent -> question word -> match
        covered: dict[int, dict[int, float]] = defaultdict(dict)  # example -> example word -> match
        for q_index, found in enumerate(looked_up):
            for variant, match in found:
                for intent in self._intents_of[variant]:
                    explained[intent][q_index] = max(match, explained[intent].get(q_index, 0.0))
                for example_index, position in self._postings[variant]:
                    covered[example_index][position] = max(match, covered[example_index].get(position, 0.0))
        scores: dict[str, IntentScore] = {}
        for example_index, positions in covered.items():
            example = self.examples[example_index]
            recall = sum(example.weights[p] * m for p, m in positions.items()) / example.total
            current = scores.get(example.intent)
            if current is not None and current.recall >= recall:
                continue
            matched = explained[example.intent]
            precision = sum(weights[i] * m for i, m in matched.items()) / total
            denominator = BETA2 * precision + recall
            score = (1 + BETA2) * precision * recall / denominator if denominator else 0.0
            unexplained = tuple(w for i, w in enumerate(words) if i not in matched)
            scores[example.intent] = IntentScore(example.intent, score, example.text, unexplained, recall)
        return scores

    def _variants(self, word: str) -> frozenset[str]:
        return frozenset((word,)) if word == SLOT else self.lexicon.variants(word)

    def _known_variants(self, word: str) -> list[str]:
        return [v for v in self._variants(word) if v in self._intents_of]

    def _weight(self, variants: list[str]) -> float:
        """How telling a word is: high when few intents use it; unknown words count fully."""
        if SLOT in variants:
            return SLOT_WEIGHT
        intents: set[str] = set()
        for variant in variants:
            intents.update(self._intents_of.get(variant, ()))
        return math.log(1 + self.intent_count / max(1, len(intents)))

    def _lookup(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary variants this word meets, with a match below 1 for typos."""
        found = [(v, 1.0) for v in self._known_variants(word)]
        if found or word == SLOT or len(word) < FUZZY_MIN_LENGTH:
            return found
        edits = max_edits(len(word))
        for near, distance, _ in process.extract(
            word, self.vocabulary, scorer=Levenshtein.distance, score_cutoff=edits, limit=5
        ):
            found.append((near, 1.0 - distance / max(len(word), len(near))))
        return found


def example_tokens(text: str) -> list[str]:
    """Folded tokens of an example phrasing, with SLOT where `{network}` stands."""
    tokens: list[str] = []
    for index, part in enumerate(text.split(PLACEHOLDER)):
        if index:
            tokens.append(SLOT)
        tokens.extend(fold_tokens(part))
    return tokens
