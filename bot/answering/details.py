"""What a fact's text tells: a place, a month, a day, who did it.

A question can ask for more than a fact holds (`Ког дана је Ниш приступио
ECAD-у?`, and we know only May 2007).  The answer then gives the fact and says
which part we do not have, so the bot never invents a day or a place.  These
tests read the text as staff wrote it, in Serbian orthography:

* a month: a word starting with a month's name (`мају`, `априла`), from language.yml;
* a day: a number from 1 to 31 right before a month (`21–22. априла`);
* a place: a capitalised word after the preposition `у` (`у Истанбулу`; months and
  common nouns are written small: `у мају`, `у оквиру`);
* who: a word saying someone founded or started it (`оснивачи`, `потписао`).
"""

from __future__ import annotations

import re

from bot.lexicon import Lexicon
from bot.script import fold_tokens
from bot.text import is_number

_PLACE = re.compile(r"(?:^|[\s(„\"])[уУuU]\s+[A-ZА-ЯЂЈЉЊЋЏČĆŠŽĐ]")


def tells(text: str, focus: str, lexicon: Lexicon) -> bool:
    """Whether the fact's text holds the part of it that `focus` asks for (unknown focus: yes)."""
    if focus == "where":
        return bool(_PLACE.search(text))
    tokens = fold_tokens(text)
    if focus == "month":
        return any(lexicon.is_month(token) for token in tokens)
    if focus == "day":
        return any(
            is_number(token) and 1 <= int(token) <= 31 and lexicon.is_month(following)
            for token, following in zip(tokens, [*tokens[1:], ""], strict=True)
        ) or _day_range(tokens, lexicon)
    if focus == "who":
        return any(token in lexicon.agent_markers for token in tokens)
    return True


def _day_range(tokens: list[str], lexicon: Lexicon) -> bool:
    """`21–22. априла` folds to `21 22 aprila`: the first day stands two words before the month."""
    return any(
        is_number(first) and is_number(second) and lexicon.is_month(month)
        for first, second, month in zip(tokens, tokens[1:], tokens[2:], strict=False)
    )
