"""What the engine says: in the user's script, only facts from the knowledge file, robust to odd input."""

import re
from pathlib import Path

import pytest

from bot.engine import Conversation, DialogueState, Engine
from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE, Bundle, load_bundle
from bot.script import Script, fold
from bot.understanding import classify
from bot.understanding.types import Context
from tests.support.labelled import load_cases
from tests.support.staff_files import copy_real_files

CYRILLIC = re.compile("[\u0400-\u04ff]")


def all_questions() -> list[str]:
    singles, dialogues = load_cases()
    return [c.question for c in singles] + [t.question for d in dialogues for t in d]


def test_latin_questions_get_answers_without_a_cyrillic_letter(engine: Engine) -> None:
    for question in all_questions():
        answer = engine.answer(question)
        if answer.script is Script.LATIN:
            assert not CYRILLIC.search(answer.text), question
            assert not any(CYRILLIC.search(s) for s in answer.suggestions), question


def test_cyrillic_questions_get_cyrillic_answers(engine: Engine, bundle: Bundle) -> None:
    """Cyrillic-dominant, not counting what is Latin by nature: web addresses and foreign names."""
    latin_names = sorted(
        {name for n in bundle.knowledge.networks for name in n.names() if not CYRILLIC.search(name)},
        key=len,
        reverse=True,
    )
    checked = 0
    for question in all_questions():
        if len(CYRILLIC.findall(question)) < 3:
            continue
        answer = engine.answer(question)
        text = re.sub(r"https?://\S+", "", answer.text)
        for name in latin_names:
            text = text.replace(name, "")
        letters = [ch for ch in text if ch.isalpha()]
        cyrillic = sum(bool(CYRILLIC.match(ch)) for ch in letters)
        assert answer.script is Script.CYRILLIC, question
        assert cyrillic > len(letters) / 2, (question, answer.text)
        checked += 1
    assert checked >= 100


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def test_no_answer_states_a_number_that_is_not_in_the_files(engine: Engine, bundle: Bundle) -> None:
    """Dates and counts come only from the knowledge file (or the fixed answer texts), never from code; a list
    says how many networks it names, which is counted from the file."""
    allowed = _numbers(DEFAULT_KNOWLEDGE.read_text(encoding="utf-8"))
    allowed |= {str(count) for count in range(len(bundle.knowledge.networks) + 1)}
    for path in DEFAULT_INTENTS.glob("*.yml"):
        allowed |= _numbers(path.read_text(encoding="utf-8"))
    for question in all_questions():
        stated = _numbers(engine.answer(question).text) - _numbers(question)
        assert stated <= allowed, (question, stated - allowed)


def test_fact_answers_quote_the_fact_and_its_source(engine: Engine, bundle: Bundle) -> None:
    for network in bundle.knowledge.networks:
        for key, fact in network.facts.items():
            intent = next(r.intent for r in bundle.intents.responses.values() if r.fact == key)
            question = engine.renderer.question(intent, network)
            answer = engine.answer(question)
            assert (answer.intent, answer.network) == (intent, network.id), question
            assert fact.text in answer.text and fact.source in answer.text


def test_unknown_fact_says_so_and_gives_the_website(engine: Engine) -> None:
    answer = engine.answer("Када је Ниш приступио AVEC-у?")
    assert (answer.intent, answer.network) == ("joined", "avec")
    assert "Немамо поуздан податак" in answer.text
    assert "https://www.avecnet.net" in answer.text
    assert not _numbers(answer.text)


def test_unknown_network_membership(engine: Engine) -> None:
    answer = engine.answer("Da li je Niš član Eurocities?")
    assert (answer.intent, answer.network) == ("membership", None)
    assert "Eurocities" in answer.text and "nije u našoj evidenciji" in answer.text


@pytest.mark.parametrize(
    "question", ["Да ли је градоначелник Ниша члан Српске напредне странке?", "Da li Niš spada u Šengen zonu?"]
)
def test_a_membership_that_is_no_citys_network_is_not_answered_as_one(engine: Engine, question: str) -> None:
    """The mayor's party, a zone of countries: no network, so no "not in our records" either."""
    assert engine.answer(question).intent == "fallback"


