"""The door every channel goes through (bot/conversation.py): one turn, the same whichever channel asks."""

from __future__ import annotations

import re
from pathlib import Path

from bot.conversation import Door, Fixed
from bot.engine import DialogueState, Engine
from bot.memory import Conversations, Vote
from bot.quota import ChatQuota, Verdict
from bot.recording import CONSOLE, TELEGRAM, UNHELPFUL, WEB, Recorder, Stats
from bot.script import Script
from bot.storage.database import Database
from bot.storage.questions import FeedbackCount, QuestionStore, read_feedback, read_unanswered

CYRILLIC = re.compile("[\u0400-\u04ff]")


def door(engine: Engine, channel: str = WEB, quota: ChatQuota | None = None) -> Door[str]:
    return Door(channel, Fixed(engine), Conversations(30 * 60, clock=lambda: 0.0), Recorder(Stats(), None), quota)


def test_a_turn_remembers_what_the_conversation_talks_about(engine: Engine) -> None:
    web = door(engine)
    first = web.ask(None, "Шта је НАЛЕД?")
    follow_up = web.ask(first.conversation, "А када је основан?")
    elsewhere = web.ask(None, "А када је основан?")
    assert (first.answer.intent, first.answer.network) == ("about", "naled")
    assert (follow_up.answer.intent, follow_up.answer.network) == ("founded", "naled")
    assert follow_up.conversation == first.conversation != elsewhere.conversation
    assert elsewhere.answer.network is None  # a new conversation has no subject


def test_an_answer_about_a_network_is_rated_once_and_counted_for_its_channel(engine: Engine) -> None:
    web = door(engine)
    turn = web.ask(None, "Где је седиште СКГО?")
    assert turn.answer_id is not None
    assert web.rate(turn.conversation, turn.answer_id, helpful=False)[0] is Vote.COUNTED
    assert web.rate(turn.conversation, turn.answer_id, helpful=True)[0] is Vote.ALREADY
    assert web.rate(turn.conversation, "not-given", helpful=True)[0] is Vote.UNKNOWN
    stats = web.recorder.stats
    assert (stats.questions, stats.by_channel[WEB], stats.helpful, stats.unhelpful) == (1, 1, 0, 1)


def test_a_button_continues_the_conversation_without_counting_a_question(engine: Engine) -> None:
    console = door(engine, CONSOLE)
    pressed = console.press(None, "seat", "ecad")
    follow_up = console.ask(pressed.conversation, "a sajt?")
    assert (pressed.answer.intent, pressed.answer.network) == ("seat", "ecad")
    assert (follow_up.answer.intent, follow_up.answer.network) == ("link", "ecad")
    assert console.recorder.stats.questions == 1  # the question typed; the button was a question already asked


def test_the_quota_is_the_doors_and_a_refusal_is_counted_for_its_channel(engine: Engine) -> None:
    telegram = door(engine, TELEGRAM, ChatQuota(2, clock=lambda: 0.0))
    verdicts = [telegram.admit(7) for _ in range(4)]
    assert verdicts == [Verdict.ANSWER, Verdict.ANSWER, Verdict.SLOW_DOWN, Verdict.SKIP]
    assert telegram.admit(8) is Verdict.ANSWER  # another chat is not touched
    counted = telegram.recorder.stats.over_quota_of(TELEGRAM)
    assert (counted.skipped, counted.slowed, telegram.recorder.stats.over_quota_of(WEB).skipped) == (2, 1, 0)
    web = door(engine, WEB, ChatQuota(1, clock=lambda: 0.0))
    assert [web.admit("10.0.0.1"), web.admit("10.0.0.1")] == [Verdict.ANSWER, Verdict.SLOW_DOWN]
    assert web.recorder.stats.over_quota_of(WEB).skipped == 1 and web.retry_after("10.0.0.1") > 0
    assert door(engine).admit("anyone") is Verdict.ANSWER  # no quota: everyone is answered
    assert door(engine).retry_after("anyone") == 0  # …at once


def test_a_button_answers_in_the_conversations_script_and_keeps_it(engine: Engine) -> None:
    web = door(engine)
    first = web.ask(None, "Šta je NALED?")
    pressed = web.press(first.conversation, "seat", "ecad")
    assert pressed.conversation == first.conversation
    assert pressed.answer.script is Script.LATIN
    assert not CYRILLIC.search(pressed.answer.text) and web.state(first.conversation).network == "ecad"


def test_a_card_shown_makes_its_network_the_conversations_subject(engine: Engine) -> None:
    web = door(engine)
    first = web.ask(None, "Šta je NALED?")
    assert web.show(first.conversation, "skgo").script is Script.LATIN  # the state to render the card in
    assert web.state(first.conversation) == DialogueState("skgo", "about", Script.LATIN)
    follow_up = web.ask(first.conversation, "a kada je osnovan?")
    assert (follow_up.conversation, follow_up.answer.intent, follow_up.answer.network) == (
        first.conversation,
        "founded",
        "skgo",
    )


def test_a_card_shown_keeps_the_list_it_was_picked_from(engine: Engine) -> None:
    """A network's button under a list, then `а која је од њих старија?`: still that list."""
    web = door(engine)
    national = web.ask(None, "Које су домаће мреже?")
    assert len(national.answer.state.listed) >= 2
    web.show(national.conversation, national.answer.state.listed[0])
    assert web.state(national.conversation).listed == national.answer.state.listed


def test_a_list_that_names_a_network_staff_removed_since_compares_the_rest(engine: Engine) -> None:
    state = DialogueState(None, "list", Script.CYRILLIC, ("removed-since", "skgo", "naled"))
    older = engine.answer("а која је од њих старија?", state)
    assert (older.intent, older.rule) == ("founded", "compared") and older.network in ("skgo", "naled")


def test_a_vote_on_telegram_carries_what_it_rates_and_is_counted_and_stored(engine: Engine, tmp_path: Path) -> None:
    database = Database(tmp_path)
    telegram = Door(TELEGRAM, Fixed(engine), Conversations(60), Recorder(Stats(), QuestionStore(database)))
    database.open()
    try:
        telegram.vote("seat", "ecad", helpful=False)
        telegram.vote("seat", "ecad", helpful=True)
        telegram.vote("about", None, helpful=True)
    finally:
        database.close()
    assert (telegram.recorder.stats.helpful, telegram.recorder.stats.unhelpful) == (2, 1)
    assert sorted(read_feedback(tmp_path, 1), key=lambda f: f.intent) == [
        FeedbackCount("about", None, 1, 0),
        FeedbackCount("seat", "ecad", 1, 1),
    ]


def test_a_thumbs_down_keeps_the_question_for_staff_with_the_channel_it_came_by(engine: Engine, tmp_path: Path) -> None:
    database = Database(tmp_path)
    console = Door(CONSOLE, Fixed(engine), Conversations(60), Recorder(Stats(), QuestionStore(database)))
    database.open()
    try:
        turn = console.ask(None, "Где је седиште СКГО?")
        assert turn.answer_id is not None
        console.rate(turn.conversation, turn.answer_id, helpful=False)
    finally:
        database.close()
    [kept] = read_unanswered(tmp_path, 1)
    assert (kept.text, kept.outcome, kept.channel) == ("Где је седиште СКГО?", UNHELPFUL, CONSOLE)
    assert (kept.guess_intent, kept.guess_network) == ("seat", "skgo")
