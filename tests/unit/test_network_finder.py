"""Recognising network names: inflected, misspelt, in either script, and not where they are absent."""

import pytest

from bot.engine import Engine
from bot.script import fold
from bot.understanding.networks import Mention, _best_non_overlapping, _unambiguous, unknown_name


def networks_in(engine: Engine, text: str) -> list[str]:
    return [m.network_id for m in engine.finder.find(fold(text).split())]


@pytest.mark.parametrize(
    ("text", "network"),
    [
        ("ECAD-у", "ecad"),
        ("ЕКАД", "ecad"),
        ("ecada", "ecad"),
        ("European Cities Against Drugs", "ecad"),
        ("Енерџи ситиз", "energy-cities"),
        ("enrgy citis", "energy-cities"),
        ("ENERGY CITIES", "energy-cities"),
        ("Лиги историјских градова", "league-of-historical-cities"),
        ("ligu istorijskh gradova", "league-of-historical-cities"),
        ("НАЛЕД-а", "naled"),
        ("naledu", "naled"),
        ("Сталне конференције градова и општина", "skgo"),
        ("СКГО", "skgo"),
        ("АВЕК-у", "avec"),
        ("Asocijaciji evropskih gradova kulture", "avec"),
    ],
)
def test_finds_the_network(engine: Engine, text: str, network: str) -> None:
    assert networks_in(engine, text) == [network]


@pytest.mark.parametrize(
    "text",
    ["nato", "НАТО", "лигу шампиона", "цене енергије", "дилера дроге", "istorija grada nisa", "evropski gradovi", "ec"],
)
def test_does_not_see_networks_that_are_not_there(engine: Engine, text: str) -> None:
    assert networks_in(engine, text) == []


def test_several_networks_in_order(engine: Engine) -> None:
    assert networks_in(engine, "da li je nis u naledu i u ecadu") == ["naled", "ecad"]


def test_the_longest_name_wins(engine: Engine) -> None:
    # "Стална конференција" is an alias, but the whole name is a longer match of the same network
    mentions = engine.finder.find(fold("Стална конференција градова и општина").split())
    assert [(m.network_id, m.start, m.end) for m in mentions] == [("skgo", 0, 5)]


def mentions_in(engine: Engine, text: str) -> list[tuple[str, int, int, float]]:
    return [(m.network_id, m.start, m.end, round(m.score, 4)) for m in engine.finder.find(fold(text).split())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a word with one typo scores 1 − 1/its length; a name scores the mean of its words
        ("energy citis", [("energy-cities", 0, 2, round((1 + (1 - 1 / 6)) / 2, 4))]),
        ("enrgy citis", [("energy-cities", 0, 2, round(1 - 1 / 6, 4))]),
        ("ecadu", [("ecad", 0, 1, 1.0)]),  # a case ending is no typo
        ("ecda", [("ecad", 0, 1, 0.9)]),  # an acronym with swapped neighbours scores SWAPPED
        ("nlaed i sgko", [("naled", 0, 1, 0.9), ("skgo", 2, 3, 0.9)]),
        ("stalne konferencije gradova i opstina ekad", [("skgo", 0, 5, 1.0), ("ecad", 5, 6, 1.0)]),
        # half-remembered names: first and last word, most of the rest; 0.8 × the share of words found
        ("лига старих градова", [("league-of-historical-cities", 0, 3, round(0.8 * 2 / 3, 4))]),
        ("stalna konferencija opstina", [("skgo", 0, 3, round(0.8 * 3 / 4, 4))]),
        ("league of historic cities", [("league-of-historical-cities", 0, 4, 0.8)]),
        ("liga x y z gradova", [("league-of-historical-cities", 0, 5, round(0.8 * 2 / 3, 4))]),  # reach: +2
        ("liga x y z w gradova", []),  # the last word too far away
        # a kind's word that begins one network's names only, beside another network: that one, weaker
        ("ecad ili liga", [("ecad", 0, 1, 1.0), ("league-of-historical-cities", 2, 3, 0.8)]),
        ("lige ili energy cities", [("league-of-historical-cities", 0, 1, 0.8), ("energy-cities", 2, 4, 1.0)]),
        ("liga", []),  # alone: any league
        ("ecad i liga sampiona", [("ecad", 0, 1, 1.0)]),  # a league of something else
        ("ecad je u ovoj velikoj ligi", [("ecad", 0, 1, 1.0)]),  # too far, words between
        ("league of historical", []),  # the last word missing
        ("лига историјских", [("league-of-historical-cities", 0, 2, 1.0)]),  # …but an alias: `лига историјска`
        ("stalna opstina", []),  # too small a share of the name
        ("Европска престоница културе", []),  # `европски` is in more than one network's names
    ],
)
def test_mentions_are_placed_and_scored_as_the_rules_say(
    engine: Engine, text: str, expected: list[tuple[str, int, int, float]]
) -> None:
    assert mentions_in(engine, text) == expected


@pytest.mark.parametrize(
    ("words", "network"),
    [(["naldee"], "naled"), (["ecadd"], "ecad"), (["nxldxx"], None), (["ab"], None), (["eurocities"], None)],
)
def test_a_near_miss_of_a_name_is_recognised_as_one(engine: Engine, words: list[str], network: str | None) -> None:
    assert engine.finder.near_name(words) == network


@pytest.mark.parametrize(
    ("tokens", "run"),
    [
        ("da li je nis clan covenant of mayors", (5, 8)),  # `of` is known, but between two unknown words
        ("da li je nis clan eurocities", (5, 6)),
        ("eurocities i nis i energy", (0, 1)),  # the longest run; `i` is a single letter
        ("aa nis nis nis bb", (0, 1)),  # three known words part two runs
        ("aa nis nis bb", (0, 4)),  # two do not
        ("da li je nis clan", (0, 0)),
        ("x y z", (0, 0)),  # single letters are no name
    ],
)
def test_the_words_of_an_unknown_name_are_the_longest_unknown_run(tokens: str, run: tuple[int, int]) -> None:
    known = {"da", "li", "je", "nis", "clan", "of", "i", "energy"}
    assert unknown_name(tokens.split(), lambda word: word in known) == run


def test_equally_good_partial_mentions_of_two_networks_cancel_out_and_exact_ones_stay() -> None:
    a, b = Mention("a", 0, 2, 0.6), Mention("b", 0, 2, 0.6)
    assert _unambiguous([a, b]) == []
    assert _unambiguous([a, Mention("b", 0, 2, 0.5)]) == [a]  # the weaker one goes
    exact = Mention("a", 0, 2, 1.0)
    assert _unambiguous([exact, Mention("b", 0, 2, 1.0)]) == [exact, Mention("b", 0, 2, 1.0)]
    assert _unambiguous([a, Mention("b", 0, 3, 0.6)]) == [a, Mention("b", 0, 3, 0.6)]  # other words


def test_overlapping_mentions_resolve_to_the_longest_then_the_best() -> None:
    long, short, later = Mention("a", 0, 3, 0.6), Mention("b", 1, 2, 1.0), Mention("c", 3, 4, 0.9)
    assert _best_non_overlapping([later, short, long]) == [long, later]  # touching is not overlapping
    better, worse = Mention("a", 0, 2, 0.9), Mention("b", 1, 3, 0.8)
    assert _best_non_overlapping([worse, better]) == [better]
