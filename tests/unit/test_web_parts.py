"""The web side's parts on their own, with a hand-driven clock: conversations, the staff lock, the quota's
Retry-After, the security policy."""

from __future__ import annotations

import pytest

from bot.engine import DialogueState
from bot.memory import ANSWERS_KEPT, Conversations, Given, Vote
from bot.quota import ChatQuota, Verdict
from bot.script import Script
from bot.web.base import content_security_policy, embedders
from bot.web.gate import (
    FAILURES_FORGOTTEN_SECONDS,
    LOG_EVERY_SECONDS,
    MAX_ADDRESSES,
    MAX_WAIT_SECONDS,
    SESSION_SECONDS,
    TRUSTED_DAYS,
    WRONG_TRIES_PER_SECOND,
    StaffGate,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


NALED = DialogueState("naled", "about", Script.LATIN)


def test_a_conversation_is_remembered_until_its_silence_outlasts_the_memory() -> None:
    clock = Clock()
    conversations = Conversations(ttl_seconds=30 * 60, clock=clock)
    issued, state = conversations.get(None)
    assert state == DialogueState() and len(issued) >= 20
    conversations.remember(issued, NALED)
    clock.now += 30 * 60
    assert conversations.get(issued) == (issued, NALED)  # exactly the memory's length: still there
    clock.now += 0.001
    fresh, state = conversations.get(issued)
    assert fresh != issued and state == DialogueState()


def test_conversations_are_bounded_and_the_least_recently_used_go_first() -> None:
    clock = Clock()
    conversations = Conversations(ttl_seconds=60, limit=3, clock=clock)
    ids = [conversations.get(None)[0] for _ in range(4)]
    for index, conversation in enumerate(ids[:3]):
        clock.now += 1
        conversations.remember(conversation, DialogueState(intent=str(index)))
    conversations.remember(ids[0], NALED)  # used again: now the most recent
    conversations.remember(ids[3], NALED)
    assert len(conversations) == 3
    assert conversations.get(ids[1])[0] != ids[1]  # the least recently used went
    assert [conversations.get(c)[0] for c in (ids[0], ids[2], ids[3])] == [ids[0], ids[2], ids[3]]


def test_expired_conversations_are_forgotten_when_another_is_remembered() -> None:
    clock = Clock()
    conversations = Conversations(ttl_seconds=60, clock=clock)
    for _ in range(5):
        conversations.remember(conversations.get(None)[0], NALED)
    clock.now += 61
    conversations.remember("new", NALED)
    assert len(conversations) == 1


def test_the_staff_gate_checks_the_token_and_opens_sessions_that_expire() -> None:
    clock = Clock()
    gate = StaffGate("the-right-token-0123", clock)
    assert gate.right_token("the-right-token-0123")
    assert not gate.right_token("the-right-token-012") and not gate.right_token("") and not gate.right_token("ж" * 19)
    session = gate.open_session()
    assert gate.valid(session) and not gate.valid(None) and not gate.valid("the-right-token-0123")
    clock.now += SESSION_SECONDS - 1
    assert gate.valid(session)
    clock.now += 1
    assert not gate.valid(session)
    other = gate.open_session()
    gate.close(other)
    assert not gate.valid(other)


def test_wrong_tries_wait_twice_as_long_each_time_up_to_a_limit_and_are_forgotten() -> None:
    clock = Clock()
    gate = StaffGate("the-right-token-0123", clock)
    waits = [gate.wrong_try("192.0.2.1") for _ in range(7)]
    assert waits == [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 16.0), (6, MAX_WAIT_SECONDS), (7, MAX_WAIT_SECONDS)]
    assert gate.wrong_try("192.0.2.2") == (1, 1.0)  # per address
    clock.now += FAILURES_FORGOTTEN_SECONDS + 1
    assert gate.wrong_try("192.0.2.1") == (1, 1.0)
    gate.wrong_try("192.0.2.1")
    gate.forgive("192.0.2.1")
    assert gate.wrong_try("192.0.2.1") == (1, 1.0)


def test_guesses_from_many_addresses_are_slowed_together_and_the_gate_tracks_a_bounded_number() -> None:
    clock = Clock()
    gate = StaffGate("the-right-token-0123", clock)
    for number in range(WRONG_TRIES_PER_SECOND):
        assert gate.wait_before_try(f"2001:db8::{number:x}") == 0
        gate.wrong_try(f"2001:db8::{number:x}")
    assert gate.wait_before_try("2001:db8::ffff") == 1.0  # a fresh address waits too: the gate's limit, not its own
    clock.now += 1.0
    assert gate.wait_before_try("2001:db8::ffff") == 0
    for number in range(3 * MAX_ADDRESSES):
        clock.now += 0.001
        gate.wrong_try(f"2001:db8:1::{number:x}")
    assert len(gate._failures) == MAX_ADDRESSES
    assert gate.wait_before_try(f"2001:db8:1::{3 * MAX_ADDRESSES - 1:x}") > 0  # the newest are the ones kept


