"""The database and its parts: what survives a restart, and what a storage fault does (and does not) cost."""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.answering.compose import Answer
from bot.dialogue import DialogueState
from bot.recording import Recorder, Stats
from bot.script import Script
from bot.storage import database as database_module
from bot.storage import inbox as inbox_module
from bot.storage import questions
from bot.storage.conversations import ConversationMemory
from bot.storage.database import Database, Health, StoreUnavailable, database_path
from bot.storage.inbox import Inbox
from bot.storage.questions import (
    COUNTS_KEPT_DAYS,
    TELEGRAM,
    WEB,
    BiggestGroups,
    FeedbackCount,
    GroupCounts,
    QuestionStore,
    read_biggest_groups,
    read_daily_outcomes,
    read_feedback,
    read_unanswered,
)
from bot.text import clean
from tests.support.damaged_files import damaged_pages

FAULT = "cannot write the database"


@dataclass
class Parts:
    database: Database
    inbox: Inbox
    memory: ConversationMemory
    store: QuestionStore


@contextmanager
def opened(
    folder: Path, clock: Callable[[], float] = time.time, connect: Callable[..., sqlite3.Connection] = sqlite3.connect
) -> Iterator[Parts]:
    database = Database(folder, retry_seconds=0.05, busy_seconds=0.05, connect=connect)
    parts = Parts(database, Inbox(database), ConversationMemory(database, 30 * 60, clock), QuestionStore(database))
    database.open()
    try:
        yield parts
    finally:
        database.close()


def saved(database: Database) -> bool:
    return database.saved().result(timeout=5)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def rows(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(database_path(folder))) as connection:
        return connection.execute(sql).fetchall()


# Across a restart ------------------------------------------------------------


