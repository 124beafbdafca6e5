"""The database and its parts: what survives a restart, and what a storage fault does (and does not) cost."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
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
from bot.storage.conversations import ConversationMemory
from bot.storage.database import Database, StoreUnavailable, database_path
from bot.storage.inbox import Inbox
from bot.storage.questions import (
    COUNTS_KEPT_DAYS,
    TELEGRAM,
    WEB,
    QuestionStore,
    read_daily_outcomes,
    read_unanswered,
)

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
