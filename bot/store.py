"""The embedded SQLite database of questions the bot could not answer, and of 👍/👎 feedback.

Nothing about the person is stored: no user id, name or chat id, only the time,
the question's text and script, and the bot's best guess.  The bot writes through
one background thread, so a slow disk never delays an answer; rows older than the
retention period are deleted when the store opens and once a day after that.
`report` reads the same file from another process (WAL mode allows both).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
DATABASE_NAME = "questions.sqlite3"
MAX_TEXT = 1000
PURGE_EVERY_SECONDS = 24 * 3600

SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,           -- UTC, ISO 8601
    text TEXT NOT NULL,
    script TEXT NOT NULL,             -- cyrillic | latin
    outcome TEXT NOT NULL,            -- fallback | clarify
    guess_intent TEXT,
    guess_network TEXT,
    guess_score REAL
);
CREATE INDEX IF NOT EXISTS unanswered_asked_at ON unanswered (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    given_at TEXT NOT NULL,
    intent TEXT NOT NULL,
    network TEXT,
    helpful INTEGER NOT NULL          -- 1 for 👍, 0 for 👎
);
CREATE INDEX IF NOT EXISTS feedback_given_at ON feedback (given_at);
"""


@dataclass(frozen=True)
class Unanswered:
    asked_at: str
    text: str
    script: str
    outcome: str
    guess_intent: str | None
    guess_network: str | None
    guess_score: float | None


@dataclass(frozen=True)
class FeedbackCount:
    intent: str
    network: str | None
    helpful: int
    unhelpful: int


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _cutoff(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path, timeout=10)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
        with connection:  # one transaction
            yield connection


class StoreUnavailable(Exception):
    """The data directory cannot hold the database; the message says which folder and why."""


class QuestionStore:
    """Writes from the bot, queued to one thread; `close()` flushes what is queued."""

    def __init__(self, data_dir: Path, retention_days: int = 180):
        self.path = database_path(data_dir)
        self.retention_days = retention_days
        self._queue: queue.SimpleQueue[tuple[str, tuple[Any, ...]] | None] = queue.SimpleQueue()
        try:  # create it now: a bad folder fails at start, not at the first question
            data_dir.mkdir(parents=True, exist_ok=True)
            with _connect(self.path) as connection:
                self._purge(connection)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(
                f"BOT_DATA_DIR: у фасцикли {data_dir} не може да се води база питања ({error}); "
                "поставите BOT_DATA_DIR на фасциклу у коју бот сме да пише."
            ) from error
        self._thread = threading.Thread(target=self._write_forever, name="question-store", daemon=True)
        self._thread.start()

    def record_unanswered(
        self, text: str, script: str, outcome: str, guess: tuple[str, str | None, float] | None
    ) -> None:
        intent, network, score = guess if guess else (None, None, None)
        self._queue.put(
            (
                "INSERT INTO unanswered (asked_at, text, script, outcome, guess_intent, guess_network, guess_score)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now(), text[:MAX_TEXT], script, outcome, intent, network, score),
            )
        )

    def record_feedback(self, intent: str, network: str | None, helpful: bool) -> None:
        self._queue.put(
            (
                "INSERT INTO feedback (given_at, intent, network, helpful) VALUES (?, ?, ?, ?)",
                (now(), intent, network, int(helpful)),
            )
        )

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _write_forever(self) -> None:
        last_purge = time.monotonic()
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            while (item := self._queue.get()) is not None:
                batch = [item]
                while len(batch) < 500:  # write what piled up in one transaction
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self._queue.put(None)
                        break
                    batch.append(more)
                try:
                    with connection:
                        for sql, parameters in batch:
                            connection.execute(sql, parameters)
                        if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                            self._purge(connection)
                            last_purge = time.monotonic()
                except sqlite3.Error as error:  # a full disk must not stop the bot
                    log.error("could not store %d question(s): %s", len(batch), error)

    def _purge(self, connection: sqlite3.Connection) -> None:
        cutoff = _cutoff(self.retention_days)
        deleted = connection.execute("DELETE FROM unanswered WHERE asked_at < ?", (cutoff,)).rowcount
        deleted += connection.execute("DELETE FROM feedback WHERE given_at < ?", (cutoff,)).rowcount
        if deleted:
            log.info("deleted %d stored question(s) and vote(s) older than %d days", deleted, self.retention_days)


def read_unanswered(data_dir: Path, days: float) -> list[Unanswered]:
    rows = _query(
        data_dir,
        "SELECT asked_at, text, script, outcome, guess_intent, guess_network, guess_score"
        " FROM unanswered WHERE asked_at >= ? ORDER BY asked_at",
        days,
    )
    return [Unanswered(*row) for row in rows]


def read_feedback(data_dir: Path, days: float) -> list[FeedbackCount]:
    """Votes per (intent, network), the most 👎 first."""
    rows = _query(
        data_dir,
        "SELECT intent, network, SUM(helpful), SUM(1 - helpful) FROM feedback WHERE given_at >= ?"
        " GROUP BY intent, network ORDER BY SUM(1 - helpful) DESC, COUNT(*) DESC",
        days,
    )
    return [FeedbackCount(*row) for row in rows]


def _query(data_dir: Path, sql: str, days: float) -> list[tuple[Any, ...]]:
    """Rows of the last `days` days; none when the bot has not stored anything yet."""
    path = database_path(data_dir)
    if not path.exists():
        return []
    with _connect(path) as connection:
        return connection.execute(sql, (_cutoff(days),)).fetchall()