@pytest.mark.parametrize(
    ("question", "name"),
    [("Je li Niš u ICLEI?", "ICLEI"), ("Да ли је Ниш у CEMR?", "CEMR"), ("Je li Niš u NALED-u?", None)],
)
def test_an_acronym_is_a_name_even_where_most_words_have_capitals(engine: Engine, question: str, name: str) -> None:
    """Three capitals in five words say nothing of names (a sentence's first word, the city), but ICLEI does."""
    answer = engine.answer(question)
    if name is None:  # a network of ours, in capitals too: answered as ours
        assert (answer.intent, answer.network) == ("membership", "naled")
        return
    assert (answer.intent, answer.network) == ("membership", None)
    assert f"„{name}“" in answer.text


def test_a_message_in_capitals_has_no_acronym_to_take_for_a_name(engine: Engine) -> None:
    assert engine.answer("JE LI NIS U GUZVI?").intent == "fallback"


def test_clarify_offers_up_to_three_questions_that_answer_themselves(engine: Engine) -> None:
    answer = engine.answer("Ко чини AVEC?")  # every word known, the intent torn: about or size
    assert answer.intent == "clarify"
    assert 1 <= len(answer.suggestions) <= 3
    for suggestion in answer.suggestions:
        assert suggestion in answer.text
        followed = engine.answer(suggestion)
        assert followed.intent not in ("clarify", "fallback") and followed.network == "avec", suggestion


def test_fallback_gives_example_questions(engine: Engine) -> None:
    answer = engine.answer("koliko je sati")
    assert answer.intent == "fallback" and answer.network is None
    assert answer.text.count("•") >= 2


def test_compound_question_answers_both_parts(engine: Engine) -> None:
    answer = engine.answer("Шта је СКГО? Када је основан?")
    assert (answer.intent, answer.network) == ("about", "skgo")
    assert "национална асоцијација" in answer.text and "21–22. априла 1953" in answer.text


@pytest.mark.parametrize(
    "question", ["Када је основан НАЛЕД, а СКГО?", "Kada je osnovan NALED, a SKGO?"], ids=["cyrillic", "latin"]
)
def test_the_next_clause_naming_only_a_network_asks_this_clauses_question_again(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert (answer.intent, answer.networks) == ("founded", ("naled", "skgo"))
    naled, skgo = answer.sections
    assert "2006" in naled.text
    assert "21–22" in skgo.text  # the day SKGO was founded, which only its founding answer gives (not `about`)


def test_one_question_about_two_networks_answers_for_each(engine: Engine) -> None:
    answer = engine.answer("Gde je sedište NALED-a i SKGO?")
    assert (answer.intent, answer.networks) == ("seat", ("naled", "skgo"))
    assert "Beogradu" in answer.text and "Makedonskoj" in answer.text


def test_follow_up_keeps_the_network_and_unrelated_questions_do_not(engine: Engine) -> None:
    conversation = Conversation(engine)
    assert conversation.ask("Шта је СКГО?").network == "skgo"
    assert (conversation.ask("А када је основан?").intent, conversation.state.network) == ("founded", "skgo")
    assert conversation.ask("када је основан Ниш").intent == "fallback"


def test_answer_script_follows_the_last_message(engine: Engine) -> None:
    conversation = Conversation(engine)
    assert conversation.ask("sta je ecad").script is Script.LATIN
    assert conversation.ask("🙂").script is Script.LATIN  # no letters: keep the conversation's script
    assert conversation.ask("Шта је НАЛЕД?").script is Script.CYRILLIC


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("", None),
        ("   ", None),
        ("\n\n", None),
        ("😀👍🎉", None),
        ("<b>ECAD</b> &amp; <script>alert(1)</script>", "ecad"),
        ("x" * 4000, None),
        ("Када је Ниш приступио ECAD-у? " * 150, "ecad"),  # answered: see the test below
        ("\x00\x01\u202e\ufeff", None),
        ("ECAD-" * 800, "ecad"),
    ],
)
def test_odd_input_gets_an_answer_and_no_network_it_does_not_name(engine: Engine, text: str, named: str | None) -> None:
    answer = engine.answer(text)
    assert answer.text.strip()
    assert answer.network in (None, named)
    if named is None:
        assert answer.intent == "fallback"


