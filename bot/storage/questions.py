"""Questions the bot could not answer, and 👍/👎 feedback: what staff read with `python -m bot report`.

Nothing about the person is stored: no user id, name, chat id or address, only
the time, the channel (`telegram` or `web`), the question's text and script,
and the bot's best guess.  Rows are staged in
memory and written by the database's thread, so a slow disk never delays an
answer; during a storage fault up to `MAX_UNSAVED` rows wait in memory.  Rows
older than the retention period are deleted.  `report` reads the same file from
another process (WAL mode allows both).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.storage.database import Changes, Database, Statement, database_path

log = logging.getLogger(__name__)
MAX_TEXT = 1000
MAX_UNSAVED = 10_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,           -- UTC, ISO 8601
    text TEXT NOT NULL,
    script TEXT NOT NULL,             -- cyrillic | latin
    outcome TEXT NOT NULL,            -- fallback | clarify
    guess_intent TEXT,
    guess_network TEXT,
    guess_score REAL,
    channel TEXT NOT NULL DEFAULT 'telegram'  -- telegram | web
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
ADD_UNANSWERED = (
    "INSERT INTO unanswered (asked_at, text, script, outcome, guess_intent, guess_network, guess_score, channel)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
TELEGRAM, WEB = "telegram", "web"
ADD_FEEDBACK = "INSERT INTO feedback (given_at, intent, network, helpful) VALUES (?, ?, ?, ?)"


@dataclass(frozen=True)
class Unanswered:
    asked_at: str
    text: str
    script: str
    outcome: str
    guess_intent: str | None
    guess_network: str | None
    guess_score: float | None
    channel: str = TELEGRAM


@dataclass(frozen=True)
class FeedbackCount:
    intent: str
    network: str | None
    helpful: int
    unhelpful: int


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _cutoff(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


class QuestionStore:
    schema = SCHEMA

    def __init__(self, database: Database, retention_days: int = 180):
        self.retention_days = retention_days
        self._database = database
        self._lock = threading.Lock()
        self._staged: list[Statement] = []
        self._dropped = 0
        database.register(self)

    def record_unanswered(
        self,
        text: str,
        script: str,
        outcome: str,
        guess: tuple[str, str | None, float] | None,
        channel: str = TELEGRAM,
    ) -> None:
        intent, network, score = guess if guess else (None, None, None)
        row = (now(), text[:MAX_TEXT], script, outcome, intent, network, score, channel)
        self._stage((ADD_UNANSWERED, [row]))

    def record_feedback(self, intent: str, network: str | None, helpful: bool) -> None:
        self._stage((ADD_FEEDBACK, [(now(), intent, network, int(helpful))]))

    def _stage(self, statement: Statement) -> None:
        with self._lock:
            if len(self._staged) < MAX_UNSAVED:
                self._staged.append(statement)
            else:
                self._dropped += 1
                if self._dropped == 1:
                    log.error("%d questions and votes wait for the database: not keeping more", MAX_UNSAVED)
        self._database.changed()

    # What the database does --------------------------------------------------

    def load(self, connection: sqlite3.Connection) -> None:
        """Nothing to read (the rows are for `report`); a database from before the web channel gets its column."""
        add_channel_column(connection)

    def take(self, everything: bool) -> Changes:
        with self._lock:
            taken, self._staged = self._staged, []

        def restore() -> None:
            with self._lock:
                self._staged[:0] = taken[: MAX_UNSAVED - len(self._staged)]

        return Changes(taken, restore)

    def upkeep(self) -> list[Statement]:
        cutoff = _cutoff(self.retention_days)
        return [
            ("DELETE FROM unanswered WHERE asked_at < ?", [(cutoff,)]),
            ("DELETE FROM feedback WHERE given_at < ?", [(cutoff,)]),
        ]

    def staged(self) -> int:
        with self._lock:
            return len(self._staged)


def read_unanswered(data_dir: Path, days: float) -> list[Unanswered]:
    rows = _query(
        data_dir,
        "SELECT asked_at, text, script, outcome, guess_intent, guess_network, guess_score, channel"
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


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path, timeout=10)) as connection:
        connection.executescript(SCHEMA)
        add_channel_column(connection)
        yield connection


def add_channel_column(connection: sqlite3.Connection) -> None:
    """Databases written before the web channel have no `channel`: their questions all came by Telegram."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(unanswered)")}
    if "channel" not in columns:
        with connection:
            connection.execute(f"ALTER TABLE unanswered ADD COLUMN channel TEXT NOT NULL DEFAULT '{TELEGRAM}'")
