"""What the rules may ask (`Lookups`, the running pipeline's oracle), answered from the real files.

The rules are tested on an oracle that answers as told (tests/unit/test_decide.py); these tests hold that the
real one answers as the files say: which words of a question are looked for among the facts, whose facts,
which networks rank first, which fact names a role.  The expectations are read from knowledge/networks.yaml,
intents/responses.yml and intents/language.yml.
"""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.understanding import normalise
from bot.understanding.lookups import Lookups
from bot.understanding.types import Context, Evidence


def oracle_of(engine: Engine) -> Lookups:
    """A `Lookups` made now from the engine's files and classifier, as `Understanding` makes it."""
    understanding, bundle = engine.understanding, engine.bundle
    return Lookups(
        bundle.knowledge,
        bundle.intents.responses,
        bundle.lexicon,
        understanding.words,
        understanding.facts,
        understanding.rank,
    )


def evidence_of(engine: Engine, question: str) -> Evidence:
    """The evidence of the question's first clause, without courtesy, in a conversation that has just begun."""
    understanding = engine.understanding
    clause = normalise.read(question, understanding.lexicon, understanding.config).clauses[0]
    return understanding.evidence(clause, clause.span.core, Context(None, None))


@pytest.mark.parametrize(
    ("question", "unknown_network", "known_network"),
    [
        # the kind of thing asked for (`мрежа`) is looked for only once the network is known
        ("Koja mreža ima sedište u Japanu?", ["sediste", "japanu"], ["mreza", "sediste", "japanu"]),
        # a role (`оснивач`) is found by the role, not among the facts, while the network is unknown;
        # the name (`ECAD-а`) is never looked for
        ("ko je osnivač ECAD-a", [], ["osnivac"]),
        # `чланови` is what every network has: looked for only once the network is known
        ("koje mreže imaju članove u Japanu", ["japanu"], ["mreze", "clanove", "japanu"]),
        # the city beside a name adds nothing (`Niša`), whether the network is known or not
        ("sedište NALED-a i Niša", ["sediste"], ["sediste"]),
        # `veze sa` asks which network, as `koja` does: only `drogom` is the question's own
        ("koja mreža ima veze sa drogom", ["drogom"], ["mreza", "drogom"]),
    ],
)
def test_the_words_looked_for_among_the_facts_are_the_questions_own(
    engine: Engine, question: str, unknown_network: list[str], known_network: list[str]
) -> None:
    oracle, evidence = oracle_of(engine), evidence_of(engine, question)
    assert oracle.search_words(None, evidence) == unknown_network
    assert oracle.search_words("naled", evidence) == known_network


def test_facts_found_for_a_network_are_only_its_own(engine: Engine) -> None:
    oracle = oracle_of(engine)
    seat_in_japan = evidence_of(engine, "Koja mreža ima sedište u Japanu?")
    best = oracle.facts_of(None, seat_in_japan)[0]
    assert (best.network_id, best.fact) == ("league-of-historical-cities", "seat")  # „… Кјото, Јапан“
    naleds = oracle.facts_of("naled", seat_in_japan)
    assert naleds and {hit.network_id for hit in naleds} == {"naled"}
    # „оснивачи су градови Печуј, …“: the role word is looked for among AVEC's facts once AVEC is the network
    founder = evidence_of(engine, "ko je osnivač ECAD-a")
    assert [(hit.network_id, hit.fact) for hit in oracle.facts_of("avec", founder)] == [("avec", "founded")]


def test_a_word_is_in_a_networks_facts_only_when_that_networks_facts_write_it(engine: Engine) -> None:
    oracle = oracle_of(engine)
    assert oracle.in_facts("ecad", "istanbulu")  # ECAD's joined fact: „… у Истанбулу“
    assert not oracle.in_facts("naled", "istanbulu")


def test_a_role_is_answered_by_the_first_fact_that_names_it(engine: Engine) -> None:
    oracle = oracle_of(engine)
    assert oracle.fact_with_role("league-of-historical-cities", ["chair"]) == "seat"  # Kyoto's mayor chairs it
    assert oracle.fact_with_role("naled", ["funder"]) == "about"  # „… који је финансирао USAID“
    assert oracle.fact_with_role("naled", ["chair", "implementer"]) == "about"
    assert oracle.fact_with_role("skgo", ["chair", "founder"]) is None


def test_a_detail_is_known_only_to_the_answers_that_tell_it(engine: Engine) -> None:
    oracle = oracle_of(engine)
    assert oracle.has_detail("founded", "who") and oracle.has_detail("joined", "where")
    assert not oracle.has_detail("seat", "where") and not oracle.has_detail("joined", "who")


def test_networks_compared_rank_by_the_files_values_and_leave_out_those_without_one(engine: Engine) -> None:
    oracle = oracle_of(engine)
    # founded: SKGO 1953, AVEC 1997, NALED 2006
    assert oracle.compare("founded", "oldest", ["naled", "skgo", "avec"]) == ["skgo", "avec", "naled"]
    assert oracle.compare("founded", "youngest", ["naled", "skgo", "avec"]) == ["naled", "avec", "skgo"]
    # joined: Energy Cities 2003, ECAD 2007; AVEC's year is not in the file
    assert oracle.compare("joined", "earliest", ["avec", "ecad", "energy-cities"]) == ["energy-cities", "ecad"]
    # members: Energy Cities 1000, NALED 300, ECAD 250
    assert oracle.compare("size", "most", ["naled", "ecad", "energy-cities"]) == ["energy-cities", "naled", "ecad"]
    assert oracle.compare("founded", "most", ["naled", "skgo"]) == []  # years are not counted
    # the countries members come from: the League 66, ECAD and Energy Cities 30; a tie ranks none
    assert oracle.compare("size", "most_countries", ["ecad", "league-of-historical-cities", "naled"]) == [
        "league-of-historical-cities",
        "ecad",
    ]
    assert oracle.compare("size", "most_countries", ["ecad", "energy-cities"]) == []
    assert oracle.compare("founded", "most_countries", ["ecad"]) == []  # the direction's value is a count
    assert oracle.compare("link", "earliest", ["naled", "skgo"]) == []  # a link has no value to rank by


