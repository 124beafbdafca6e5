"""The web side's parts on their own, with a hand-driven clock: conversations, the staff lock, the quota's
Retry-After, the security policy."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from bot import metrics
from bot.engine import DialogueState
from bot.memory import ANSWERS_KEPT, Conversations, Given, Vote
from bot.quota import ChatQuota, Verdict
from bot.script import Script
from bot.web import shared as shared_module
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
from bot.web.shared import FILE as SHARED_FILE
from bot.web.shared import SharedConversations, SharedFile, SharedQuota
from tests.support.damaged_files import damaged_pages


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


NALED = DialogueState("naled", "about", Script.LATIN)
SKGO_STATE = DialogueState("skgo", "about", Script.LATIN)


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


@pytest.mark.parametrize("kept", ["in memory", "in the shared file"])
def test_a_vote_counts_once_and_only_for_an_answer_the_conversation_got(kept: str, tmp_path: Path) -> None:
    clock = Clock()
    conversations: Conversations | SharedConversations = (
        Conversations(ttl_seconds=60, clock=clock) if kept == "in memory" else shared_conversations(tmp_path, clock)
    )
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


# The file the web processes share (bot/web/shared.py) ------------------------------


def shared_conversations(folder: Path, clock: Clock, limit: int = 100) -> SharedConversations:
    return SharedConversations(SharedFile(folder), ttl_seconds=60, limit=limit, clock=clock)


def file_rows(folder: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(folder / SHARED_FILE)) as connection:
        return connection.execute(sql).fetchall()


def test_shared_conversations_issue_unguessable_ids_and_keep_the_state_whole(tmp_path: Path) -> None:
    clock = Clock()
    conversations = shared_conversations(tmp_path, clock)
    issued, state = conversations.get(None)
    assert state == DialogueState() and len(issued) == 24  # 18 random bytes
    assert conversations.remember(issued, NALED) is None  # nothing to rate: no id
    assert file_rows(tmp_path, "SELECT answers FROM conversation") == [("[]",)]
    answer_id = conversations.remember(issued, NALED, Given("about", "naled", "Šta je NALED?"))
    assert answer_id is not None and len(answer_id) == 12
    assert conversations.get(issued) == (issued, NALED)
    listed = DialogueState(None, "list", Script.CYRILLIC, ("naled", "skgo"))  # `а која је од њих старија?` next
    conversations.remember(issued, listed)
    assert conversations.get(issued) == (issued, listed)
    with closing(sqlite3.connect(tmp_path / SHARED_FILE)) as connection, connection:  # written by an older version
        connection.execute("UPDATE conversation SET state = ? WHERE id = ?", ('{"network": "skgo"}', issued))
    assert conversations.get(issued) == (issued, DialogueState("skgo", None, Script.CYRILLIC))


def test_shared_conversations_count_only_those_alive(tmp_path: Path) -> None:
    clock = Clock()
    conversations = shared_conversations(tmp_path, clock)
    for _ in range(2):
        conversations.remember(conversations.get(None)[0], NALED)
    clock.now += 30
    conversations.remember(conversations.get(None)[0], NALED)
    assert len(conversations) == 3
    clock.now += 31  # the first two are 61 s old
    assert len(conversations) == 1


def test_the_shared_file_is_swept_of_what_expired_what_is_beyond_its_limit_and_old_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_module, "SWEEP_EVERY", 1)  # a sweep after every write
    clock = Clock()
    conversations = shared_conversations(tmp_path, clock, limit=2)
    old = conversations.get(None)[0]
    conversations.remember(old, NALED, Given("about", "naled"))
    clock.now += 61  # `old` has expired
    kept = conversations.get(None)[0]
    for _ in range(ANSWERS_KEPT + 2):
        conversations.remember(kept, NALED, Given("seat", "naled"))
    assert file_rows(tmp_path, "SELECT id FROM conversation") == [(kept,)]
    assert file_rows(tmp_path, "SELECT id, json_array_length(answers) FROM conversation") == [(kept, ANSWERS_KEPT)]
    newer = [conversations.get(None)[0] for _ in range(3)]
    for conversation in newer:
        clock.now += 1
        conversations.remember(conversation, NALED)
    assert sorted(file_rows(tmp_path, "SELECT id FROM conversation")) == sorted([(newer[1],), (newer[2],)])


def test_a_shared_file_of_the_former_layout_is_made_anew(tmp_path: Path) -> None:
    """Before, an answer was a row of its own table; what the file holds lives minutes, so it starts over."""
    with closing(sqlite3.connect(tmp_path / SHARED_FILE)) as connection, connection:
        connection.execute("CREATE TABLE conversation (id TEXT PRIMARY KEY, state TEXT NOT NULL, at REAL NOT NULL)")
        connection.execute("CREATE TABLE answer (id TEXT PRIMARY KEY, conversation TEXT NOT NULL)")
        connection.execute("INSERT INTO conversation VALUES ('old', '{}', 1)")
    conversations = shared_conversations(tmp_path, Clock())
    issued = conversations.get(None)[0]
    assert conversations.remember(issued, NALED, Given("about", "naled")) is not None
    assert conversations.get(issued) == (issued, NALED)
    assert file_rows(tmp_path, "SELECT id FROM conversation") == [(issued,)]
    assert file_rows(tmp_path, "SELECT name FROM sqlite_master WHERE name = 'answer'") == []
    assert shared_conversations(tmp_path, Clock()).get(issued) == (issued, NALED)  # made anew once, not each start


def test_when_the_shared_file_fails_a_turn_goes_on_without_it_and_it_is_said_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_module, "_last_trouble", [-1e9])
    clock = Clock()
    conversations = shared_conversations(tmp_path, clock)
    quota = SharedQuota(SharedFile(tmp_path), 1, clock=clock)
    conversation = conversations.get(None)[0]
    answer_id = conversations.remember(conversation, NALED, Given("about", "naled")) or ""
    failures = metrics.REGISTRY.get_sample_value("nis_shared_file_failures_total") or 0
    conversations.shared.close()  # the file fails from now on (its connection is gone)
    quota.shared.close()
    fresh, state = conversations.get(conversation)
    assert fresh != conversation and state == DialogueState()  # no context: the question is still answered
    assert conversations.remember(conversation, NALED, Given("about", "naled")) is None
    assert conversations.vote(conversation, answer_id) == (Vote.UNAVAILABLE, None)
    assert len(conversations) == 0
    assert quota.check("198.51.100.1") is Verdict.ANSWER and quota.check("198.51.100.1") is Verdict.ANSWER
    assert (metrics.REGISTRY.get_sample_value("nis_shared_file_failures_total") or 0) - failures == 5
    said = [r.getMessage() for r in caplog.records if "shared file failed" in r.getMessage()]
    assert said == ["the web processes' shared file failed (Cannot operate on a closed database.); answering"
                    " without it meanwhile"]  # fmt: skip
    again = shared_conversations(tmp_path, clock)  # the file itself is fine: the vote was not counted
    assert again.vote(conversation, answer_id) == (Vote.COUNTED, Given("about", "naled"))


def test_a_write_waits_for_another_processs_write_and_at_most_busy_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writers take a lock file first (SQLite's own wait sleeps a millisecond or more): a turn waits while
    another holds it, and is kept once it is let go; held past BUSY_SECONDS, the turn goes on without the file."""
    monkeypatch.setattr(shared_module, "BUSY_SECONDS", 0.6)
    conversations = shared_conversations(tmp_path, Clock())
    issued = conversations.get(None)[0]
    failures = metrics.REGISTRY.get_sample_value("nis_shared_file_failures_total") or 0
    other = os.open(tmp_path / (SHARED_FILE + ".lock"), os.O_RDONLY)  # as another process opens it
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        letting_go = threading.Timer(0.05, fcntl.flock, (other, fcntl.LOCK_UN))
        letting_go.start()
        assert conversations.remember(issued, NALED, Given("about", "naled")) is not None  # waited for it
        letting_go.join()
        assert conversations.get(issued) == (issued, NALED)
        fcntl.flock(other, fcntl.LOCK_EX)
        assert conversations.remember(issued, SKGO_STATE, Given("about", "skgo")) is None  # held past 0.6 s
        assert (metrics.REGISTRY.get_sample_value("nis_shared_file_failures_total") or 0) - failures == 1
        assert conversations.get(issued) == (issued, NALED)  # not written
    finally:
        os.close(other)


