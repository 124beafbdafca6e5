"""Text from outside, made safe once where it enters: before it is understood, stored or shown.

Whatever a channel receives (a Telegram message, the web API's JSON, a console
line) passes through `clean` first:

* a code point that cannot be written as UTF-8 (a lone surrogate: `"\\ud800"`
  is valid JSON) or is a Unicode noncharacter becomes U+FFFD, `�`; such a
  character once made the database writer drop a whole batch of other people's
  questions (issue 18);
* control characters go (a line break and a tab become a line break and a
  space), and so do the invisible characters that reorder or hide text (bidi
  overrides and isolates, zero-width spaces, the byte order mark), which would
  otherwise make a stored question read differently on /staff than it was sent;
* the text is put in NFC, so `c` + combining caron and `č` are one letter;
* it is cut at `MAX_CHARS`, more than any message a citizen writes (Telegram's
  own limit is 4,096), so nothing after this point handles unbounded text.

The joiners that emoji and some scripts need (ZWJ, ZWNJ) and emoji tags stay.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 4096
REPLACEMENT = "\ufffd"

# Surrogates (only a lone one survives JSON decoding) and the noncharacters: U+FDD0–U+FDEF, the last two of each plane.
_PLANE_ENDS = "".join(chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
_UNWRITABLE = re.compile(f"[\ud800-\udfff\ufdd0-\ufdef{_PLANE_ENDS}]")
# C0 and C1 controls but the tab and the line breaks; DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidi marks, embeddings, overrides and isolates; zero-width space, word joiner, BOM, soft hyphen, Mongolian
# vowel separator, the invisible operators and the interlinear annotation marks.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def clean(text: str) -> str:
    """The text a channel received, safe to understand, store and show (see the module's docstring)."""
    text = text[: MAX_CHARS * 2]  # what the steps below can shorten only by removing; the last cut is exact
    text = _UNWRITABLE.sub(REPLACEMENT, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)[:MAX_CHARS]
