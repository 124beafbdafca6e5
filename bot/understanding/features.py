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

from bot.lexicon import Lexicon
from bot.understanding.networks import Mention

SLOT = "#"
NGRAMS = (2, 3, 4, 5)

Features = dict[str, float]


def masked(tokens: Sequence[str], mentions: Sequence[Mention]) -> list[str]:
    """The tokens with every network mention replaced by SLOT."""
    result = list(tokens)
    for mention in sorted(mentions, key=lambda m: -m.start):
        result[mention.start : mention.end] = [SLOT]
    return result


def featurise(tokens: Sequence[str], lexicon: Lexicon) -> Features:
    counts: Counter[str] = Counter()
    for token in tokens:
        counts["w:" + token] += 1
        if token == SLOT:
            continue
        counts["s:" + lexicon.stem(token)] += 1
        padded = f" {token} "
        for size in NGRAMS:
            for index in range(len(padded) - size + 1):
                counts["c:" + padded[index : index + size]] += 1
    weights = {feature: 1.0 + math.log(count) for feature, count in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {feature: w / norm for feature, w in weights.items()}
