"""Questions the bot could not answer, and 👍/👎 feedback: what staff read with `python -m bot report`.

Nothing about the person is stored: no user id, name, chat id or address, only
the time, the channel (`telegram` or `web`), the question's text and script,
and the bot's best guess.  Rows are staged in
memory and written by the database's thread, so a slow disk never delays an
answer; during a storage fault up to `MAX_UNSAVED` rows wait in memory.  Rows
older than the retention period are deleted.  `report` reads the same file from
another process (WAL mode allows both).

Each question is stored with the key of its group of similar questions
(bot/grouping.py), given in the database's thread as it is written, so `report`
and /staff count groups instead of comparing every question with every other.
A database from before keys is grouped once, when the bot opens it.

Every question, answered or not, is also counted in `daily_outcomes`: one row
per UTC day, channel and outcome (`answered`, `clarify`, `fallback`) holding a
number, never a text or anyone's id.  The count is kept in memory and added to
the row (an UPSERT) with the next write; these rows are kept `COUNTS_KEPT_DAYS`,
for the charts on /staff (bot/web/charts.py).
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.grouping import Grouper
from bot.storage.database import Changes, Database, Statement, database_path
from bot.text import clean

log = logging.getLogger(__name__)
MAX_TEXT = 1000
MAX_UNSAVED = 10_000
COUNTS_KEPT_DAYS = 400  # the daily counts hold nothing about anyone: kept longer than the questions

SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,           -- UTC, ISO 8601
    text TEXT NOT NULL,
    script TEXT NOT NULL,             -- cyrillic | latin
    outcome TEXT NOT NULL,            -- fallback | clarify | unhelpful (a 👎 on the web page)
    guess_intent TEXT,
    guess_network TEXT,
    guess_score REAL,
    channel TEXT NOT NULL DEFAULT 'telegram', -- telegram | web
    group_key TEXT                    -- the group of similar questions (bot/grouping.py)
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
CREATE TABLE IF NOT EXISTS daily_outcomes (
    day TEXT NOT NULL,                -- UTC date, YYYY-MM-DD
    channel TEXT NOT NULL,            -- telegram | web
    outcome TEXT NOT NULL,            -- answered | clarify | fallback
    count INTEGER NOT NULL,
    PRIMARY KEY (day, channel, outcome)
) WITHOUT ROWID;
"""
ADD_UNANSWERED = (
    "INSERT INTO unanswered"
    " (asked_at, text, script, outcome, guess_intent, guess_network, guess_score, channel, group_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
COLUMNS = "asked_at, text, script, outcome, guess_intent, guess_network, guess_score, channel, group_key"
TELEGRAM, WEB, CONSOLE = "telegram", "web", "console"  # the channels (CONSOLE: counted in memory, never stored)
ANSWERED, CLARIFY, FALLBACK = "answered", "clarify", "fallback"  # what became of a question
ADD_FEEDBACK = "INSERT INTO feedback (given_at, intent, network, helpful) VALUES (?, ?, ?, ?)"
ADD_OUTCOMES = (
    "INSERT INTO daily_outcomes (day, channel, outcome, count) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (day, channel, outcome) DO UPDATE SET count = count + excluded.count"
)


@dataclass(frozen=True)
class Unanswered:
    """A question the bot did not answer, kept for staff with its best guess."""

    asked_at: str
    text: str
    script: str
    outcome: str
    guess_intent: str | None
    guess_network: str | None
    guess_score: float | None
    channel: str = TELEGRAM
    group_key: str | None = None


@dataclass(frozen=True)
class DailyCount:
    """How many questions came on `day` (UTC) by `channel` and ended as `outcome`."""

    day: date
    channel: str
    outcome: str
    count: int


@dataclass(frozen=True)
class FeedbackCount:
    """Citizens' votes on the answers of one intent and network."""

    intent: str
    network: str | None
    helpful: int
    unhelpful: int


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def utc_today() -> date:
    return datetime.now(UTC).date()


def _cutoff(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


class QuestionStore:
    schema = SCHEMA

    def __init__(self, database: Database, retention_days: int = 180, today: Callable[[], date] = utc_today):
        self.retention_days = retention_days
        self.today = today
        self._database = database
        self._lock = threading.Lock()
        self._staged: list[Statement] = []
        self._counts: Counter[tuple[str, str, str]] = Counter()  # (day, channel, outcome) → not yet written
        self._dropped = 0
        self.grouper = Grouper()  # used by the database's thread only
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
        row = (now(), text[:MAX_TEXT], script, outcome, intent, network, score, channel, None)  # key: in `take`
        self._stage((ADD_UNANSWERED, [row]))

    def record_feedback(self, intent: str, network: str | None, helpful: bool) -> None:
        self._stage((ADD_FEEDBACK, [(now(), intent, network, int(helpful))]))

    def record_outcome(self, outcome: str, channel: str = TELEGRAM) -> None:
        """Count one question by day, channel and outcome (nothing else about it): in memory until the next write."""
        key = (self.today().isoformat(), channel, outcome)
        with self._lock:
            self._counts[key] += 1
        self._database.changed()

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
        """Learn the groups of the stored questions, and group those stored before there were groups; a database
        from before the web channel or the groups gets its columns."""
        add_columns(connection)
        rows = connection.execute("SELECT id, text, group_key FROM unanswered ORDER BY id").fetchall()
        started, keys = time.monotonic(), []
        for row_id, text, key in rows:
            if key is None:
                keys.append((self.grouper.key_of(text), row_id))
            else:
                self.grouper.learn(text, key)
        if keys:
            with connection:
                connection.executemany("UPDATE unanswered SET group_key = ? WHERE id = ?", keys)
            log.info("grouped %d stored question(s) in %.1f s", len(keys), time.monotonic() - started)

    def take(self, everything: bool) -> Changes:
        with self._lock:
            taken, self._staged = self._staged, []
            counts, self._counts = self._counts, Counter()
        taken = [(sql, [self._with_group(sql, row) for row in rows]) for sql, rows in taken]
        counted: list[Statement] = [(ADD_OUTCOMES, [(*key, n) for key, n in counts.items()])] if counts else []

        def restore() -> None:
            with self._lock:
                self._staged[:0] = taken[: MAX_UNSAVED - len(self._staged)]
                self._counts.update(counts)

        return Changes(taken + counted, restore, taken=len(taken) + len(counts))

    def _with_group(self, sql: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if sql != ADD_UNANSWERED or row[-1] is not None:
            return row
        return (*row[:-1], self.grouper.key_of(row[1]))

    def upkeep(self) -> list[Statement]:
        cutoff = _cutoff(self.retention_days)
        return [
            ("DELETE FROM unanswered WHERE asked_at < ?", [(cutoff,)]),
            ("DELETE FROM feedback WHERE given_at < ?", [(cutoff,)]),
            ("DELETE FROM daily_outcomes WHERE day < ?", [((utc_today() - timedelta(COUNTS_KEPT_DAYS)).isoformat(),)]),
        ]

    def staged(self) -> int:
        with self._lock:
            return len(self._staged) + len(self._counts)


def read_unanswered(data_dir: Path, days: float) -> list[Unanswered]:
    rows = _query(data_dir, f"SELECT {COLUMNS} FROM unanswered WHERE asked_at >= ? ORDER BY asked_at, id", days)
    return [_unanswered(row) for row in rows]


ROWS_PER_GROUP = 200  # newest questions of a group read for /staff (its wordings and guess); counts are exact


@dataclass(frozen=True)
class GroupCounts:
    """What a group of the biggest adds up to, counted by the database (its rows are read only in part)."""

    size: int
    outcomes: dict[str, int]
    channels: dict[str, int]


@dataclass(frozen=True)
class BiggestGroups:
    """The largest groups of unanswered questions of a period, with the newest questions of each."""

    questions: list[Unanswered]  # at most ROWS_PER_GROUP newest of each group
    counts: dict[str, GroupCounts]  # by group key (`row<id>` for a question not grouped yet)
    groups: int  # groups in the period, all of them
    total: int  # questions in the period


def read_biggest_groups(data_dir: Path, days: float, limit: int) -> BiggestGroups:
    """The `limit` biggest groups of the last `days` days: their newest questions and their counts, and how
    many groups and questions there are in all.  What /staff shows, at a cost bounded by `limit` whatever one
    group holds (a question sent 100,000 times is counted, not read 100,000 times)."""
    key = "COALESCE(group_key, 'row' || id)"
    sizes = _query(
        data_dir,
        f"SELECT {key} AS g, COUNT(*) AS n FROM unanswered WHERE asked_at >= ?"
        " GROUP BY g ORDER BY n DESC, MAX(asked_at) DESC",
        days,
    )
    wanted = [group for group, _ in sizes[:limit]]
    rows: list[tuple[Any, ...]] = []
    tallies: list[tuple[Any, ...]] = []
    if wanted:
        with _connect(database_path(data_dir)) as connection:
            connection.execute("CREATE TEMP TABLE wanted (g TEXT PRIMARY KEY)")
            connection.executemany("INSERT INTO wanted VALUES (?)", [(group,) for group in wanted])
            chosen = f"asked_at >= ? AND {key} IN (SELECT g FROM wanted)"
            shown = COLUMNS.replace("group_key", f"{key} AS group_key")  # an ungrouped one: its own group
            rows = connection.execute(
                f"SELECT {shown} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY asked_at DESC,"
                f" id DESC) AS newest FROM unanswered WHERE {chosen}) WHERE newest <= ? ORDER BY asked_at, id",
                (_cutoff(days), ROWS_PER_GROUP),
            ).fetchall()
            tallies = connection.execute(
                f"SELECT {key}, outcome, channel, COUNT(*) FROM unanswered WHERE {chosen} GROUP BY 1, outcome, channel",
                (_cutoff(days),),
            ).fetchall()
    counts: dict[str, GroupCounts] = {}
    for group, outcome, channel, count in tallies:
        counted = counts.setdefault(group, GroupCounts(0, {}, {}))
        counted.outcomes[outcome] = counted.outcomes.get(outcome, 0) + count
        counted.channels[channel] = counted.channels.get(channel, 0) + count
    counts = {group: replace(c, size=sum(c.outcomes.values())) for group, c in counts.items()}
    return BiggestGroups([_unanswered(row) for row in rows], counts, len(sizes), sum(n for _, n in sizes))


def _unanswered(row: tuple[Any, ...]) -> Unanswered:
    """A stored question, its text cleaned for showing (it may predate cleaning, or come from another program)."""
    question = Unanswered(*row)
    return replace(question, text=clean(question.text))


def read_feedback(data_dir: Path, days: float) -> list[FeedbackCount]:
    """Votes per (intent, network), the most 👎 first."""
    rows = _query(
        data_dir,
        "SELECT intent, network, SUM(helpful), SUM(1 - helpful) FROM feedback WHERE given_at >= ?"
        " GROUP BY intent, network ORDER BY SUM(1 - helpful) DESC, COUNT(*) DESC",
        days,
    )
    return [FeedbackCount(*row) for row in rows]


def read_daily_outcomes(data_dir: Path, days: float, today: date | None = None) -> list[DailyCount]:
    """Questions per UTC day, channel and outcome over the last `days` days, `today` included, oldest first;
    none when the bot has not stored anything yet."""
    path = database_path(data_dir)
    if not path.exists():
        return []
    last = today or utc_today()
    first = last - timedelta(days=max(1, math.ceil(days)) - 1)
    with _connect(path) as connection:
        rows = connection.execute(
            "SELECT day, channel, outcome, count FROM daily_outcomes WHERE day BETWEEN ? AND ?"
            " ORDER BY day, channel, outcome",
            (first.isoformat(), last.isoformat()),
        ).fetchall()
    counts = []
    for day, channel, outcome, count in rows:
        try:  # another program may have written something else there
            counts.append(DailyCount(date.fromisoformat(day), str(channel), str(outcome), int(count)))
        except (TypeError, ValueError):
            continue
    return counts


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
        add_columns(connection)
        yield connection


def add_columns(connection: sqlite3.Connection) -> None:
    """Databases written before the web channel have no `channel` (their questions all came by Telegram), and
    those before groups no `group_key` (the bot groups them as it opens the file)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(unanswered)")}
    with connection:
        if "channel" not in columns:
            connection.execute(f"ALTER TABLE unanswered ADD COLUMN channel TEXT NOT NULL DEFAULT '{TELEGRAM}'")
        if "group_key" not in columns:
            connection.execute("ALTER TABLE unanswered ADD COLUMN group_key TEXT")
        connection.execute("CREATE INDEX IF NOT EXISTS unanswered_group ON unanswered (group_key)")