def test_opening_the_shared_file_while_another_process_writes_never_sets_it_aside(tmp_path: Path) -> None:
    """Opening an up-to-date file writes nothing, so a write in progress elsewhere does not stop it; and a file
    that must be made anew while SQLite says it is locked is busy, not damaged: it is raised, nothing renamed."""
    first = shared_conversations(tmp_path, Clock())
    issued = first.get(None)[0]
    first.remember(issued, NALED, Given("about", "naled"))
    with closing(sqlite3.connect(tmp_path / SHARED_FILE, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # SQLite's own write lock, as another process mid-write holds it
        assert shared_conversations(tmp_path, Clock()).get(issued) == (issued, NALED)
        writer.execute("COMMIT")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    with closing(sqlite3.connect(fresh / SHARED_FILE, isolation_level=None)) as writer:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            SharedFile(fresh)
        writer.execute("ROLLBACK")
    assert sorted(path.name for path in fresh.iterdir() if "damaged" in path.name) == []
    assert shared_conversations(fresh, Clock()).get(None)[1] == DialogueState()  # once free, it is made


def test_the_shared_quota_says_when_to_ask_again_and_forgets_full_buckets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_module, "SWEEP_EVERY", 3)
    clock = Clock()
    quota = SharedQuota(SharedFile(tmp_path), 6, clock=clock)  # one more every 10 s
    assert quota.retry_after("never-seen") == 1  # at least a second, always
    for _ in range(6):
        assert quota.check("a") is Verdict.ANSWER  # writes 1…6 (two each): swept at 3 and 6
    assert quota.retry_after("a") == 10
    clock.now += 4
    assert quota.retry_after("a") == 10  # 0.4 of a token earned, but not yet counted: checked again, it is
    clock.now += 61
    quota.check("b")  # writes 7…8
    quota.check("b")  # writes 9…10: swept, `a` is full again and a minute old
    assert file_rows(tmp_path, "SELECT key FROM quota") == [("b",)]


def test_web_conversations_issue_unguessable_ids_and_keep_one_exactly_its_memory(tmp_path: Path) -> None:
    clock = Clock()
    conversations = Conversations(ttl_seconds=60, clock=clock)
    first = conversations.get(None)[0]
    assert len(first) == 24  # 18 random bytes
    assert conversations.remember(first, NALED) is None
    answer_id = conversations.remember(first, NALED, Given("about", "naled"))
    assert answer_id is not None and len(answer_id) == 12
    clock.now += 60
    conversations.remember(conversations.get(None)[0], NALED)  # another conversation, exactly a memory later
    assert conversations.get(first) == (first, NALED) and len(conversations) == 2


def test_signing_out_twice_or_with_a_made_up_session_is_no_error() -> None:
    gate = StaffGate("a-shared-token-0123456789", clock=Clock())
    session = gate.open_session()
    gate.close(session)
    gate.close(session)  # a second tab signing out
    gate.close("made-up")
    gate.close(None)
    assert not gate.valid(session)


@pytest.mark.parametrize("damage", ["header", "pages"])
def test_a_damaged_shared_file_is_set_aside_said_once_and_made_anew(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    folder = tmp_path / "a" / "data"  # made with its parents
    folder.mkdir(parents=True)
    path = folder / SHARED_FILE
    if damage == "header":
        path.write_bytes(b"not a database at all" * 100)
    else:
        damaged_pages(path)
    shared = SharedFile(folder)
    assert path.with_name(path.name + ".damaged").exists()
    said = [r.getMessage() for r in caplog.records if "is damaged" in r.getMessage()]
    why = "file is not a database" if damage == "header" else "quick_check failed"
    assert said == [f"the web processes' shared file {path} is damaged ({why}); starting it anew"]
    conversations = SharedConversations(shared, 60, clock=Clock())
    conversation = conversations.get(None)[0]
    conversations.remember(conversation, NALED)
    assert conversations.get(conversation) == (conversation, NALED)  # the new file works, from any thread
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(conversations.get(conversation)))
    worker.start()
    worker.join(30)
    assert seen == [(conversation, NALED)]
    assert SharedFile(tmp_path / "new" / "folder").path.exists()
