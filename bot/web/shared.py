"""What the web processes share when there are several (WEB_PROCESSES > 1): conversation memory, the answers
a conversation may rate, the per-address quota and the staff sessions, in one SQLite file beside the database
(`BOT_DATA_DIR/web-shared.sqlite3`), so that any process can answer any turn of any conversation.

Each process has its own connection (WAL, so readers never wait for the writer)
and nothing waits for the disk (`synchronous=OFF`): what is here lives a few
minutes, and syncing it cost a fifth of the second process's gain
(bench/web_processes.py: 1.30× with NORMAL, 1.43–1.5× without).  A power cut can
therefore lose or damage this file, never the questions database: a file that
fails SQLite's check at start is set aside and made anew (conversations start
over, staff sign in again).  Every read and write is one short transaction on the
answering thread: a turn writes one row, 0.03 ms alone and ~0.1 ms of CPU under
the load of two processes (bench/web_processes.py), against ~0.8 ms of
understanding.  Writers take a lock file before SQLite's lock, whose wait
sleeps a millisecond or more while the other core answers.  Nothing
here is a citizen's text except the question behind a rateable answer (for a 👎,
as bot/memory.py keeps it), and rows expire as the in-memory ones do:
a conversation after BOT_MEMORY_MINUTES, a quota bucket once full again, a
session when it ends.  With one process none of this is used: memory is faster.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from bot.dialogue import DialogueState
from bot.memory import ANSWERS_KEPT, MAX_CONVERSATIONS, Given, Vote
from bot.quota import Verdict
from bot.script import Script
from bot.thresholds import DEFAULT

log = logging.getLogger("bot.web")
T = TypeVar("T")
FILE = "web-shared.sqlite3"
SCHEMA = """
CREATE TABLE conversation (  -- answers: the last ANSWERS_KEPT, [id, intent, network, question, rated]
    id TEXT PRIMARY KEY, state TEXT NOT NULL, answers TEXT NOT NULL DEFAULT '[]', at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE quota (key TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL, told REAL);
CREATE TABLE staff_session (  -- id: a hash of the cookie's value, never the value
    id TEXT PRIMARY KEY, until REAL NOT NULL, name TEXT NOT NULL, password TEXT
);
PRAGMA user_version = 2;
"""
VERSION = 2  # 0: a row an answer, in a table of its own; any other layout is made anew
FORMERLY = (
    "DROP TABLE IF EXISTS answer; DROP TABLE IF EXISTS conversation; DROP TABLE IF EXISTS quota; "
    "DROP TABLE IF EXISTS staff_session;"
)
SWEEP_EVERY = 1000  # writes between removals of what expired
BUSY_SECONDS = 0.25  # a turn waits at most this for another process's write, then goes on without the file
QUESTION_KEPT = DEFAULT.max_chars  # of a rateable answer's question: what the understanding read of it
OPEN_SECONDS = 5.0  # opening waits at most this for the writers (a start, once; a sweep holds them ~3 ms)
LOG_EVERY_SECONDS = 60.0


class SharedFile:
    """One connection of this process to the shared file; every call is a short transaction under a lock."""

    def __init__(self, data_dir: Path):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILE
        self._lock = threading.Lock()
        # read-only is all flock needs
        self._writer = os.open(data_dir / (FILE + ".lock"), os.O_CREAT | os.O_RDONLY, 0o600)
        try:
            _take(self._writer, OPEN_SECONDS)  # no process writes while another checks or makes the file
            try:
                self._connection = _open(self.path)
            finally:
                fcntl.flock(self._writer, fcntl.LOCK_UN)
        except BaseException:
            os.close(self._writer)
            raise
        self._writes = 0

    def close(self) -> None:
        with self._lock:
            self._connection.close()
            if self._writer >= 0:
                os.close(self._writer)
            self._writer = -1  # flock then fails as the closed connection does, never on a reused descriptor

    def read(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(sql, args).fetchall()

    def write(self, *statements: tuple[str, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Run the statements in one IMMEDIATE transaction; the rows the last one returned."""

        def run(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
            rows: list[tuple[Any, ...]] = []
            for sql, args in statements:
                rows = connection.execute(sql, args).fetchall()
            return rows

        return self.change(run)

    def change(self, step: Callable[[sqlite3.Connection], T]) -> T:
        """Run `step` in one IMMEDIATE transaction (a read and the write it decides are one), under the lock
        of the writers of every process; what it returns."""
        with self._lock:
            self._take_writer()
            try:
                connection = self._connection
                connection.execute("BEGIN IMMEDIATE")
                try:
                    result = step(connection)
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
            finally:
                fcntl.flock(self._writer, fcntl.LOCK_UN)
            self._writes += 1
            return result

    def _take_writer(self) -> None:
        """Take the writers' lock before SQLite's: a process waiting on SQLite's own lock sleeps 1 ms or more
        (its busy handler polls), the second core idle meanwhile; a write here holds it ~0.05 ms, so polling
        in steps of ~0.1 ms takes it as soon as the other process lets go.  After BUSY_SECONDS: busy, as SQLite
        would say."""
        if self._writer < 0:
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")  # as the connection says
        _take(self._writer, BUSY_SECONDS)

    def due_for_sweep(self) -> bool:
        return self._writes % SWEEP_EVERY == 0


def _take(writer: int, seconds: float) -> None:
    """The writers' lock file, polled every ~0.1 ms for at most `seconds`; then busy, as SQLite would say."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(writer, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise sqlite3.OperationalError("the shared file is busy") from None
            time.sleep(0.0001)
        except OSError as error:  # the lock file itself failed: the turn goes on without the file
            raise sqlite3.OperationalError(f"the shared file's lock failed: {error}") from error


def _open(path: Path) -> sqlite3.Connection:
    """Open (and check) the shared file, holding the writers' lock; a damaged one is renamed aside and made
    anew, one of an older layout made anew in place.  Busy is not damage: it is raised."""
    for attempt in (1, 2):
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # the bot's user only: it holds staff sessions
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            if attempt == 1 and connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("quick_check failed")
            if connection.execute("PRAGMA user_version").fetchone() != (VERSION,):  # what it holds lives minutes
                connection.executescript(f"BEGIN IMMEDIATE; {FORMERLY} {SCHEMA} COMMIT;")
            return connection
        except sqlite3.DatabaseError as error:
            connection.close()
            if attempt == 2 or not _damaged(error):
                raise
            log.error("the web processes' shared file %s is damaged (%s); starting it anew", path, error)
            for suffix in ("", "-wal", "-shm"):
                damaged = path.with_name(path.name + suffix)
                if damaged.exists():
                    damaged.replace(damaged.with_name(damaged.name + ".damaged"))
    raise AssertionError("unreachable")


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """What a power cut leaves: a failed check, a corrupt page, not a database at all; not `database is locked`."""
    return str(error) == "quick_check failed" or getattr(error, "sqlite_errorname", None) in (
        "SQLITE_CORRUPT",
        "SQLITE_NOTADB",
    )


def _json(value: object) -> str:
    """Compact, and Cyrillic as it is (escaped, a letter is 6 bytes, and five answers overflow a page)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _state_json(state: DialogueState) -> str:
    return _json(
        {"network": state.network, "intent": state.intent, "script": state.script.value, "listed": state.listed}
    )


def _state(text: str) -> DialogueState:
    data = json.loads(text)
    script = Script(data.get("script", Script.CYRILLIC.value))
    return DialogueState(data.get("network"), data.get("intent"), script, tuple(data.get("listed", ())))


class SharedConversations:
    """bot/memory.Conversations over the shared file: the same ids, expiry and votes.  A conversation is one row
    with its state and the answers it can still rate (its last ANSWERS_KEPT), so a turn writes one row of one
    table: under load from two processes each shared write costs the answering core its share, and one row with
    no second index is the least there is.  When the file cannot be read or written in BUSY_SECONDS, the turn
    goes on without it (no context, no rating), logged once a minute: a question is never refused because of
    this file."""

    def __init__(self, shared: SharedFile, ttl_seconds: float, limit: int = MAX_CONVERSATIONS,
                 clock: Callable[[], float] = time.time):  # fmt: skip
        self.shared, self.ttl_seconds, self.limit, self._clock = shared, ttl_seconds, limit, clock
        self._issued = threading.local()  # the id this thread made last: no answers to read for it

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
        self._issued.id = secrets.token_urlsafe(18)
        return self._issued.id, DialogueState()

    def remember(self, conversation: str, state: DialogueState, given: Given | None = None) -> str | None:
        now = self._clock()
        answer_id = secrets.token_urlsafe(9) if given is not None else None
        kept_state = _state_json(state)
        fresh = getattr(self._issued, "id", None) == conversation  # 18 random bytes: no row can hold it yet
        self._issued.id = None  # from its first turn on, it has a row

        def turn(connection: sqlite3.Connection) -> None:
            if given is None:
                connection.execute(
                    "INSERT INTO conversation (id, state, at) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET state = excluded.state, at = excluded.at",
                    (conversation, kept_state, now),
                )
                return
            answers = [] if fresh else _answers(connection, conversation, now - self.ttl_seconds)
            answers.append([answer_id, given.intent, given.network, given.question[:QUESTION_KEPT], 0])
            connection.execute(
                "INSERT INTO conversation (id, state, answers, at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                "SET state = excluded.state, answers = excluded.answers, at = excluded.at",
                (conversation, kept_state, _json(answers[-ANSWERS_KEPT:]), now),
            )

        try:
            self.shared.change(turn)
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
        """Mark the answer rated, at most once whichever process is asked (read and marked in one transaction)."""
        alive = self._clock() - self.ttl_seconds

        def rate(connection: sqlite3.Connection) -> tuple[Vote, Given | None]:
            answers = _answers(connection, conversation, alive)
            for answer in answers:
                if answer[0] == answer_id:
                    given = Given(*answer[1:4])
                    if answer[4]:
                        return Vote.ALREADY, given
                    answer[4] = 1
                    connection.execute("UPDATE conversation SET answers = ? WHERE id = ?",
                                       (_json(answers), conversation))  # fmt: skip
                    return Vote.COUNTED, given
            return Vote.UNKNOWN, None

        try:
            return self.shared.change(rate)
        except sqlite3.Error as error:
            _trouble(error)
            return Vote.UNAVAILABLE, None  # nothing marked: the same vote counts when tried again

    def __len__(self) -> int:
        alive = self._clock() - self.ttl_seconds
        try:
            return int(self.shared.read("SELECT COUNT(*) FROM conversation WHERE at >= ?", alive)[0][0])
        except sqlite3.Error:
            return 0

    def _sweep(self, now: float) -> None:
        """What expired goes, and beyond `limit` the least recently used.  Without an index of `at` (it would cost
        every write) each is a scan of the table; the sort of the least recently used only when there are too
        many (at 18,000 one-answer rows: 2.7 ms a sweep against 14 ms sorting them every time)."""

        def sweep(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM conversation WHERE at < ?", (now - self.ttl_seconds,))
            (count,) = connection.execute("SELECT COUNT(*) FROM conversation").fetchone()
            if count > self.limit:
                oldest = "DELETE FROM conversation WHERE id IN (SELECT id FROM conversation ORDER BY at LIMIT ?)"
                connection.execute(oldest, (count - self.limit,))

        self.shared.change(sweep)


def _answers(connection: sqlite3.Connection, conversation: str, alive: float) -> list[list[Any]]:
    """The answers a living conversation can rate; none for one that ended or never was."""
    row = connection.execute("SELECT answers FROM conversation WHERE id = ? AND at >= ?", (conversation, alive))
    found = row.fetchone()
    return json.loads(found[0]) if found else []


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