def test_a_value_is_the_files_number_for_the_answers_fact(engine: Engine) -> None:
    oracle = oracle_of(engine)
    assert oracle.value_of("founded", "skgo") == 1953
    assert oracle.value_of("size", "energy-cities") == 1000
    assert oracle.value_of("joined", "avec") is None  # not in the file
    assert oracle.value_of("link", "ecad") is None  # a link has no value


def test_comparatives_and_superlatives_are_comparison_words(engine: Engine) -> None:
    oracle = oracle_of(engine)
    assert oracle.is_comparison_word("stariji") and oracle.is_comparison_word("najstariji")
    assert not oracle.is_comparison_word("sediste")


def test_the_words_beyond_the_examples_leave_out_the_question_words(engine: Engine) -> None:
    """`Kakve sve mreže grad ima?`: `kakve` asks; the list's examples explain the rest."""
    assert oracle_of(engine).explains("list", evidence_of(engine, "Kakve sve mreže grad ima?"), beyond=True)


def test_a_topic_of_a_few_networks_points_at_those_few(engine: Engine) -> None:
    """`баштина` is in the topics of AVEC and of the League: a question by it lists both, with their facts."""
    oracle = oracle_of(engine)
    assert oracle.is_topic("bastinom") and oracle.is_topic("energija") and not oracle.is_topic("sediste")
    answer = engine.answer("koje se mreze bave bastinom")
    assert (answer.intent, answer.rule) == ("list", "identified_by_facts")
    assert "AVEC" in answer.text and "Liga istorijskih gradova" in answer.text and "ECAD" not in answer.text


def test_an_acronym_is_a_name_of_its_fact_even_in_brackets(engine: Engine) -> None:
    """NALED's description writes `(МЕГА)` and `(УСАИД)`: a bracket opens like a sentence, but an acronym is a
    name wherever it stands, so `ко је реализовао мега програм` finds NALED by it."""
    oracle = oracle_of(engine)
    assert oracle.is_value("mega") and oracle.is_value("usaid")
    assert not oracle.is_value("nacionalna")  # `(Национална алијанса …)`: a capital opening a bracket is no name
    answer = engine.answer("ко је реализовао мега програм")
    assert (answer.intent, answer.network) == ("about", "naled") and "Урбан институт" in answer.text


def test_a_word_most_networks_facts_use_is_no_topic(engine: Engine) -> None:
    """The League's topics say `стари градови`, but `градова` is in the facts of most networks: it points at none
    (`које све асоцијације градова … окупљају и Ниш` asks for the list, not for the League)."""
    oracle = oracle_of(engine)
    assert not oracle.is_topic("gradova") and not oracle.is_topic("grad")
    assert oracle.is_topic("istorija") and oracle.is_topic("kulturi")


def test_a_word_that_only_relates_a_network_to_a_fact_does_not_stop_a_look_up(engine: Engine) -> None:
    """`посвећена`, `вуче корене` (language.yml `relations`) say how the network relates to what the citizen
    knows; no example uses them, yet the look-up by the fact's topic or year still finds the network.  They do
    not make a topic of what no fact holds."""
    answer = engine.answer("Која је мрежа посвећена култури?")
    assert (answer.intent, answer.network, answer.rule) == ("about", "avec", "identified_by_facts")
    answer = engine.answer("koja mreža vuče korene iz 1987. godine?")
    assert (answer.intent, answer.network) == ("about", "league-of-historical-cities")
    assert engine.answer("Koje se mreže vezuju za baštinu?").intent == "list"
    assert engine.answer("Која мрежа је покренута 1990?").network == "energy-cities"  # a word for founding
    assert engine.answer("Koja mreža nije pokrenuta 1990?").intent == "fallback"  # denied: not a relation
    assert engine.answer("Koja organizacija se bavi pravima dece?").intent == "fallback"


def test_a_society_is_a_kind_of_network(engine: Engine) -> None:
    """`друштво` (language.yml `identify_kinds`) asks for a network as `удружење` does."""
    answer = engine.answer("оно друштво из шведске како се зове")
    assert (answer.intent, answer.network) == ("about", "ecad")


def test_a_word_no_fact_writes_meets_the_facts_longer_words_of_its_root(engine: Engine) -> None:
    """`реформу` meets SKGO's `реформисана`; a stem shorter than `min_derived` letters meets nothing that way."""
    facts = engine.understanding.facts
    hits = facts.search(["reformu", "1998"])
    assert hits[0].network_id == "skgo" and set(hits[0].matched) == {"reformu", "1998"}
    assert not facts.derived.keys() & {"ref", "refo", "refor"}


def test_a_topic_word_of_a_common_root_is_no_topic(engine: Engine) -> None:
    """`стари градови` is the League's topic, but `градови` is a form of `градова`, which most facts write."""
    oracle = oracle_of(engine)
    assert not oracle.is_topic("gradovi") and oracle.is_topic("bastina")


def test_a_word_written_with_a_hyphen_is_found_by_its_parts(engine: Engine) -> None:
    """AVEC's fact writes `евро-медитеранских`; `медитеранских` alone meets it."""
    hits = engine.understanding.facts.search(["mediteranskih"])
    assert hits and hits[0].network_id == "avec"