def test_long_message_with_the_question_up_front_is_understood(engine: Engine) -> None:
    question = "Поштовани, занима ме када је Ниш приступио ECAD-у. " + "Хвала вам на труду и раду. " * 150
    assert len(question) > 4000
    answer = engine.answer(question)
    assert (answer.intent, answer.network) == ("joined", "ecad")


def test_html_looking_text_is_read_as_plain_words(engine: Engine) -> None:
    answer = engine.answer("Da li je Niš član <b>Eurocities</b>?")
    assert (answer.intent, answer.network) == ("membership", None)
    assert "„Eurocities“" in answer.text


# What an answer carries, and the state the next message starts from -------------


def test_an_answer_as_json_has_the_fields_of_ask_json_and_a_rounded_confidence(engine: Engine) -> None:
    answer = engine.answer("Шта је НАЛЕД?")
    assert answer.to_json() == {
        "question": "Шта је НАЛЕД?",
        "intent": "about",
        "network": "naled",
        "confidence": round(answer.confidence, 3),
        "answer": answer.text,
        "suggestions": [],
    }
    assert 0 < answer.confidence <= 1 and not answer.unanswered
    assert answer.state == DialogueState("naled", "about", Script.CYRILLIC)


def test_a_fallback_that_names_a_network_offers_that_networks_questions(engine: Engine) -> None:
    answer = engine.answer("Колико кошта карта за НАЛЕД?")
    assert (answer.intent, answer.network, answer.networks, answer.unanswered) == ("fallback", None, ("naled",), True)
    assert answer.suggested == (("list", ""), ("joined", "naled"), ("about", "naled"))
    assert answer.suggestions == ("Којих мрежа и удружења је Ниш члан?", "Када је Ниш приступио мрежи НАЛЕД?",
                                  "Шта је НАЛЕД?")  # fmt: skip
    assert answer.state == DialogueState("naled", None, Script.CYRILLIC)  # the network named is the context
    plain = engine.answer("koliko je sati")
    assert plain.suggested == (("list", ""), ("joined", "ecad"), ("about", "skgo"))  # responses.yml `offers`
    assert all(s.isascii() or not re.search("[а-ш]", s) for s in plain.suggestions)  # in the question's script


def test_a_list_keeps_the_conversations_network_and_becomes_its_question(engine: Engine) -> None:
    answer = engine.answer("Које мреже има Ниш?", DialogueState("skgo", "about"))
    assert (answer.intent, answer.network) == ("list", None)
    assert answer.state == DialogueState("skgo", "list", Script.CYRILLIC, listed=())  # all of them: `од њих` is all


def test_a_question_back_keeps_the_last_question_and_offers_three(engine: Engine) -> None:
    answer = engine.answer("када је основана", DialogueState(None, "seat"))
    assert (answer.intent, answer.unanswered, len(answer.sections)) == ("clarify", True, 1)
    assert answer.suggested == (("founded", "avec"), ("founded", "ecad"), ("founded", "energy-cities"))
    assert all(s in answer.text for s in answer.suggestions)
    assert answer.state == DialogueState(None, "seat", Script.CYRILLIC)


def test_a_button_answers_its_question_and_a_button_that_needs_a_network_without_one_falls_back(
    engine: Engine,
) -> None:
    answer = engine.answer_intent("seat", "naled")
    assert (answer.question, answer.intent, answer.network, answer.rule) == (
        "Где је седиште мреже НАЛЕД?",
        "seat",
        "naled",
        "button",
    )
    assert answer.text == engine.answer("Где је седиште НАЛЕД-а?").text
    assert engine.answer_intent("seat", None).intent == "fallback"
    assert engine.answer_intent("list", "naled").intent == "fallback"


def test_a_comparison_between_named_networks_gives_each_ones_fact(engine: Engine) -> None:
    between = engine.answer("Која је старија, ECAD или AVEC?")
    assert (between.intent, between.networks) == ("founded", ("ecad", "avec"))
    ecad, avec = between.sections
    assert "најстарија је ECAD" in ecad.text and avec.text.startswith("AVEC – ")


