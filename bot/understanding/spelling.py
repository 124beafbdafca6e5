"""Typos in the words the bot's lists give a meaning: `нациоанлне` is `nacionalne`, as staff wrote it.

The lists of language.yml are matched word for word (a scope, a question word, a superlative), so a typo in
one of them loses what it says, though the classifier and the fact search forgive it. `Speller` puts the
list's word back: for a word no example, fact or list writes, of `min_length` letters or more, the one list
word of its length's typos (`Config.max_edits`), if exactly one is that near.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.cache import Memo
from bot.thresholds import DEFAULT, Config


class Speller:
    def __init__(
        self,
        listed: Iterable[str],
        written: Callable[[str], bool],
        config: Config = DEFAULT,
        min_length: int = 7,
    ):
        """`listed`: the lists' words (folded); `written`: whether some example, fact or list writes a word as
        it is (then it is no typo, whatever it is near)."""
        self.listed = sorted({word for word in listed if len(word) >= min_length - 1})
        self.written = written
        self.config = config
        self.min_length = min_length
        self._fixed: Memo[str, str] = Memo()

    def __call__(self, word: str) -> str:
        if len(word) < self.min_length or not word.isalpha():
            return word
        return self._fixed.get(word, self._fix)

    def _fix(self, word: str) -> str:
        if self.written(word):
            return word
        cutoff = min(1, self.config.max_edits(len(word)))
        near = process.extract(word, self.listed, scorer=OSA.distance, score_cutoff=cutoff, limit=2)
        return near[0][0] if len(near) == 1 else word
