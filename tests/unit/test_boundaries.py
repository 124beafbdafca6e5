"""Both sides of every limit: typos just within and just beyond what a name tolerates, and questions whose
score sits exactly at a decision threshold and just below it.

The typo limits are the ones docs/matching.md states: no typo in a word shorter
than five letters, one from five letters, one more for every five letters
beyond; an acronym only tolerates two neighbouring letters swapped.  The
thresholds are moved to the real score of a real question, so a `>=` turned
into `>` (or a threshold compared with the wrong score) changes the reading.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.script import fold
from bot.thresholds import DEFAULT
from bot.understanding.decide import Decider
from bot.understanding.normalise import clauses
from bot.understanding.types import Context, Evidence


def just_above(value: float) -> float:
    return math.nextafter(value, math.inf)


# Typo limits --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "edits"), [(1, 0), (4, 0), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3)])
def test_a_word_may_carry_one_typo_from_five_letters_and_one_more_every_five(length: int, edits: int) -> None:
    assert DEFAULT.max_edits(length) == edits


@pytest.mark.parametrize(
    ("word", "name_word", "recognised"),
    [
        ("cties", "cities", True),  # 5 letters, one letter missing: within
        ("lija", "liga", False),  # 4 letters, one letter wrong: beyond (too short for a typo)
        ("gradoca", "gradova", True),  # 7 letters, one wrong
        ("grodoca", "gradova", False),  # 7 letters, two wrong: beyond
        ("istorjskik", "istorijskih", True),  # 10 letters, two typos: within
        ("istorjskh", "istorijskih", False),  # 9 letters, two typos: beyond
        ("ecda", "ecad", True),  # an acronym with two neighbours swapped
        ("ecat", "ecad", False),  # an acronym with one letter wrong
        ("ecadd", "ecad", False),  # an acronym with one letter more
        ("naelt", "naled", False),  # a swap and a wrong letter
    ],
)
def test_typos_just_within_and_just_beyond_the_limit(
    engine: Engine, word: str, name_word: str, recognised: bool
) -> None:
    assert (engine.finder.word_similarity(word, name_word) > 0) is recognised


@pytest.mark.parametrize(
    ("text", "network"),
    [
        ("enrgy cities", "energy-cities"),
        ("nrgy cities", None),
        ("stalne konferncije gradova i opstina", "skgo"),
        ("konfrncije gradova i opstina", None),
        ("ecda", "ecad"),
        ("ecat", None),
        ("avce", "avec"),
        ("aves", None),
    ],
)
def test_names_with_typos_just_within_and_just_beyond(engine: Engine, text: str, network: str | None) -> None:
    found = [m.network_id for m in engine.finder.find(fold(text).split())]
    assert found == ([network] if network else [])


@pytest.mark.parametrize("word", ["nalet", "avet", "skok", "ekat", "avala", "skot", "naleteti", "ekran", "avenija"])
def test_serbian_words_a_letter_or_two_from_a_name_are_not_networks(engine: Engine, word: str) -> None:
    assert engine.finder.find([word]) == []
    answer = engine.answer(f"šta je {word}")
    assert (answer.intent, answer.network) == ("fallback", None)


# Decision thresholds ------------------------------------------------------------------------------------


def evidence_of(engine: Engine, question: str) -> Evidence:
    understanding = engine.understanding
    (clause,) = clauses(question, understanding.lexicon)
    return understanding.evidence(clause, clause.span, Context())


def rule_with(engine: Engine, evidence: Evidence, **thresholds: float) -> str:
    return Decider(engine.understanding.oracle, replace(DEFAULT, **thresholds))(evidence).rule


def test_an_answer_needs_its_score_to_reach_accept(engine: Engine) -> None:
    evidence = evidence_of(engine, "koliko clanova ima naled")
    intent, score = evidence.top
    assert intent == "size"
    assert rule_with(engine, evidence, accept=score) == "answer"
    assert rule_with(engine, evidence, accept=just_above(score)) != "answer"


def test_an_answer_needs_its_lead_over_the_next_intent_to_reach_margin(engine: Engine) -> None:
    evidence = evidence_of(engine, "koliko clanova ima naled")
    assert rule_with(engine, evidence, margin=evidence.margin) == "answer"
    assert rule_with(engine, evidence, margin=just_above(evidence.margin)) != "answer"


def test_words_nobody_wrote_raise_the_bar_to_accept_with_unknown_words(engine: Engine) -> None:
    evidence = evidence_of(engine, "koliko clanova ima naled trenutno")
    assert evidence.unknown_words == ("trenutno",)
    _, score = evidence.top
    assert rule_with(engine, evidence, accept_with_unknown_words=score) == "answer"
    assert rule_with(engine, evidence, accept_with_unknown_words=just_above(score)) != "answer"
    assert rule_with(engine, evidence, accept=just_above(score)) == "answer"  # `accept` is not the bar here


def test_out_of_scope_wins_from_its_threshold_on(engine: Engine) -> None:
    evidence = evidence_of(engine, "ko je gradonacelnik nisa")
    intent, score = evidence.top
    assert intent == "fallback"
    assert rule_with(engine, evidence, out_of_scope=score) == "out_of_scope"
    assert rule_with(engine, evidence, out_of_scope=just_above(score)) != "out_of_scope"


def test_a_named_network_with_an_unclear_question_is_asked_back_from_ask_back_on(engine: Engine) -> None:
    evidence = evidence_of(engine, "Ко чини AVEC?")
    _, score = evidence.top
    assert rule_with(engine, evidence, ask_back=score) == "ask_back"
    assert rule_with(engine, evidence, ask_back=just_above(score)) != "ask_back"


def test_which_network_is_asked_only_when_the_question_is_clear_enough(engine: Engine) -> None:
    evidence = evidence_of(engine, "Када је основана?")
    (_, score), *_ = engine.understanding.oracle.rescore_with_network(evidence)
    assert rule_with(engine, evidence, ask_which_network=score) == "which_network"
    assert rule_with(engine, evidence, ask_which_network=just_above(score)) != "which_network"