def test_a_comparison_of_all_networks_gives_the_first_and_names_those_without_the_value(engine: Engine) -> None:
    answer = engine.answer("Која мрежа има највише чланова?")
    assert (answer.intent, answer.network) == ("size", "energy-cities")
    first, missing = answer.sections  # the others' facts are not repeated when every network was compared
    assert "највише чланова има Energy Cities" in first.text
    assert missing.text == "Број чланова немамо у евиденцији за: AVEC, СКГО."


def test_a_list_of_some_networks_names_those_without_the_fact_and_answers_about_none_of_them(engine: Engine) -> None:
    answer = engine.answer("Које мреже имају више од 100 чланова?", DialogueState("skgo", "about"))
    assert (answer.intent, answer.network) == ("list", None)
    assert answer.networks == ("energy-cities", "naled", "ecad", "league-of-historical-cities")
    missing = answer.sections[-1].text  # by their full names, one per line: the list has not named them
    assert missing.startswith("Тај податак немамо у евиденцији за")
    assert "• AVEC – Асоцијација европских градова културе" in missing and "• СКГО – Стална конференција" in missing
    assert answer.state == DialogueState("skgo", "list", Script.CYRILLIC, answer.networks)  # `од њих` next


def test_a_fallback_about_a_network_says_so_under_its_name_and_keeps_the_guess(engine: Engine) -> None:
    answer = engine.answer("Колико кошта карта за НАЛЕД?")
    (section,) = answer.sections
    assert section.text.startswith(
        "НАЛЕД – Национална алијанса за локални економски развој\nНа то питање о мрежи НАЛЕД"
    )
    guessed = engine.answer("када је основан Ниш")
    assert guessed.intent == "fallback" and guessed.guess is not None and guessed.guess.intent == "founded"
    assert 0 < guessed.confidence < 1 and engine.answer("Шта је НАЛЕД?").confidence < 1


def test_a_taught_question_gets_its_meaning_however_it_is_written(tmp_path: Path) -> None:
    root = copy_real_files(tmp_path)
    with (root / "intents" / "taught.yml").open("w", encoding="utf-8") as taught:
        taught.write("taught:\n  - question: Ко води НАЛЕД?\n    intent: seat\n    network: naled\n")
        taught.write("  - question: Колико мрежа има?\n    intent: list\n")
    classify._memo.clear()
    engine = Engine(load_bundle(root / "knowledge" / "networks.yaml", root / "intents")[0], tmp_path / "models")
    (cached,) = (tmp_path / "models").iterdir()  # trained (nothing was cached) and kept under its key
    assert re.fullmatch(r"intent-model-[0-9a-f]{16}\.bin", cached.name)
    for question in ("Ко води НАЛЕД?", "ko vodi naled", "Ko vodi NALED???", "  ко   води   налед  "):
        answer = engine.answer(question)
        assert (answer.intent, answer.network, answer.rule) == ("seat", "naled", "taught"), question
    assert (engine.answer("Koliko mreza ima").rule, engine.answer("Колико мрежа има").intent) == ("taught", "list")
    assert engine.answer("Ко води СКГО?").rule != "taught"


