"""Typos in the words of a scope (`нациоанлне` is `nacionalne`, as staff wrote it in language.yml), and
Ijekavian words (`predsjedava` is `predsedava`).

The scopes (`scopes` in language.yml) are matched word for word, so a typo in one lost the narrowing it said
(`нациоанлне мреже ниш` read as every network), though the classifier and the fact search forgive typos.
`Speller` puts the scope's word back: for a word no example, fact or list writes (in any case), of
`min_length` letters or more, the one scope word it is a letter left out, added, or two letters swapped from.

Only those edits, and only the scopes' words: a word one letter from another in the lists is often a real
word of its own (`racionalne` is no `nacionalne`, `osnovna` no `osnovana`, `prevozi` no `prevodi`), and a
reviewer found such words turned into confident wrong answers when every list was corrected towards.

One more kind of word is put right, towards any word: the Ijekavian form of a word the examples and facts
write in Ekavian (`predsjedava` → `predsedava`, `umjetnošću` → `umetnošću`, `vijeće` → `veće`), as citizens
from Montenegro, Bosnia or Herzegovina write.  Only a word nothing writes, and only to a word something does:
`ije` or `je` after a consonant becomes `e`, in every place or in one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.cache import Memo

_JAT = re.compile(r"(?<=[bcdfghklmnprstvz])i?je")  # the Ijekavian reflex of jat, after a consonant (folded)


class Speller:
    def __init__(
        self, listed: Iterable[str], written: Callable[[str], bool], min_length: int = 8, min_ijekavian: int = 4
    ):
        """`listed`: the scopes' words (folded); `written`: whether some example, fact or list writes a word as
        it is (then it is no typo, whatever it is near); `min_ijekavian`: the shortest word read as Ijekavian
        (`gdje`, `prije`; shorter words with `je` are `je`, `sje`…)."""
        self.written = written
        self.min_length = min_length
        self.min_ijekavian = min_ijekavian
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(set(listed)):
            if len(word) >= min_length - 1:
                self._by_length[len(word)].append(word)
        self._fixed: Memo[str, str] = Memo()

    def __call__(self, word: str) -> str:
        if len(word) < self.min_ijekavian or not word.isalpha():
            return word
        if len(word) < self.min_length and "je" not in word:
            return word
        return self._fixed.get(word, self._fix)

    def _fix(self, word: str) -> str:
        if "je" in word and (ekavian := self._ekavian(word)):
            return ekavian
        if len(word) < self.min_length:
            return word
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

    def _ekavian(self, word: str) -> str | None:
        """The Ekavian form of a word nothing writes, if something writes it: every reflex of jat replaced, or
        one (`djelovanje` → `delovanje`, where the `nje` stays)."""
        places = list(_JAT.finditer(word))
        if not places or self.written(word):
            return None
        everywhere = _JAT.sub("e", word)
        one_by_one = (word[: place.start()] + "e" + word[place.end() :] for place in places)
        return next((form for form in (everywhere, *one_by_one) if self.written(form)), None)


def _no_substitution(word: str, listed: str) -> bool:
    """One letter left out or added (the lengths differ), or two neighbours swapped (the same letters)."""
    return len(word) != len(listed) or sorted(word) == sorted(listed)
