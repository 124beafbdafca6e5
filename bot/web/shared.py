"""What the web processes share when there are several (WEB_PROCESSES > 1): conversation memory, the answers
a conversation may rate, the per-address quota and the staff sessions, in one SQLite file beside the database
(`BOT_DATA_DIR/web-shared.sqlite3`), so that any process can answer any turn of any conversation.

Each process has its own connection (WAL, so readers never wait for the writer)
and nothing waits for the disk (`synchronous=OFF`): what is here lives a few
minutes, and syncing it cost a fifth of the second process's gain
(bench/web_processes.py: 1.30× with NORMAL, 1.43–1.5× without).  A power cut can
therefore lose or damage this file, never the questions database: a file that
fails SQLite's check at start is set aside and made anew (conversations start
over, staff sign in again).  Every read and write is one short statement on the
answering thread: ~0.1 ms, far below the ~1 ms of understanding.  Nothing
here is a citizen's text except the question behind a rateable answer (for a 👎,
as bot/memory.py keeps it), and rows expire as the in-memory ones do:
a conversation after BOT_MEMORY_MINUTES, a quota bucket once full again, a
session when it ends.  With one process none of this is used: memory is faster.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.dialogue import DialogueState
from bot.memory import ANSWERS_KEPT, MAX_CONVERSATIONS, Given, Vote
from bot.quota import Verdict
from bot.script import Script

log = logging.getLogger("bot.web")
FILE = "web-shared.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS conversation (id TEXT PRIMARY KEY, state TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS conversation_at ON conversation (at);
CREATE TABLE IF NOT EXISTS answer (
    id TEXT PRIMARY KEY, conversation TEXT NOT NULL, intent TEXT NOT NULL, network TEXT, question TEXT NOT NULL,
    rated INTEGER NOT NULL DEFAULT 0, at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answer_conversation ON answer (conversation, at);
CREATE TABLE IF NOT EXISTS quota (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL, told REAL);
CREATE TABLE IF NOT EXISTS staff_session (  -- id: a hash of the cookie's value, never the value
    id TEXT PRIMARY KEY, until REAL NOT NULL, name TEXT NOT NULL, password TEXT
);
"""
SWEEP_EVERY = 1000  # writes between removals of what expired
BUSY_SECONDS = 0.25  # a turn waits at most this for another process's write, then goes on without the file
LOG_EVERY_SECONDS = 60.0