def test_the_inbox_keeps_what_was_not_answered_and_recognises_what_was(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        for update_id in (7, 5, 6):
            parts.inbox.admit(update_id, f'{{"update_id": {update_id}}}')
        parts.inbox.done(6)
        parts.inbox.skip(8)
    with opened(tmp_path) as parts:
        assert [w.update_id for w in parts.inbox.undone()] == [5, 7]
        assert [parts.inbox.is_new(i) for i in (5, 6, 7, 8, 9)] == [False, False, False, False, True]
    assert rows(tmp_path, "SELECT update_id FROM inbox WHERE body IS NOT NULL ORDER BY 1") == [(5,), (7,)]


def test_an_answered_update_keeps_no_text(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        parts.inbox.admit(1, '{"message": {"text": "Шта је СКГО?"}}')
        assert saved(parts.database)
        parts.inbox.done(1)
    assert rows(tmp_path, "SELECT update_id, body FROM inbox") == [(1, None)]


def test_ids_telegram_confirmed_are_forgotten(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        for update_id in (1, 2, 3):
            parts.inbox.admit(update_id, "{}")
            parts.inbox.done(update_id)
        parts.inbox.confirmed(3)  # Telegram will never send 1 or 2 again
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(3,)]


def test_conversations_survive_a_restart_and_are_forgotten_after_thirty_minutes(tmp_path: Path) -> None:
    now = [1_000_000.0]
    state = DialogueState("skgo", "about", Script.LATIN)
    with opened(tmp_path, clock=lambda: now[0]) as parts:
        parts.memory.remember(42, state)
        parts.memory.remember(43, DialogueState("ecad", "seat", Script.CYRILLIC))
    now[0] += 29 * 60
    with opened(tmp_path, clock=lambda: now[0]) as parts:
        assert parts.memory.get(42) == (42, state)
        parts.memory.remember(43, DialogueState("naled", "seat", Script.CYRILLIC))
        now[0] += 2 * 60  # 31 minutes after chat 42 last wrote, 2 after chat 43
        assert parts.memory.get(42) == (42, DialogueState())
        parts.memory.upkeep()
        assert len(parts.memory) == 1
    with opened(tmp_path, clock=lambda: now[0]) as parts:
        assert parts.memory.get(42) == (42, DialogueState()) and parts.memory.get(43)[1].network == "naled"
    assert rows(tmp_path, "SELECT chat FROM conversation") == [(43,)]


def test_the_networks_of_a_chats_last_list_survive_a_restart_and_an_older_file_gets_their_column(
    tmp_path: Path,
) -> None:
    """`а која је од њих старија?` after a restart still knows which list `њих` is; a database written before
    the column gets it, its chats having listed nothing."""
    database_path(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute(
            "CREATE TABLE conversation (chat INTEGER PRIMARY KEY, network TEXT, intent TEXT, script TEXT NOT NULL, "
            "updated_at REAL NOT NULL)"
        )
        connection.execute("INSERT INTO conversation VALUES (41, 'avec', 'about', 'latin', ?)", (time.time(),))
    listed = DialogueState(None, "list", Script.LATIN, ("naled", "skgo"))
    with opened(tmp_path) as parts:
        assert parts.memory.get(41) == (41, DialogueState("avec", "about", Script.LATIN))
        parts.memory.remember(42, listed)
    with opened(tmp_path) as parts:
        assert parts.memory.get(42) == (42, listed)
    assert rows(tmp_path, "SELECT listed FROM conversation WHERE chat = 42") == [("naled,skgo",)]


# Storage faults ----------------------------------------------------------------


def test_a_locked_database_is_logged_once_answered_from_memory_and_caught_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with opened(tmp_path) as parts:
        with closing(sqlite3.connect(database_path(tmp_path), isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            for update_id in range(1, 6):
                parts.inbox.admit(update_id, "{}")
                parts.store.record_unanswered(f"питање {update_id}", "cyrillic", "fallback", None)
                time.sleep(0.06)
            assert not saved(parts.database)
            health = parts.database.health()
            assert not health.ok and "locked" in (health.problem or "") and health.unsaved >= 5
            assert [w.update_id for w in parts.inbox.undone()] == [1, 2, 3, 4, 5]  # memory is complete
            other.execute("ROLLBACK")
        wait_until(lambda: parts.database.health().ok)
    assert [r.message for r in caplog.records if FAULT in r.message].__len__() == 1
    assert rows(tmp_path, "SELECT count(*) FROM inbox WHERE body IS NOT NULL") == [(5,)]
    assert len(read_unanswered(tmp_path, days=1)) == 5


def test_a_full_disk_is_caught_up_once_there_is_room(tmp_path: Path) -> None:
    room = {"pages": 1_000_000}

    def connect(path: Path, **options: Any) -> sqlite3.Connection:
        connection = sqlite3.connect(path, **options)
        connection.execute(f"PRAGMA max_page_count = {room['pages']}")
        return connection

    with opened(tmp_path, connect=connect) as parts:
        assert saved(parts.database)
        room["pages"] = rows(tmp_path, "PRAGMA page_count")[0][0]  # no page more: the disk is full
        parts.database._close_connection()  # the next write opens the file with the new limit
        parts.store.record_unanswered("x" * 1000, "latin", "fallback", None)
        parts.inbox.admit(1, "y" * 20_000)
        wait_until(lambda: not parts.database.health().ok)
        assert "full" in (parts.database.health().problem or "")
        room["pages"] = 1_000_000
        wait_until(lambda: parts.database.health().ok)
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(1,)]


def test_a_deleted_data_folder_is_made_again_with_everything_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "data"
    with opened(folder) as parts:
        parts.inbox.admit(1, "{}")
        parts.memory.remember(42, DialogueState("avec", "joined", Script.LATIN))
        assert saved(parts.database)
        shutil.rmtree(folder)
        parts.inbox.admit(2, "{}")
        assert saved(parts.database)
    assert rows(folder, "SELECT update_id FROM inbox ORDER BY 1") == [(1,), (2,)]
    assert rows(folder, "SELECT chat, network FROM conversation") == [(42, "avec")]
    assert any("was gone" in r.message for r in caplog.records)


def test_a_folder_replaced_by_a_file_is_a_fault_until_it_is_a_folder_again(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with opened(folder) as parts:
        folder.rename(tmp_path / "elsewhere")
        folder.write_text("not a folder", encoding="utf-8")
        parts.inbox.admit(1, "{}")
        wait_until(lambda: not parts.database.health().ok)
        started = time.monotonic()
        assert not parts.database.saved().result(timeout=1)
        assert time.monotonic() - started < 0.5  # nobody waits through a fault
        folder.unlink()
        wait_until(lambda: parts.database.health().ok)
    assert rows(folder, "SELECT update_id FROM inbox") == [(1,)]


def test_waiting_for_the_disk_gives_up_after_its_time_out(tmp_path: Path) -> None:
    with opened(tmp_path) as parts, closing(sqlite3.connect(database_path(tmp_path), isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        parts.database.busy_seconds = 0.5  # applies to the next connection
        parts.database._close_connection()
        parts.inbox.admit(1, "{}")
        started = time.monotonic()
        assert not asyncio.run(parts.inbox.saved(timeout=0.1))
        assert time.monotonic() - started < 0.4
        other.execute("ROLLBACK")


# At start --------------------------------------------------------------------


def test_a_damaged_file_is_moved_aside_and_a_new_one_started(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    database_path(tmp_path).write_bytes(b"this is not a database, it was cut off by a crash" * 100)
    with caplog.at_level(logging.ERROR), opened(tmp_path) as parts:
        parts.inbox.admit(1, "{}")
    aside = list(tmp_path.glob("questions.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(1,)]
    assert any("moved it aside" in r.message and str(aside[0]) in r.message for r in caplog.records)


def test_a_folder_that_cannot_hold_a_database_stops_the_start_with_an_explanation(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    database = Database(blocker)
    Inbox(database)
    with pytest.raises(StoreUnavailable, match="BOT_DATA_DIR"):
        database.open()


def test_an_update_done_and_confirmed_before_it_was_written_does_not_come_back(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        parts.inbox.admit(1, "{}")
        assert saved(parts.database)
        with parts.database._wake:  # hold the writer back: both happen before the next write
            parts.inbox.done(1)
            parts.inbox.confirmed(2)
    with opened(tmp_path) as parts:
        assert parts.inbox.undone() == []


# Questions per day, channel and outcome (the charts on /staff) ---------------

NEXT_DAY = datetime.now(UTC).date() - timedelta(days=1)  # counts are kept COUNTS_KEPT_DAYS: recent days
DAY = NEXT_DAY - timedelta(days=1)
D1, D2 = DAY.isoformat(), NEXT_DAY.isoformat()


def answer(intent: str, question: str = "Када је Ниш ушао у Eurocities?") -> Answer:
    return Answer(question, intent, None, 0.9, ())


@contextmanager
def recording(folder: Path, day: list[date]) -> Iterator[tuple[Parts, Recorder]]:
    """The bot's own recording path; `day[0]` is the day its clock says."""
    with opened(folder) as parts:
        parts.store.today = lambda: day[0]
        yield parts, Recorder(Stats(), parts.store)


def counted(folder: Path, days: float = 3, today: date = NEXT_DAY) -> dict[tuple[str, str, str], int]:
    return {(c.day.isoformat(), c.channel, c.outcome): c.count for c in read_daily_outcomes(folder, days, today)}


def test_every_question_is_counted_by_day_channel_and_outcome_and_the_counts_survive_a_restart(
    tmp_path: Path,
) -> None:
    day = [DAY]
    with recording(tmp_path, day) as (_, recorder):
        for intent, channel in [("joined", TELEGRAM), ("joined", TELEGRAM), ("fallback", TELEGRAM), ("seat", WEB)]:
            recorder.note(answer(intent), time.perf_counter(), channel)
        day[0] = NEXT_DAY
        recorder.note(answer("clarify"), time.perf_counter(), WEB)
    with recording(tmp_path, day) as (_, recorder):  # after a restart the counts go on, not over
        recorder.note(answer("clarify"), time.perf_counter(), WEB)
        recorder.note(answer("joined"), time.perf_counter(), TELEGRAM)
    assert counted(tmp_path) == {
        (D1, "telegram", "answered"): 2,
        (D1, "telegram", "fallback"): 1,
        (D1, "web", "answered"): 1,
        (D2, "telegram", "answered"): 1,
        (D2, "web", "clarify"): 2,
    }
    assert counted(tmp_path, days=1) == {k: v for k, v in counted(tmp_path).items() if k[0] == D2}
    assert rows(tmp_path, "SELECT name FROM pragma_table_info('daily_outcomes') ORDER BY cid") == [
        ("day",),
        ("channel",),
        ("outcome",),
        ("count",),
    ]  # a number per day, channel and outcome: no text, nobody's id


def test_counts_wait_through_a_locked_database_and_are_written_once(tmp_path: Path) -> None:
    with recording(tmp_path, [DAY]) as (parts, recorder):
        with closing(sqlite3.connect(database_path(tmp_path), isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            for _ in range(3):
                recorder.note(answer("joined"), time.perf_counter(), WEB)
                time.sleep(0.06)  # a few tries fail meanwhile
            assert not saved(parts.database)
            assert parts.database.health().unsaved >= 1
            other.execute("ROLLBACK")
        wait_until(lambda: parts.database.health().ok)
        assert saved(parts.database) and parts.database.health().unsaved == 0
    assert counted(tmp_path, today=DAY) == {(D1, "web", "answered"): 3}


def test_a_question_that_cannot_be_stored_is_still_counted(tmp_path: Path) -> None:
    with recording(tmp_path, [DAY]) as (parts, recorder):
        recorder.note(answer("fallback", "\ud800 отров"), time.perf_counter(), TELEGRAM)  # a lone surrogate
        recorder.note(answer("fallback", "Колико кошта карта?"), time.perf_counter(), TELEGRAM)
        assert saved(parts.database)
        assert parts.database.health().set_aside == 1
    assert [q.text for q in read_unanswered(tmp_path, days=1)] == ["Колико кошта карта?"]
    assert counted(tmp_path, today=DAY) == {(D1, "telegram", "fallback"): 2}


def test_a_database_from_before_the_daily_counts_gets_their_table(tmp_path: Path) -> None:
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute(
            "CREATE TABLE unanswered (id INTEGER PRIMARY KEY, asked_at TEXT NOT NULL, text TEXT NOT NULL,"
            " script TEXT NOT NULL, outcome TEXT NOT NULL, guess_intent TEXT, guess_network TEXT, guess_score REAL)"
        )
        connection.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY, given_at TEXT NOT NULL, intent TEXT NOT NULL,"
            " network TEXT, helpful INTEGER NOT NULL)"
        )
        connection.execute(
            "INSERT INTO unanswered (asked_at, text, script, outcome) VALUES (datetime('now'), 'од пре', 'cyrillic',"
            " 'fallback')"
        )
    assert read_daily_outcomes(tmp_path, 7) == []  # /staff reads it before the bot was restarted: no counts yet
    with recording(tmp_path, [DAY]) as (_, recorder):
        recorder.note(answer("joined"), time.perf_counter(), TELEGRAM)
    assert counted(tmp_path, today=DAY) == {(D1, "telegram", "answered"): 1}
    assert [q.text for q in read_unanswered(tmp_path, days=1)] == ["од пре"]


def test_counts_older_than_they_are_kept_are_forgotten(tmp_path: Path) -> None:
    old = datetime.now(UTC).date() - timedelta(days=COUNTS_KEPT_DAYS + 1)
    with recording(tmp_path, [old]) as (parts, recorder):
        recorder.note(answer("joined"), time.perf_counter(), TELEGRAM)
        assert saved(parts.database)
    assert rows(tmp_path, "SELECT count(*) FROM daily_outcomes") == [(1,)]
    with opened(tmp_path):  # the upkeep at start
        pass
    assert rows(tmp_path, "SELECT count(*) FROM daily_outcomes") == [(0,)]


# A write that fails while more is staged ---------------------------------------


class FailsOnce:
    """Connections whose first write into `table` waits until the test lets it go on (`go`), then fails as a
    locked database does: what the write took, and what was staged meanwhile, must both be written later."""

    def __init__(self, table: str):
        self.table = table
        self.writing, self.go = threading.Event(), threading.Event()
        self.failed = False

    def connect(self, path: Path, **options: Any) -> sqlite3.Connection:
        outer = self

        class Connection(sqlite3.Connection):
            def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
                if not outer.failed and f"INTO {outer.table} " in sql:
                    outer.failed = True
                    outer.writing.set()
                    outer.go.wait(60)  # a safety net: the test sets it
                    raise sqlite3.OperationalError("database is locked")
                return super().executemany(sql, rows)

        return sqlite3.connect(path, factory=Connection, **options)


def parts_of(folder: Path, connect: Callable[..., sqlite3.Connection], clock: Callable[[], float] = time.time) -> Parts:
    database = Database(folder, retry_seconds=60, busy_seconds=0.05, connect=connect)
    return Parts(database, Inbox(database), ConversationMemory(database, 30 * 60, clock), QuestionStore(database))


def test_what_a_write_under_way_took_counts_as_unsaved_until_it_is_on_disk(tmp_path: Path) -> None:
    fails = FailsOnce("inbox")
    parts = parts_of(tmp_path, fails.connect)
    parts.database.open()
    try:
        for update_id in (1, 2, 3):
            parts.inbox.admit(update_id, "{}")
        failing = parts.database.saved()
        assert fails.writing.wait(60)  # the write holds the three and waits
        assert parts.database.health().unsaved == 3  # taken from the inbox, not on disk
        fails.go.set()
        assert failing.result(timeout=60) is False
        assert parts.database.health().unsaved == 3  # put back, and not counted twice
    finally:
        fails.go.set()
        parts.database.close()
    assert parts.database.health().unsaved == 0


def test_a_failed_write_loses_neither_what_it_took_nor_what_came_meanwhile(tmp_path: Path) -> None:
    for table in ("conversation", "inbox", "unanswered"):
        folder = tmp_path / table
        fails = FailsOnce(table)
        parts = parts_of(folder, fails.connect)
        parts.memory.remember(42, DialogueState("naled", "seat", Script.LATIN))
        parts.inbox.admit(1, "{}")
        parts.store.record_unanswered("прво питање", "cyrillic", "fallback", None)
        parts.database.open()
        assert fails.writing.wait(60)
        parts.memory.remember(43, DialogueState("skgo", "about", Script.CYRILLIC))
        parts.inbox.admit(2, "{}")
        parts.store.record_unanswered("друго питање", "cyrillic", "fallback", None)
        fails.go.set()
        parts.database.close()  # the last write, after the failed one
        assert rows(folder, "SELECT chat FROM conversation ORDER BY 1") == [(42,), (43,)], table
        assert rows(folder, "SELECT update_id FROM inbox ORDER BY 1") == [(1,), (2,)], table
        assert rows(folder, "SELECT text FROM unanswered ORDER BY id") == [("прво питање",), ("друго питање",)]


def test_during_a_fault_at_most_max_unsaved_questions_wait_and_the_first_dropped_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(questions, "MAX_UNSAVED", 3)
    fails = FailsOnce("unanswered")
    parts = parts_of(tmp_path, fails.connect)
    for number in range(3):
        parts.store.record_unanswered(f"питање {number}", "cyrillic", "fallback", None)
    parts.database.open()
    assert fails.writing.wait(60)  # the three are being written
    parts.store.record_feedback("seat", "naled", helpful=False)
    parts.store.record_unanswered("питање 3", "cyrillic", "fallback", None)
    fails.go.set()
    wait_until(lambda: not parts.database.health().ok)
    assert parts.store.staged() == 3  # the two staged meanwhile, and one of the three the failed write took
    for number in range(4, 7):
        parts.store.record_unanswered(f"питање {number}", "cyrillic", "fallback", None)
    assert parts.store.staged() == 3
    parts.database.close()
    dropped = [r.getMessage() for r in caplog.records if "not keeping more" in r.getMessage()]
    assert dropped == ["3 questions and votes wait for the database: not keeping more"]
    assert rows(tmp_path, "SELECT text FROM unanswered ORDER BY id") == [("питање 0",), ("питање 3",)]
    assert rows(tmp_path, "SELECT intent, network, helpful FROM feedback") == [("seat", "naled", 0)]


# Conversation memory: the edge of BOT_MEMORY_MINUTES ---------------------------


def test_a_conversation_is_kept_exactly_its_memory_and_forgotten_just_after(tmp_path: Path) -> None:
    now = [1_000_000.0]
    with opened(tmp_path, clock=lambda: now[0]) as parts:
        parts.memory.remember(42, DialogueState("skgo", "about", Script.LATIN))
        now[0] += 30 * 60  # exactly the memory's length
        parts.memory.upkeep()
        assert parts.memory.get(42)[1].network == "skgo" and len(parts.memory) == 1
        assert parts.memory.get(None) == (None, DialogueState())
        now[0] += 0.5
        assert parts.memory.get(42) == (42, DialogueState())


# Questions and votes, as `report` and /staff read them -------------------------


def test_votes_are_read_per_answer_the_most_unhelpful_first(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        for intent, network, helpful in [
            ("seat", "naled", True),
            ("about", "skgo", False),
            ("about", "skgo", False),
            ("about", "skgo", True),
            ("seat", "naled", False),
            ("list", None, True),
            ("list", None, True),
        ]:
            parts.store.record_feedback(intent, network, helpful)
    assert read_feedback(tmp_path, days=1) == [
        FeedbackCount("about", "skgo", 1, 2),
        FeedbackCount("seat", "naled", 1, 1),
        FeedbackCount("list", None, 2, 0),
    ]
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute("UPDATE feedback SET given_at = '2000-01-01T00:00:00+00:00' WHERE intent = 'list'")
    assert [f.intent for f in read_feedback(tmp_path, days=1)] == ["about", "seat"]
    assert read_feedback(tmp_path / "nothing-yet", days=1) == []


def test_a_question_is_stored_with_the_bots_guess(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        parts.store.record_unanswered("Ко води НАЛЕД?", "cyrillic", "clarify", ("chair", "naled", 0.42), WEB)
        parts.store.record_unanswered("Колико је сати?", "cyrillic", "fallback", None)
    first, second = read_unanswered(tmp_path, days=1)
    assert (first.guess_intent, first.guess_network, first.guess_score, first.channel) == ("chair", "naled", 0.42, WEB)
    assert (second.guess_intent, second.guess_network, second.guess_score) == (None, None, None)


def stored_by_another_program(folder: Path, *questions: tuple[str, str]) -> None:
    """Rows written without the bot (asked_at, text): not grouped, not cleaned."""
    folder.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(database_path(folder))) as connection, connection:
        connection.executescript(QuestionStore.schema)
        connection.executemany(
            "INSERT INTO unanswered (asked_at, text, script, outcome) VALUES (?, ?, 'cyrillic', 'fallback')",
            questions,
        )


def test_questions_are_read_cleaned_and_an_ungrouped_one_is_its_own_group(tmp_path: Path) -> None:
    asked = datetime.now(UTC).isoformat(timespec="seconds")
    raw = "Шта\u0007 је\u200b НАЛЕД?\u202e"
    stored_by_another_program(tmp_path, (asked, raw))
    assert clean(raw) != raw
    (question,) = read_unanswered(tmp_path, days=1)
    assert question.text == clean(raw)
    biggest = read_biggest_groups(tmp_path, days=1, limit=5)
    assert [q.group_key for q in biggest.questions] == ["row1"] and biggest.questions[0].text == clean(raw)
    assert biggest.counts == {"row1": GroupCounts(1, {"fallback": 1}, {"telegram": 1})}
    assert (biggest.groups, biggest.total) == (1, 1)


def test_the_biggest_groups_of_a_period_without_questions_are_none(tmp_path: Path) -> None:
    assert read_biggest_groups(tmp_path, days=7, limit=5) == BiggestGroups([], {}, 0, 0)  # no database yet
    stored_by_another_program(tmp_path, ("2000-01-01T00:00:00+00:00", "давно"))
    assert read_biggest_groups(tmp_path, days=7, limit=5) == BiggestGroups([], {}, 0, 0)


def test_questions_stored_before_groups_are_grouped_when_the_bot_opens_the_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    asked = datetime.now(UTC).isoformat(timespec="seconds")
    stored_by_another_program(tmp_path, (asked, "Колико кошта карта?"), (asked, "колико кошта карта"))
    with caplog.at_level(logging.INFO), opened(tmp_path):
        pass
    keys = rows(tmp_path, "SELECT group_key FROM unanswered")
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0][0] is not None
    (said,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("grouped")]
    match = re.fullmatch(r"grouped 2 stored question\(s\) in (\d+\.\d) s", said)
    assert match is not None and float(match.group(1)) < 60, said


def test_questions_older_than_the_retention_are_deleted_at_start(tmp_path: Path) -> None:
    old = (datetime.now(UTC) - timedelta(days=181)).isoformat(timespec="seconds")
    recent = (datetime.now(UTC) - timedelta(days=179)).isoformat(timespec="seconds")
    stored_by_another_program(tmp_path, (old, "старо"), (recent, "новије"))
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute("INSERT INTO feedback (given_at, intent, helpful) VALUES (?, 'seat', 1)", (old,))
    with opened(tmp_path):  # retention: 180 days
        pass
    assert rows(tmp_path, "SELECT text FROM unanswered") == [("новије",)]
    assert rows(tmp_path, "SELECT count(*) FROM feedback") == [(0,)]


def test_a_count_another_program_wrote_badly_is_passed_over_and_the_rest_read(tmp_path: Path) -> None:
    with recording(tmp_path, [NEXT_DAY]) as (_, recorder):
        recorder.note(answer("joined"), time.perf_counter(), WEB)
    with closing(sqlite3.connect(database_path(tmp_path))) as connection, connection:
        connection.execute("INSERT INTO daily_outcomes VALUES (?, 'web', 'answered', 'many')", (D1,))
    assert counted(tmp_path) == {(D2, "web", "answered"): 1}


@pytest.mark.parametrize("utc_hour_offset", ["-12", "+14"])
def test_days_are_utc_days_whatever_the_machines_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc_hour_offset: str
) -> None:
    """A question is counted on its UTC day and `report --days 1` reads the last 24 hours, on a machine 12 hours
    behind or 14 ahead of UTC (POSIX TZ names count the other way: Etc/GMT+12 is UTC−12)."""
    zone = {"-12": "Etc/GMT+12", "+14": "Etc/GMT-14"}[utc_hour_offset]
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        day_before_yesterday = (datetime.now(UTC) - timedelta(hours=30)).isoformat(timespec="seconds")
        stored_by_another_program(tmp_path, (day_before_yesterday, "пре 30 сати"))
        with opened(tmp_path) as parts:  # the store's own clock: utc_today
            parts.store.record_outcome("answered", WEB)
            parts.store.record_unanswered("сада", "cyrillic", "fallback", None)
        assert [q.text for q in read_unanswered(tmp_path, days=1)] == ["сада"]
        assert [(c.day, c.count) for c in read_daily_outcomes(tmp_path, 1)] == [(datetime.now(UTC).date(), 1)]
    finally:
        monkeypatch.undo()
        time.tzset()


# The inbox: what it remembers, and for how long ----------------------------------


class FakeTime:
    """The inbox's clock (its `time` module), moved by the test."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_an_answered_update_is_remembered_with_when_it_was_answered_across_restarts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeTime(1_000_000.0)
    monkeypatch.setattr(inbox_module, "time", clock)
    folder = tmp_path / "data"
    with opened(folder) as parts:
        parts.inbox.admit(1, '{"update_id": 1}')
        clock.now += 5
        assert parts.inbox.done(1) == 1_000_000.0  # when it was received: the answer time counts from there
        assert parts.inbox.done(2) is None  # skipped, never waiting
    assert rows(folder, "SELECT update_id, body, done_at FROM inbox ORDER BY 1") == [
        (1, None, 1_000_005.0),
        (2, None, 1_000_005.0),
    ]
    clock.now += 3600  # an hour later: restarted twice, still remembered (Telegram may send them again for a day)
    for _ in range(2):
        with opened(folder) as parts:
            assert not parts.inbox.is_new(1) and not parts.inbox.is_new(2)
    with opened(folder) as parts:
        clock.now += 60
        shutil.rmtree(folder)  # the file is gone: everything in memory is written into a new one, as it was
        parts.inbox.admit(3, "{}")
        assert saved(parts.database)
    assert rows(folder, "SELECT update_id, done_at FROM inbox ORDER BY 1") == [
        (1, 1_000_005.0),
        (2, 1_000_005.0),
        (3, None),
    ]


def test_an_update_waiting_across_a_restart_keeps_its_text_and_its_age(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeTime(1_000_000.0)
    monkeypatch.setattr(inbox_module, "time", clock)
    with opened(tmp_path) as parts:
        assert parts.inbox.oldest_waiting() == 0.0  # none waits
        parts.inbox.admit(7, '{"update_id": 7, "message": {"text": "Шта је СКГО?"}}')
        parts.inbox.admit(8, '{"update_id": 8}')
    clock.now += 100
    with opened(tmp_path) as parts:
        assert [(w.update_id, w.body, w.received_at) for w in parts.inbox.undone()] == [
            (7, '{"update_id": 7, "message": {"text": "Шта је СКГО?"}}', 1_000_000.0),
            (8, '{"update_id": 8}', 1_000_000.0),
        ]
        assert parts.inbox.oldest_waiting() == 100.0
        clock.now -= 1000  # the clock stepped back
        assert parts.inbox.oldest_waiting() == 0.0
        clock.now += 1000
        parts.inbox.done(7)
        parts.inbox.done(8)
        assert parts.inbox.oldest_waiting() == 0.0


def test_the_inbox_remembers_a_bounded_number_of_answered_ids(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(inbox_module, "MAX_DONE_IN_MEMORY", 3)
    with opened(tmp_path) as parts:
        for update_id in (1, 2, 3):
            parts.inbox.done(update_id)
        assert [parts.inbox.is_new(i) for i in (1, 2, 3)] == [False, False, False]
        parts.inbox.done(4)
        assert [parts.inbox.is_new(i) for i in (1, 2, 3, 4)] == [True, False, False, False]  # the oldest went


def test_confirming_forgets_only_the_ids_below_the_offset(tmp_path: Path) -> None:
    with opened(tmp_path) as parts:
        for update_id in (4, 5, 6):
            parts.inbox.done(update_id)
        parts.inbox.confirmed(5)  # Telegram will not send 4 again; 5 and 6 it may
        assert [parts.inbox.is_new(i) for i in (4, 5, 6)] == [True, False, False]
    assert rows(tmp_path, "SELECT update_id FROM inbox ORDER BY 1") == [(5,), (6,)]


def test_forgetting_what_was_confirmed_is_tried_again_after_a_failed_write(tmp_path: Path) -> None:
    fails = FailsOnce("inbox")
    parts = parts_of(tmp_path, fails.connect)
    parts.database.open()
    parts.inbox.done(1)
    parts.inbox.confirmed(2)
    assert fails.writing.wait(60)
    fails.go.set()
    wait_until(lambda: not parts.database.health().ok)
    parts.database.close()
    assert rows(tmp_path, "SELECT update_id FROM inbox") == []


# The writer through faults: what it says, and what it never does ---------------


class Broken:
    """Connections that cannot write into `table` while `broken` is set: every statement raises `error`."""

    def __init__(self, table: str, error: Exception):
        self.table, self.error, self.broken = table, error, True

    def connect(self, path: Path, **options: Any) -> sqlite3.Connection:
        outer = self

        class Connection(sqlite3.Connection):
            def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
                if outer.broken and f"INTO {outer.table} " in sql:
                    raise outer.error
                return super().executemany(sql, rows)

            def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
                if outer.broken and f"INTO {outer.table} " in sql:
                    raise outer.error
                return super().execute(sql, *args)

        return sqlite3.connect(path, factory=Connection, **options)


def test_a_fault_is_reported_in_health_and_logged_as_it_is(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = Broken("inbox", sqlite3.OperationalError("database is locked"))
    database = Database(tmp_path, retry_seconds=60, connect=broken.connect)
    inbox = Inbox(database)
    database.open()
    try:
        assert database.health() == Health()
        started = datetime.now(UTC)
        inbox.admit(1, "{}")
        wait_until(lambda: not database.health().ok)
        health = database.health()
        assert health.problem == "OperationalError: database is locked" and health.unsaved == 1
        assert health.since is not None and health.since.tzinfo is UTC and started <= health.since
        waited = database.saved()
        assert waited.done() and waited.result() is False  # nobody waits through a fault, not even a moment
        broken.broken = False
    finally:
        database.close()
    (said,) = [r.getMessage() for r in caplog.records if FAULT in r.getMessage()]
    assert said == (
        f"cannot write the database {database.path} (OperationalError: database is locked); answering from memory,"
        " trying again every 60 s"
    )
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(1,)]


def test_a_damaged_file_is_a_storage_fault_not_a_row_to_set_aside(tmp_path: Path) -> None:
    broken = Broken("inbox", sqlite3.DatabaseError("database disk image is malformed"))
    database = Database(tmp_path, retry_seconds=60, connect=broken.connect)
    inbox = Inbox(database)
    database.open()
    inbox.admit(1, "{}")
    wait_until(lambda: not database.health().ok)
    broken.broken = False
    database.close()
    assert database.health().set_aside == 0
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(1,)]


def test_a_row_set_aside_is_logged_with_its_table_and_never_its_values(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with opened(tmp_path) as parts:
        parts.store.record_unanswered("\ud800 отров", "cyrillic", "fallback", None)
        parts.store.record_unanswered("\ud800 још један", "cyrillic", "fallback", None)
        assert saved(parts.database)
    said = [r.getMessage() for r in caplog.records if "could not be written" in r.getMessage()]
    assert said == [
        f"a row for unanswered could not be written (UnicodeEncodeError); set aside, {n} so far" for n in (1, 2)
    ]


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("INSERT INTO unanswered (text) VALUES (?)", "unanswered"),
        ("DELETE FROM inbox WHERE done_at < ?", "inbox"),
        ("UPDATE unanswered SET group_key = ? WHERE id = ?", "unanswered"),
        ("INSERT OR REPLACE INTO", "?"),
        ("VACUUM", "?"),
    ],
)
def test_the_table_a_statement_writes_is_named_for_the_log(sql: str, table: str) -> None:
    assert database_module._table(sql) == table


def test_a_damaged_file_is_moved_aside_under_the_utc_time_and_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Etc/GMT-14")  # a machine 14 hours ahead of UTC
    time.tzset()
    try:
        path = database_path(tmp_path)
        path.write_bytes(b"this is not a database" * 100)
        with caplog.at_level(logging.ERROR), opened(tmp_path):
            pass
    finally:
        monkeypatch.undo()
        time.tzset()
    (aside,) = tmp_path.glob("questions.sqlite3.corrupt-*")
    stamp = datetime.strptime(aside.name.rsplit("-", 1)[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - stamp) < timedelta(hours=1)
    (said,) = [r.getMessage() for r in caplog.records if "moved it aside" in r.getMessage()]
    assert (
        said
        == f"the database {path} is damaged (file is not a database): moved it aside to {aside}, starting a new one"
    )


def test_a_stuck_writer_does_not_hold_close_past_its_time_out(
    slow_inbox: tuple[Database, Inbox, threading.Event, threading.Event],
) -> None:
    database, inbox, _, stuck = slow_inbox
    inbox.admit(1, "{}")
    assert stuck.wait(60)
    database.close(timeout=0.05)
    assert stuck.is_set()  # close returned while the writer was still stuck on the disk


def test_a_wait_given_up_on_does_not_stop_the_writer(
    slow_inbox: tuple[Database, Inbox, threading.Event, threading.Event],
) -> None:
    database, inbox, free, stuck = slow_inbox
    inbox.admit(1, "{}")
    assert stuck.wait(60)
    given_up = database.saved()
    given_up.cancel()
    free.set()
    assert database.saved().result(timeout=60)  # the writer lives on: the next write happens
    inbox.admit(2, "{}")
    assert database.saved().result(timeout=60)


@pytest.fixture
def slow_inbox(tmp_path: Path) -> Iterator[tuple[Database, Inbox, threading.Event, threading.Event]]:
    """A database whose inbox writes wait until the test sets `free` (and at the end); `stuck` is set while one
    waits."""
    free, stuck = threading.Event(), threading.Event()

    class Connection(sqlite3.Connection):
        def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
            if "INTO inbox " in sql:
                stuck.set()
                free.wait(60)  # a safety net: the test, or the fixture at its end, sets it
                stuck.clear()
            return super().executemany(sql, rows)

    def connect(path: Path, **options: Any) -> sqlite3.Connection:
        return sqlite3.connect(path, factory=Connection, **options)

    database = Database(tmp_path, connect=connect)
    inbox = Inbox(database)
    database.open()
    yield database, inbox, free, stuck
    free.set()
    database.close()


def test_a_file_whose_pages_are_damaged_is_moved_aside_too(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = database_path(tmp_path)
    damaged_pages(path)
    with caplog.at_level(logging.ERROR), opened(tmp_path) as parts:
        parts.inbox.admit(1, "{}")
    assert len(list(tmp_path.glob("questions.sqlite3.corrupt-*"))) == 1
    (said,) = [r.getMessage() for r in caplog.records if "moved it aside" in r.getMessage()]
    assert said.startswith(f"the database {path} is damaged (quick_check: *** in database main ***")
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(1,)]


def test_the_writer_is_a_daemon_thread_named_for_what_it_does(tmp_path: Path) -> None:
    with opened(tmp_path):
        (writer,) = [t for t in threading.enumerate() if t.name == "database-writer"]
        assert writer.daemon  # a bot that dies without close() does not hang on it


def test_the_data_folder_and_its_parents_are_made_at_start_and_again_when_deleted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "a" / "b" / "data"
    with opened(folder) as parts:
        parts.inbox.admit(1, "{}")
        assert saved(parts.database)
        shutil.rmtree(tmp_path / "a")
        parts.inbox.admit(2, "{}")
        assert saved(parts.database)
    assert rows(folder, "SELECT update_id FROM inbox ORDER BY 1") == [(1,), (2,)]
    said = [r.getMessage() for r in caplog.records if "was gone" in r.getMessage()]
    assert said == [f"the database {database_path(folder)} was gone: created it again and writing everything into it"]


def test_another_file_put_in_place_of_the_database_gets_everything(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with opened(tmp_path) as parts:
        parts.inbox.admit(1, "{}")
        parts.memory.remember(42, DialogueState("ecad", "seat", Script.LATIN))
        assert saved(parts.database)
        path = database_path(tmp_path)
        path.rename(tmp_path / "moved.sqlite3")
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        with closing(sqlite3.connect(path)) as other:  # another (empty) database now stands at the path
            other.execute("CREATE TABLE unrelated (x)")
        parts.inbox.admit(2, "{}")
        assert saved(parts.database)
    assert rows(tmp_path, "SELECT update_id FROM inbox ORDER BY 1") == [(1,), (2,)]
    assert rows(tmp_path, "SELECT chat FROM conversation") == [(42,)]


def test_each_connection_waits_busy_seconds_for_a_lock_and_may_be_used_by_the_writer(tmp_path: Path) -> None:
    asked: list[dict[str, Any]] = []

    def connect(path: Path, **options: Any) -> sqlite3.Connection:
        asked.append(options)
        return sqlite3.connect(path, **options)

    database = Database(tmp_path, busy_seconds=0.25, connect=connect)
    Inbox(database)
    database.open()
    database.close()
    assert asked == [{"timeout": 0.25, "check_same_thread": False}]


def test_expired_conversations_leave_the_file_while_the_bot_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "UPKEEP_SECONDS", 0.0)  # the upkeep with every write, not once a minute
    now = [1_000_000.0]
    with opened(tmp_path, clock=lambda: now[0]) as parts:
        parts.memory.remember(42, DialogueState("naled", "about", Script.CYRILLIC))
        assert saved(parts.database)
        now[0] += 31 * 60
        for update_id in (1, 2):  # two writes: the upkeep runs again after the first
            parts.inbox.admit(update_id, "{}")
            assert saved(parts.database)
        assert rows(tmp_path, "SELECT chat FROM conversation") == []


class Buggy:
    """A part whose take() fails once, as a bug would."""

    schema = ""

    def __init__(self) -> None:
        self.failed = False

    def load(self, connection: sqlite3.Connection) -> None:
        pass

    def take(self, everything: bool) -> database_module.Changes:
        if not self.failed:
            self.failed = True
            raise RuntimeError("a bug")
        return database_module.Changes()

    def upkeep(self) -> list[database_module.Statement]:
        return []

    def staged(self) -> int:
        return 0


@pytest.mark.parametrize("buggy_part", ["first", "last"])
def test_a_bug_in_a_write_is_logged_counts_as_not_saved_and_the_writer_goes_on(
    buggy_part: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(tmp_path, retry_seconds=0.01)
    if buggy_part == "first":
        database.register(Buggy())
    inbox = Inbox(database)
    if buggy_part == "last":  # the inbox's take comes before the bug: what it took must be put back
        database.register(Buggy())
    database.open()
    try:
        inbox.admit(1, "{}")
        first = database.saved()
        assert first.result(timeout=60) is False
        wait_until(lambda: database.health().ok)  # tried again, and written
        assert database.saved().result(timeout=60)
    finally:
        database.close()
    said = [r for r in caplog.records if r.getMessage() == "writing the database failed unexpectedly"]
    assert len(said) == 1 and said[0].exc_info is not None
    assert rows(tmp_path, "SELECT update_id FROM inbox") == [(1,)]


def test_a_write_that_fails_answers_its_waiters_false_and_the_recovery_is_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fails = FailsOnce("inbox")
    database = Database(tmp_path, retry_seconds=60, connect=fails.connect)
    inbox = Inbox(database)
    database.open()
    with database._wake:  # the writer takes this waiter with the write that is going to fail
        inbox.admit(1, "{}")
        taken = database.saved()
    assert fails.writing.wait(60)
    during = database.saved()  # asked while the failing write is under way: answered by the writer, not at once
    fails.go.set()
    assert taken.result(timeout=60) is False and during.result(timeout=60) is False
    inbox.admit(2, "{}")
    waiting = database.saved()  # during the fault: no waiting
    assert waiting.done() and waiting.result() is False
    database.close()  # its last write catches up
    assert database.health() == Health()
    messages = [r.getMessage() for r in caplog.records]
    assert f"the database {database.path} is writable again; everything kept in memory is written" in messages
    assert not any("unexpectedly" in m or "was gone" in m for m in messages)
    assert rows(tmp_path, "SELECT update_id FROM inbox ORDER BY 1") == [(1,), (2,)]


def test_a_fault_while_writing_row_by_row_keeps_every_row(tmp_path: Path) -> None:
    class Connection(sqlite3.Connection):
        def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
            if broken and "INTO unanswered " in sql:
                raise sqlite3.IntegrityError("a row it cannot take")  # the batch: written again row by row
            return super().executemany(sql, rows)

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if broken and "INTO unanswered " in sql:
                raise sqlite3.OperationalError("disk I/O error")  # and then the disk fails
            return super().execute(sql, *args)

    def connect(path: Path, **options: Any) -> sqlite3.Connection:
        return sqlite3.connect(path, factory=Connection, **options)

    broken = True
    database = Database(tmp_path, retry_seconds=60, connect=connect)
    store = QuestionStore(database)
    database.open()
    store.record_unanswered("питање", "cyrillic", "fallback", None)
    wait_until(lambda: not database.health().ok)
    broken = False
    database.close()
    assert database.health().set_aside == 0
    assert rows(tmp_path, "SELECT text FROM unanswered") == [("питање",)]


def test_a_folder_that_cannot_hold_a_database_is_explained_in_full(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    database = Database(blocker)
    Inbox(database)
    with pytest.raises(StoreUnavailable) as refused:
        database.open()
    assert str(refused.value).startswith(f"BOT_DATA_DIR: у фасцикли {blocker} не може да се води база бота (")
    assert str(refused.value).endswith("); поставите BOT_DATA_DIR на фасциклу у коју бот сме да пише.")
