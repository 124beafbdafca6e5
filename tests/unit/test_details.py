"""What a fact's text tells (a place, a month, a day, who), read as staff write Serbian.

The expectations come from reading each fact in knowledge/networks.yaml.
"""

from __future__ import annotations

import pytest

from bot.answering.details import tells
from bot.loader import Bundle


@pytest.mark.parametrize(
    ("network", "fact", "expected"),
    [
        # „у мају 2007. године, на 14. Конференцији …, у Истанбулу“
        ("ecad", "joined", {"where": True, "month": True, "day": False, "who": False}),
        # „од 2003. године“
        ("energy-cities", "joined", {"where": False, "month": False, "day": False}),
        # „у Београду 21–22. априла 1953. године“
        ("skgo", "founded", {"where": True, "month": True, "day": True, "who": False}),
        # „основан 1997. године; оснивачи су градови Печуј, …“
        ("avec", "founded", {"where": False, "month": False, "day": False, "who": True}),
        # „настао је као иницијатива …, који је финансирао …“
        ("naled", "about", {"who": True}),
        # „у јуну 2006. године; оснивачка декларација потписана је у марту“: no one named
        ("naled", "founded", {"month": True, "day": False, "who": False}),
    ],
)
def test_what_each_fact_tells(bundle: Bundle, network: str, fact: str, expected: dict[str, bool]) -> None:
    text = bundle.knowledge.by_id[network].facts[fact].text
    assert {part: tells(text, part, bundle.lexicon) for part in expected} == expected


@pytest.mark.parametrize(
    ("text", "where"),
    [("у оквиру програма", False), ("у мају 2007.", False), ("седиште је у Кјоту", True), ("(у Истанбулу)", True)],
)
def test_a_place_is_a_capitalised_word_after_the_preposition(bundle: Bundle, text: str, where: bool) -> None:
    assert tells(text, "where", bundle.lexicon) is where
