"""Alternatives in an example: `(Када|Од када) је Ниш (приступио|ушао у) {network}?` is four phrasings.

`(Град |)Ниш` makes a word optional.  A line may give at most `MAX_ALTERNATIVES`
phrasings; more is a typo or a line to split, and is reported, as are
parentheses that do not pair.
"""

from __future__ import annotations

import re

from bot.checks import Problems
from bot.yamlsource import Position

MAX_ALTERNATIVES = 64  # phrasings one line may expand to: more is a typo or a line to split
_GROUP = re.compile(r"\(([^()]*)\)")


def expand_alternatives(line: str, position: Position, where: str, problems: Problems) -> list[str]:
    """`(а|б) в (г|)` → `а в г`, `а в`, `б в г`, `б в`; problems for unmatched parentheses or too many."""
    groups = _GROUP.findall(line)
    if "(" in _GROUP.sub("", line) or ")" in _GROUP.sub("", line):
        problems.error(position, f"{where}: заграде у примеру нису упарене: „{line}“")
        return []
    choices = [group.split("|") for group in groups]
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_ALTERNATIVES:
        problems.error(
            position,
            f"{where}: пример даје {count} питања, а дозвољено је до {MAX_ALTERNATIVES}; поделите га: „{line}“",
        )
        return []
    texts = [""]
    for index, piece in enumerate(_GROUP.split(line)):
        options = piece.split("|") if index % 2 else [piece]
        texts = [text + option for text in texts for option in options]
    return list(dict.fromkeys(" ".join(text.split()) for text in texts if text.strip()))
