"""Stage 3: a question (or an example phrasing) as a weighted bag of features for the classifier.

Network names are masked first (`SLOT`), so one example serves every network
and a network's name never decides an intent.  Then, per word:

* the word itself (`w:pristupio`);
* its stem, the word without a known case ending (`s:pristup`), so `приступио`,
  `приступила`, `приступање`, `приступања` meet;
* its character n-grams of two to five letters, padded with spaces
  (`c: pr`, `c:pri`, …), so words the examples never used still meet the
  examples' words they resemble (`pristupijo`, `konferenciji`, typos).

Counts are damped (1 + log) and the vector is scaled to length 1, so a long
question weighs no more than a short one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from bot.cache import Memo
from bot.lexicon import Lexicon
from bot.understanding.types import Mention

SLOT = "#"
NGRAMS = (2, 3, 4, 5)

Features = dict[str, float]


def masked(tokens: Sequence[str], mentions: Sequence[Mention]) -> list[str]:
    """The tokens with every network mention replaced by SLOT."""
    result = list(tokens)
    for mention in sorted(mentions, key=lambda m: -m.start):
        result[mention.start : mention.end] = [SLOT]
    return result


FEATURED_WORDS = 5_000  # a word's features are its n-grams, ~5 KB for a long one: fewer kept than elsewhere


class Featuriser:
    """Tokens → features, with the words' own features cached (they do not depend on their neighbours)."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._words: Memo[str, tuple[str, ...]] = Memo(FEATURED_WORDS)

    def __call__(self, tokens: Sequence[str]) -> Features:
        counts: Counter[str] = Counter()
        for token in tokens:
            counts.update(self.word(token))
        # (1 + log 1 is 1: most features occur once, and the logarithm is the costly part)
        weights = {feature: 1.0 + math.log(count) if count > 1 else 1.0 for feature, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {feature: w / norm for feature, w in weights.items()}

    def word(self, token: str) -> tuple[str, ...]:
        """One word's features (n-grams, stem, the word): they do not depend on its neighbours."""
        return self._words.get(token, self._features_of_word)

    def _features_of_word(self, token: str) -> tuple[str, ...]:
        if token == SLOT:
            return ("w:" + token,)
        padded = f" {token} "
        grams = ["c:" + padded[i : i + size] for size in NGRAMS for i in range(len(padded) - size + 1)]
        return ("w:" + token, "s:" + self.lexicon.stem(token), *grams)


def featurise(tokens: Sequence[str], lexicon: Lexicon) -> Features:
    """The features of one token list (a `Featuriser` is faster for many)."""
    return Featuriser(lexicon)(tokens)
