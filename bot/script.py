"""Serbian scripts: tell which one a text is written in, fold text for matching, render Latin.

Two directions, on purpose asymmetric (see docs/matching.md):

* `fold` turns any question into plain lower-case ASCII-ish Latin for matching:
  Cyrillic → Latin, no diacritics, `đ` → `d`, case endings joined to the word
  they hang on (`ECAD-у` → `ecadu`), other punctuation → space.
* `to_latin` renders Cyrillic answer text in Serbian Latin with diacritics.
  Latin → Cyrillic is never done: no library does it reliably.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

import cyrtranslit


class Script(StrEnum):
    CYRILLIC = "cyrillic"
    LATIN = "latin"


def detect_script(text: str, default: Script = Script.CYRILLIC) -> Script:
    """The script the user writes in; `default` when there are no letters.

    People who write Latin practically never type Cyrillic letters, while people
    who write Cyrillic often type foreign names in Latin (`Шта је Energy
    Cities?`).  So a few Cyrillic letters make a question Cyrillic.
    """
    cyrillic, latin = len(_CYRILLIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
    if cyrillic == latin == 0:
        return default
    return Script.CYRILLIC if cyrillic >= min(latin, CYRILLIC_LETTERS_ENOUGH) else Script.LATIN


def script_in_conversation(text: str, current: Script) -> Script:
    """The script of a message in a conversation written so far in `current`: as `detect_script`, but a message
    with any Cyrillic letter keeps a Cyrillic conversation Cyrillic (`А Energy Cities?`: one Cyrillic letter),
    and so does one whose only letters are acronyms (`ECAD?`, `A ECAD?`), written in Latin either way."""
    if current is Script.CYRILLIC and _CYRILLIC_LETTER.search(text):
        return Script.CYRILLIC
    words = _LATIN_WORD.findall(text)
    if current is Script.CYRILLIC and words and all(word.isupper() for word in words):
        return Script.CYRILLIC
    return detect_script(text, default=current)


_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_LATIN_WORD = re.compile("[A-Za-zčćšžđČĆŠŽĐ]+")
_LATIN_LETTER = re.compile("[A-Za-zčćšžđČĆŠŽĐ]")
CYRILLIC_LETTERS_ENOUGH = 3

# cyrtranslit writes all-caps Љ Њ Џ as "Lj Nj Dž"; inside an all-caps word they must be "LJ NJ DŽ".
_CAPITAL_DIGRAPH = re.compile(r"(Lj|Nj|Dž)(?=[A-ZČĆŠŽĐ])|(?<=[A-ZČĆŠŽĐ])(Lj|Nj|Dž)")


@lru_cache(maxsize=4096)  # answers are made of a few hundred texts staff wrote: each is rendered once
def to_latin(text: str) -> str:
    """Serbian Cyrillic → Serbian Latin (with diacritics). Latin text passes through unchanged."""
    latin = cyrtranslit.to_latin(text, "sr")
    return _CAPITAL_DIGRAPH.sub(lambda m: m.group(0).upper(), latin)


def to_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic, only to *suggest* a spelling to staff: foreign words and digraphs such as
    `nadživeti` come out wrong, which is why answers are never made this way."""
    return str(cyrtranslit.to_cyrillic(text, "sr"))


def in_script(text: str, script: Script) -> str:
    """Render text that staff wrote in Cyrillic in the script the user asked in."""
    return to_latin(text) if script is Script.LATIN else text


# Folding. Lower-casing first lets one table cover both cases; the table is the whole Serbian
# Cyrillic alphabet, Macedonian's three letters of its own and the other Slavic Cyrillic letters, so
# folding needs no transliteration library (it is 30× more frequent than rendering: every example and
# fact is folded at start-up).
_FOLD_TABLE = str.maketrans(
    {
        "č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "dj",
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z", "з": "z",
        "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c",
        "ч": "c", "џ": "dz", "ш": "s",
        # Macedonian letters (`меѓународни`, `ќе`, `ѕвезда`), so a neighbour's word is not cut in two
        "ѓ": "dj", "ќ": "c", "ѕ": "dz",
        # Russian, Bulgarian and Ukrainian letters, as a Serbian reader says them (`коя мрежа`, `щом`)
        "я": "ja", "ю": "ju", "ё": "jo", "й": "j", "э": "e", "ы": "i", "щ": "st", "ъ": "", "ь": "",
        "і": "i", "ї": "ji", "є": "je", "ґ": "g",
        # German's sharp s, as Germans write it without it (`größte` → `grosste`, `heißt` → `heisst`)
        "ß": "ss",
    }
)  # fmt: skip
_JOINED_APART = re.compile(r"(?<=\w)[-'’‘`´](?=\w)")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Fold text for matching: `Када је Ниш приступио ECAD-у?` → `kada je nis pristupio ecadu`."""
    latin = text.lower().translate(_FOLD_TABLE).replace("dj", "d")
    if not latin.isascii():  # other accents (é, ü): drop them, keep the letter
        decomposed = unicodedata.normalize("NFKD", latin)
        latin = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", _JOINED_APART.sub("", latin)).strip()


def fold_tokens(text: str) -> list[str]:
    return fold(text).split()
