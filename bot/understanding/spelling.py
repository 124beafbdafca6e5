"""Typos in the words of a scope: `нациоанлне` is `nacionalne`, as staff wrote it in language.yml.

The scopes (`scopes` in language.yml) are matched word for word, so a typo in one lost the narrowing it said
(`нациоанлне мреже ниш` read as every network), though the classifier and the fact search forgive typos.
`Speller` puts the scope's word back: for a word no example, fact or list writes (in any case), of
`min_length` letters or more, the one scope word it is a letter left out, added, or two letters swapped from.

Only those edits, and only the scopes' words: a word one letter from another in the lists is often a real
word of its own (`racionalne` is no `nacionalne`, `osnovna` no `osnovana`, `prevozi` no `prevodi`), and a
reviewer found such words turned into confident wrong answers when every list was corrected towards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.cache import Memo


class Speller:
    def __init__(self, listed: Iterable[str], written: Callable[[str], bool], min_length: int = 8):
        """`listed`: the scopes' words (folded); `written`: whether some example, fact or list writes a word as
        it is (then it is no typo, whatever it is near)."""
        self.written = written
        self.min_length = min_length
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(set(listed)):
            if len(word) >= min_length - 1:
                self._by_length[len(word)].append(word)
        self._fixed: Memo[str, str] = Memo()

    def __call__(self, word: str) -> str:
        if len(word) < self.min_length or not word.isalpha():
            return word
        return self._fixed.get(word, self._fix)

    def _fix(self, word: str) -> str:
        size = len(word)
        near = [
            listed
            for length in (size - 1, size, size + 1)
            if (bucket := self._by_length.get(length))
            for listed, _, _ in process.extract(word, bucket, scorer=OSA.distance, score_cutoff=1, limit=None)
            if _no_substitution(word, listed)
        ]
        # (whether something writes the word is asked last: most words are near no scope word)
        return near[0] if len(near) == 1 and not self.written(word) else word


def _no_substitution(word: str, listed: str) -> bool:
    """One letter left out or added (the lengths differ), or two neighbours swapped (the same letters)."""
    return len(word) != len(listed) or sorted(word) == sorted(listed)