@pytest.mark.parametrize("question", ["", "   ", "?!"])
def test_a_message_with_no_words_gets_the_fallback_for_an_empty_message(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert (answer.intent, answer.rule, answer.networks) == ("fallback", "empty", ())


@pytest.mark.parametrize(
    "question", ["Када је основан НАЛЕД? Када је основан НАЛЕД?", "Где је седиште НАЛЕД-а? А где је седиште НАЛЕД-а?"]
)
def test_the_same_question_twice_in_a_message_is_answered_once(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert len(answer.sections) == 1 and answer.networks == ("naled",)


@pytest.mark.parametrize(
    "question", ["Ко председава Лигом историјских градова?", "Ко је главни у Лиги историјских градова?"]
)
def test_who_holds_a_role_is_answered_from_the_fact_that_names_the_role(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert (answer.network, answer.rule) == ("league-of-historical-cities", "by_role")
    assert "председава градоначелник Кјота" in answer.text


def test_whether_and_since_when_niš_is_a_member_is_the_membership_answer_first(engine: Engine) -> None:
    """The membership answer says when Niš joined where the file knows (ECAD): one answer; where it does not
    (AVEC), the joining answer follows and says so."""
    answer = engine.answer("Od kada je Niš u ECAD-u i da li je još uvek član?")
    assert (answer.intent, len(answer.sections)) == ("membership", 1)
    assert "Da, Grad Niš je član" in answer.text and "2007" in answer.text
    answer = engine.answer("Od kada je Niš u AVEC-u, i da li je uopšte član?")
    assert (answer.intent, len(answer.sections)) == ("membership", 2)
    assert answer.text.index("Da, Grad Niš je član") < answer.text.index("Nemamo pouzdan podatak")


def test_a_main_thing_is_no_role(engine: Engine) -> None:
    """`ко је главни` asks who chairs it; `главни циљ` is the goal."""
    assert engine.answer("Koji je glavni cilj ECAD-a?").intent == "goal"


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("sajt naleda? i kad je osnovan", ["link", "founded"]),  # a sentence ending in `?` asks, even wordless
        ("Где је седиште Енерџи ситиз и из колико земаља су чланови?", ["seat", "size"]),  # `и из колико`
        ("Šta je SKGO i gde mu je sedište?", ["about", "seat"]),
    ],
)
def test_two_questions_in_one_message_are_both_answered(engine: Engine, question: str, asked: list[str]) -> None:
    readings = engine.understanding.read(question, Context())
    assert [r.intent for r in readings] == asked
    assert len({r.networks for r in readings}) == 1  # the second asks of the network the first named


@pytest.mark.parametrize(
    "question", ["Koji je broj telefona NALED-a?", "imate li e-mail NALED-a", "дајте ми мејл НАЛЕД-а"]
)
def test_a_phone_or_e_mail_asked_gets_the_website_and_is_told_we_keep_no_number(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert (answer.intent, answer.network) == ("link", "naled")
    assert "naled.rs" in answer.text and "evidencij" in fold(answer.text)


def test_the_website_asked_alone_says_nothing_of_phones(engine: Engine) -> None:
    assert "evidencij" not in fold(engine.answer("Koji je sajt NALED-a?").text)


@pytest.mark.parametrize(
    ("question", "network"),
    [("Ko je predstavnik Niša u ECAD-u?", "ECAD"), ("koja osoba zastupa Niš u NALED-u", "NALED")],
)
def test_who_represents_nis_is_a_role_we_do_not_keep(engine: Engine, question: str, network: str) -> None:
    answer = engine.answer(question)
    assert answer.intent == "fallback" and f"mreži {network} nemam odgovor" in answer.text


def test_what_a_network_represents_is_what_it_is(engine: Engine) -> None:
    answer = engine.answer("Шта представља организација ECAD?")
    assert (answer.intent, answer.network) == ("about", "ecad")


def test_a_question_of_both_scopes_says_how_many_in_all_before_each_group(engine: Engine, bundle: Bundle) -> None:
    """`колико је укупно међународних и домаћих асоцијација`: the total first, then each scope with its own."""
    text = engine.answer("koliko je ukupno medjunarodnih i domacih asocijacija u kojima ucestvuje Nis?").text
    networks = bundle.knowledge.networks
    total = f"ukupno {len(networks)} mreža"
    national = sum(network.scope == "national" for network in networks)
    assert text.startswith(f"Grad Niš je član {total}")
    assert f"u Srbiji (ukupno: {national})" in text and f"(ukupno: {len(networks) - national})" in text
    one_scope = engine.answer("Које су мреже националне?").text
    assert one_scope.startswith("Мреже и удружења у Србији") and "Град Ниш је члан укупно" not in one_scope


def test_the_membership_answer_names_the_source_of_every_fact_it_quotes(engine: Engine) -> None:
    """It quotes the card and the joining fact (ni.rs for ECAD; for the League the joining year is from gu.ni.rs)."""
    answer = engine.answer("Da li je Niš član Lige istorijskih gradova?")
    sources = [
        network.facts[key].source
        for network in [engine.networks["league-of-historical-cities"]]
        for key in ("about", "joined")
    ]
    assert all(source in answer.text for source in sources) and "Izvor" in answer.text
