"""Text from outside, made safe once where it enters: before it is understood, stored or shown.

Whatever a channel receives (a Telegram message, the web API's JSON, a console
line) passes through `clean` first:

* a code point that cannot be written as UTF-8 (a lone surrogate: `"\\ud800"`
  is valid JSON) or is a Unicode noncharacter becomes U+FFFD, `�`; such a
  character once made the database writer drop a whole batch of other people's
  questions (issue 18);
* control characters go (a line break and a tab become a line break and a
  space; the Unicode line and paragraph separators a line break), and so do
  the invisible characters that reorder, hide or fake text: bidi overrides and
  isolates, zero-width spaces, the byte order mark, the blanks that look like
  nothing (Hangul fillers, the blank Braille pattern), the combining grapheme
  joiner, tag characters outside an emoji flag, and variation selectors beyond
  the one an emoji may carry (a run of them can hide a whole message); without
  this a stored question would read differently on /staff than it was sent;
* the joiners (ZWJ, ZWNJ) stay where emoji need them and go next to a Latin or
  Cyrillic letter, where they only split a word invisibly (`ni‌s`);
* the text is put in NFC, so `c` + combining caron and `č` are one letter, and
  a letter keeps at most `MAX_MARKS` combining marks (no "zalgo" towers);
* it is cut at `MAX_CHARS`, more than any message a citizen writes (Telegram's
  own limit is 4,096), so nothing after this point handles unbounded text.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 4096
MAX_MARKS = 3  # combining marks on one letter: Serbian needs one
REPLACEMENT = "\ufffd"

# Surrogates (only a lone one survives JSON decoding) and the noncharacters: U+FDD0–U+FDEF, the last two of each plane.
_PLANE_ENDS = "".join(chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
_UNWRITABLE = re.compile(f"[\ud800-\udfff\ufdd0-\ufdef{_PLANE_ENDS}]")
# C0 and C1 controls but the tab and the line breaks; DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidi marks, embeddings, overrides and isolates; zero-width space, word joiner, BOM, soft hyphen, Mongolian
# vowel separator, the invisible operators and the interlinear annotation marks.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    # …and the blanks and joiners that only hide: combining grapheme joiner, Hangul fillers, blank Braille,
    # the ideographic variation selectors
    "\u034f\u115f\u1160\u3164\uffa0\u2800\U000e0100-\U000e01ef]"
)
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
# An emoji flag (🏴 + tag letters + cancel tag) keeps its tags; any other tag character goes.
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]{1,8}\U000e007f)|[\U000e0000-\U000e007f]")
# A variation selector after another one (an emoji needs at most one).
_EXTRA_SELECTORS = re.compile("(?<=[\ufe00-\ufe0f])[\ufe00-\ufe0f]+")
_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u0400-\u04ff]")
# A run of joiners, matched once from its start (a lookahead after `+` tried again from each joiner of a run of
# thousands: quadratic, the second attacker's finding); whether a letter stands beside it is asked after.
_JOINERS = re.compile("[\u200c\u200d]+")
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARK_TOWER = re.compile(f"([{_MARKS}]{{{MAX_MARKS}}})[{_MARKS}]+")


def clean(text: str) -> str:
    """The text a channel received, safe to understand, store and show (see the module's docstring)."""
    text = text[: MAX_CHARS * 2]  # what the steps below can shorten only by removing; the last cut is exact
    text = _UNWRITABLE.sub(REPLACEMENT, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _LINE_SEPARATORS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _TAGS.sub(lambda flag: flag.group(1) or "", text)
    text = _EXTRA_SELECTORS.sub("", text)
    text = _JOINERS.sub(_joiners_outside_words, text)
    text = unicodedata.normalize("NFC", text)
    return _MARK_TOWER.sub(r"\1", text)[:MAX_CHARS]


def _joiners_outside_words(run: re.Match[str]) -> str:
    """A run of joiners stays between emoji, and goes next to a Latin or Cyrillic letter."""
    text, start, end = run.string, run.start(), run.end()
    beside = text[start - 1 : start] + text[end : end + 1]
    return "" if _LETTER.search(beside) else run.group()


def is_number(token: str) -> bool:
    """Whether `token` is written in the digits 0–9 (`str.isdigit` also takes `²` and `٣`, which `int` refuses)."""
    return token.isascii() and token.isdigit()
