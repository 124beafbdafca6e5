"""The door every channel goes through (bot/conversation.py): one turn, the same whichever channel asks."""

from __future__ import annotations

from bot.conversation import Door, Fixed
from bot.engine import Engine
from bot.memory import Conversations, Vote
from bot.quota import ChatQuota, Verdict
from bot.recording import CONSOLE, TELEGRAM, WEB, Recorder, Stats


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