class SharedFile:
    """One connection of this process to the shared file; every call is a short transaction under a lock."""

    def __init__(self, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILE
        self._lock = threading.Lock()
        self._connection = _open(self.path)
        self._writes = 0

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def read(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, args).fetchall()

    def write(self, *statements: tuple[str, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Run the statements in one IMMEDIATE transaction; the rows the last one returned."""
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                rows: list[tuple[Any, ...]] = []
                for sql, args in statements:
                    rows = connection.execute(sql, args).fetchall()
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            self._writes += 1
            return rows

    def due_for_sweep(self) -> bool:
        return self._writes % SWEEP_EVERY == 0


def _open(path: Path) -> sqlite3.Connection:
    """Open (and check) the shared file; a damaged one is renamed aside and made anew."""
    for attempt in (1, 2):
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # the bot's user only: it holds staff sessions
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            if attempt == 1 and connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("quick_check failed")
            connection.executescript(SCHEMA)
            return connection
        except sqlite3.DatabaseError as error:
            connection.close()
            if attempt == 2:
                raise
            log.error("the web processes' shared file %s is damaged (%s); starting it anew", path, error)
            for suffix in ("", "-wal", "-shm"):
                damaged = path.with_name(path.name + suffix)
                if damaged.exists():
                    damaged.replace(damaged.with_name(damaged.name + ".damaged"))
    raise AssertionError("unreachable")


def _state_json(state: DialogueState) -> str:
    return json.dumps({**asdict(state), "script": state.script.value})


def _state(text: str) -> DialogueState:
    data = json.loads(text)
    return DialogueState(data.get("network"), data.get("intent"), Script(data.get("script", Script.CYRILLIC.value)))


class SharedConversations:
    """bot/memory.Conversations over the shared file: the same ids, expiry and votes (only a
    conversation's last ANSWERS_KEPT answers can be rated; older rows go at the sweep, not on each turn).  When the
    file cannot be read or written in BUSY_SECONDS, the turn goes on without it (no context, no rating), logged
    once a minute: a question is never refused because of this file."""

    def __init__(self, shared: SharedFile, ttl_seconds: float, limit: int = MAX_CONVERSATIONS,
                 clock: Callable[[], float] = time.time):  # fmt: skip
        self.shared, self.ttl_seconds, self.limit, self._clock = shared, ttl_seconds, limit, clock

    def get(self, conversation: str | None) -> tuple[str, DialogueState]:
        if conversation:
            try:
                rows = self.shared.read("SELECT state FROM conversation WHERE id = ? AND at >= ?", conversation,
                                        self._clock() - self.ttl_seconds)  # fmt: skip
            except sqlite3.Error as error:
                _trouble(error)
                rows = []
            if rows:
                return conversation, _state(rows[0][0])
        return secrets.token_urlsafe(18), DialogueState()

    def remember(self, conversation: str, state: DialogueState, given: Given | None = None) -> str | None:
        now = self._clock()
        answer_id = secrets.token_urlsafe(9) if given is not None else None
        statements: list[tuple[str, tuple[Any, ...]]] = [
            ("INSERT INTO conversation (id, state, at) VALUES (?, ?, ?) "
             "ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at",
             (conversation, _state_json(state), now)),
        ]  # fmt: skip
        if given is not None and answer_id is not None:  # older answers than the last few go at the sweep
            statements.append(
                ("INSERT INTO answer (id, conversation, intent, network, question, at) VALUES (?, ?, ?, ?, ?, ?)",
                 (answer_id, conversation, given.intent, given.network, given.question, now)),
            )  # fmt: skip
        try:
            self.shared.write(*statements)
        except sqlite3.Error as error:
            _trouble(error)
            return None  # not kept: nothing to rate it by
        if self.shared.due_for_sweep():
            try:
                self._sweep(now)
            except sqlite3.Error as error:  # the turn is kept; the sweep comes again
                _trouble(error)
        return answer_id

    def vote(self, conversation: str, answer_id: str) -> tuple[Vote, Given | None]:
        """Mark the answer rated, at most once whichever process is asked (one UPDATE decides)."""
        alive = self._clock() - self.ttl_seconds
        try:
            rows = self.shared.read(  # one of the conversation's last ANSWERS_KEPT answers, as in memory
                "SELECT a.intent, a.network, a.question FROM answer a JOIN conversation c ON c.id = a.conversation "
                "WHERE a.id = ? AND a.conversation = ? AND c.at >= ? AND a.id IN (SELECT id FROM answer "
                "WHERE conversation = ? ORDER BY at DESC, rowid DESC LIMIT ?)",
                answer_id, conversation, alive, conversation, ANSWERS_KEPT,
            )  # fmt: skip
            if not rows:
                return Vote.UNKNOWN, None
            rate = "UPDATE answer SET rated = 1 WHERE id = ? AND rated = 0 RETURNING id"
            changed = self.shared.write((rate, (answer_id,)))
        except sqlite3.Error as error:
            _trouble(error)
            return Vote.UNAVAILABLE, None  # nothing marked: the same vote counts when tried again
        return (Vote.COUNTED if changed else Vote.ALREADY), Given(*rows[0])

    def __len__(self) -> int:
        alive = self._clock() - self.ttl_seconds
        try:
            return int(self.shared.read("SELECT COUNT(*) FROM conversation WHERE at >= ?", alive)[0][0])
        except sqlite3.Error:
            return 0

    def _sweep(self, now: float) -> None:
        """What expired goes, and beyond `limit` the least recently used."""
        self.shared.write(
            ("DELETE FROM conversation WHERE at < ? OR id IN "
             "(SELECT id FROM conversation ORDER BY at DESC LIMIT -1 OFFSET ?)", (now - self.ttl_seconds, self.limit)),
            ("DELETE FROM answer WHERE conversation NOT IN (SELECT id FROM conversation)", ()),
            ("DELETE FROM answer WHERE rowid IN (SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER "
             "(PARTITION BY conversation ORDER BY at DESC, rowid DESC) AS n FROM answer) WHERE n > ?)",
             (ANSWERS_KEPT,)),
        )  # fmt: skip


class SharedQuota:
    """bot/tg/quota.ChatQuota's token bucket per client address, over the shared file: N processes together
    give an address WEB_QUOTA questions a minute, not N times that.  When the file cannot be used, the
    question is answered (the quota guards the machine; refusing everyone would be worse)."""

    def __init__(self, shared: SharedFile, per_minute: int, clock: Callable[[], float] = time.time):
        self.shared, self.per_minute, self._clock = shared, per_minute, clock

    def check(self, client: Hashable) -> Verdict:
        now, key = self._clock(), str(client)
        rate = self.per_minute / 60.0
        try:
            rows = self.shared.write(
                ("INSERT INTO quota (key, tokens, at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                 "tokens = MIN(?, quota.tokens + MAX(0, excluded.at - quota.at) * ?), at = MAX(quota.at, excluded.at)",
                 (key, float(self.per_minute), now, float(self.per_minute), rate)),
                ("UPDATE quota SET tokens = tokens - 1 WHERE key = ? AND tokens >= 1 RETURNING tokens", (key,)),
            )  # fmt: skip
            if self.shared.due_for_sweep():
                self.shared.write(("DELETE FROM quota WHERE at < ?", (now - 60.0,)))
        except sqlite3.Error as error:
            _trouble(error)
            return Verdict.ANSWER
        return Verdict.ANSWER if rows else Verdict.SKIP

    def retry_after(self, client: Hashable) -> int:
        try:
            rows = self.shared.read("SELECT tokens FROM quota WHERE key = ?", str(client))
        except sqlite3.Error:
            rows = []
        missing = 1 - (rows[0][0] if rows else self.per_minute)
        return max(1, int(missing * 60 / self.per_minute + 0.999))


class SharedSessions:
    """bot/web/gate.StaffGate's sessions over the shared file: a member of staff signed in on one process is
    signed in on all.  A row is keyed by a hash of the session id (the cookie's value is never stored, and no
    stored value opens a session).  When the file fails, a session is not found (sign in again), never a 500."""

    def __init__(self, shared: SharedFile, session: Callable[..., Any]):
        self.shared, self._session = shared, session

    def get(self, session: str) -> Any:
        try:
            rows = self.shared.read("SELECT until, name, password FROM staff_session WHERE id = ?", _row_id(session))
        except sqlite3.Error as error:
            _trouble(error)
            return None
        return self._session(*rows[0]) if rows else None

    def put(self, session: str, kept: Any) -> None:
        try:
            self.shared.write(("INSERT OR REPLACE INTO staff_session (id, until, name, password) VALUES (?, ?, ?, ?)",
                               (_row_id(session), kept.until, kept.name, kept.password)))  # fmt: skip
        except sqlite3.Error as error:
            _trouble(error)

    def pop(self, session: str) -> None:
        """Idempotent: two processes ending the same session at once is not an error."""
        try:
            self.shared.write(("DELETE FROM staff_session WHERE id = ?", (_row_id(session),)))
        except sqlite3.Error as error:
            _trouble(error)

    def prune(self, now: float, limit: int) -> None:
        """One statement: the ended sessions, and the oldest beyond `limit`."""
        try:
            ended = "DELETE FROM staff_session WHERE until <= ? OR id IN "
            beyond = "(SELECT id FROM staff_session ORDER BY rowid DESC LIMIT -1 OFFSET ?)"
            self.shared.write((ended + beyond, (now, limit)))
        except sqlite3.Error as error:
            _trouble(error)

    def __len__(self) -> int:
        try:
            return int(self.shared.read("SELECT COUNT(*) FROM staff_session")[0][0])
        except sqlite3.Error:
            return 0


def _row_id(session: str) -> str:
    return hashlib.sha256(session.encode()).hexdigest()


_last_trouble = [0.0]


def _trouble(error: Exception) -> None:
    """The shared file failed a turn: counted (`nis_shared_file_failures_total`), logged once a minute."""
    from bot import metrics

    metrics.SHARED_FILE_FAILURES.inc()
    now = time.monotonic()
    if now - _last_trouble[0] >= LOG_EVERY_SECONDS:
        _last_trouble[0] = now
        log.error("the web processes' shared file failed (%s); answering without it meanwhile", error)