def test_staff_who_signed_in_before_are_not_held_by_an_attack_filling_the_shared_limit() -> None:
    """The second attacker's finding: 300 addresses kept the shared limit full, and staff got 429 for minutes."""
    clock = Clock()
    gate = StaffGate("the-right-token-0123", clock)
    gate.forgive("192.0.2.7")  # signed in last week
    clock.now += 7 * 86400
    for number in range(WRONG_TRIES_PER_SECOND):
        gate.wrong_try(f"2001:db8::{number:x}")
    assert gate.wait_before_try("192.0.2.8") > 0 and gate.wait_before_try("192.0.2.7") == 0
    clock.now += TRUSTED_DAYS * 86400
    for number in range(WRONG_TRIES_PER_SECOND):
        gate.wrong_try(f"2001:db8::{number:x}")
    assert gate.wait_before_try("192.0.2.7") > 0  # trust lasts TRUSTED_DAYS


def test_wrong_tries_are_logged_as_a_count_now_and_then_not_one_line_each() -> None:
    clock = Clock()
    gate = StaffGate("the-right-token-0123", clock)
    gate.wrong_try("192.0.2.1")
    assert gate.wrong_tries_to_log() == 1
    for _ in range(5):
        gate.wrong_try("192.0.2.1")
        assert gate.wrong_tries_to_log() == 0
    clock.now += LOG_EVERY_SECONDS
    assert gate.wrong_tries_to_log() == 5 and gate.wrong_tries_to_log() == 0


@pytest.mark.parametrize(("per_minute", "expected"), [(20, 3), (60, 1), (1, 60), (7, 9)])
def test_retry_after_is_the_time_until_the_next_question_may_be_asked(per_minute: int, expected: int) -> None:
    clock = Clock()
    quota = ChatQuota(per_minute, clock)
    assert quota.retry_after("a") == 0
    for _ in range(per_minute):
        assert quota.check("a") is Verdict.ANSWER
    assert quota.check("a") is not Verdict.ANSWER
    assert quota.retry_after("a") == expected
    clock.now += expected
    assert quota.retry_after("a") == 0 and quota.check("a") is Verdict.ANSWER


def test_the_security_policy_allows_only_this_server_and_the_named_embedders() -> None:
    assert content_security_policy(embedders(())) == (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
    )
    assert embedders(("https://www.ni.rs", "https://ni.rs")) == "'self' https://www.ni.rs https://ni.rs"


def test_after_a_wrong_try_an_address_waits_before_its_next_try_is_checked() -> None:
    clock = Clock()
    gate = StaffGate("the-right-token-0123", clock)
    assert gate.wait_before_try("192.0.2.1") == 0
    gate.wrong_try("192.0.2.1")
    assert gate.wait_before_try("192.0.2.1") == 1.0 and gate.wait_before_try("192.0.2.2") == 0
    clock.now += 0.5
    assert gate.wait_before_try("192.0.2.1") == 0.5
    clock.now += 0.5
    assert gate.wait_before_try("192.0.2.1") == 0
    gate.wrong_try("192.0.2.1")
    assert gate.wait_before_try("192.0.2.1") == 2.0
    gate.forgive("192.0.2.1")
    assert gate.wait_before_try("192.0.2.1") == 0


def test_a_vote_counts_once_and_only_for_an_answer_the_conversation_got() -> None:
    clock = Clock()
    conversations = Conversations(ttl_seconds=60, clock=clock)
    mine, _ = conversations.get(None)
    theirs, _ = conversations.get(None)
    answer = conversations.remember(mine, NALED, Given("about", "naled"))
    conversations.remember(theirs, NALED)
    assert answer is not None and conversations.remember(mine, NALED) is None  # only a given answer has an id
    assert conversations.vote(theirs, answer) == (Vote.UNKNOWN, None)
    assert conversations.vote(mine, "made-up-id") == (Vote.UNKNOWN, None)
    assert conversations.vote(mine, answer) == (Vote.COUNTED, Given("about", "naled"))
    assert conversations.vote(mine, answer) == (Vote.ALREADY, Given("about", "naled"))
    later = [conversations.remember(mine, NALED, Given("seat", "naled")) for _ in range(ANSWERS_KEPT)]
    assert conversations.vote(mine, answer)[0] is Vote.UNKNOWN  # pushed out by newer answers
    assert all(conversations.vote(mine, given)[0] is Vote.COUNTED for given in later if given)
    clock.now += 61
    fresh = conversations.remember(theirs, NALED, Given("seat", "skgo"))
    assert fresh is not None and conversations.vote(mine, later[-1] or "")[0] is Vote.UNKNOWN  # ended
