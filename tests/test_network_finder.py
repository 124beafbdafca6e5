"""Recognising network names: inflected, misspelt, in either script, and not where they are absent."""

import pytest

from bot.engine import Engine
from bot.script import fold


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
