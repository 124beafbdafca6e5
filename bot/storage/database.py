"""The SQLite file in BOT_DATA_DIR and the one thread that writes it, through storage faults.

Each part (inbox, conversations, questions) keeps its state in memory and
*stages* what changed; the writer thread writes everything staged in one
transaction as soon as anything is (WAL, `synchronous=NORMAL`: a commit survives
the process being killed and needs no fsync).  Whoever must know a change is on
disk (the inbox, before Telegram may forget an update) waits for `saved()`.

A storage fault never stops the bot.  A full disk, a locked database, a folder
that was deleted, replaced or cannot be written: the failed changes stay staged,
the problem is logged once and reported by `health()` (/stats, the health
check), and the writer tries again every `retry_seconds`.  When the file it
wrote to is gone, it creates a new one and writes every part's whole state into
it: that is how it catches up.  At start, a file that is not a sound database is
moved aside and a new one created.

A row that cannot be written (a value SQLite cannot bind, a constraint it
breaks) is not a storage fault: the batch is written again row by row, that row
is set aside (counted in `health()`, logged with its table and the error, never
its values) and every other row is written.  One bad question never costs
anyone else theirs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from bot import metrics

log = logging.getLogger(__name__)
DATABASE_NAME = "questions.sqlite3"
RETRY_SECONDS = 2.0
# How long a write waits for another process's lock before it counts as a fault (the bot answers from
# memory meanwhile; a longer wait would only delay the next getUpdates).
BUSY_SECONDS = 1.0
UPKEEP_SECONDS = 60.0
CORRUPT = ("SQLITE_CORRUPT", "SQLITE_NOTADB")

Statement = tuple[str, list[tuple[Any, ...]]]  # SQL and the rows to run it for (executemany)


@dataclass
class Changes:
    """What a part staged since the last write, and how to stage it again should the write fail."""

    statements: list[Statement] = field(default_factory=list)
    restore: Callable[[], None] = lambda: None
    taken: int = 0  # how many of the part's staged changes (`staged()`) this take took


class Part(Protocol):
    """One kind of thing the database keeps. Called from the writer thread: a part locks its own state."""

    schema: str

    def load(self, connection: sqlite3.Connection) -> None:
        """Read what the last run left (at start, before the writer thread runs)."""

    def take(self, everything: bool) -> Changes:
        """The changes staged since the last take; with `everything`, the whole state (for a new file)."""

    def upkeep(self) -> list[Statement]:
        """Forget what expired (in memory now, on disk with the statements returned); once a minute."""

    def staged(self) -> int:
        """How many changes wait to be written."""


@dataclass(frozen=True)
class Health:
    """Whether the database is being written, and what is kept in memory while it is not."""

    problem: str | None = None  # why writes fail, while they do
    since: datetime | None = None
    unsaved: int = 0
    set_aside: int = 0  # rows that could not be written and were left out, since the start

    @property
    def ok(self) -> bool:
        return self.problem is None


class Damaged(sqlite3.DatabaseError):
    """SQLite's own check found the file damaged."""


class StoreUnavailable(Exception):
    """The data folder cannot hold the database at start; the message says which folder and why."""


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


class Database:
    def __init__(
        self,
        data_dir: Path,
        *,
        retry_seconds: float = RETRY_SECONDS,
        busy_seconds: float = BUSY_SECONDS,
        connect: Callable[..., sqlite3.Connection] = sqlite3.connect,
    ):
        self.data_dir = data_dir
        self.path = database_path(data_dir)
        self.retry_seconds = retry_seconds
        self.busy_seconds = busy_seconds
        self._connect = connect
        self._parts: list[Part] = []
        self._connection: sqlite3.Connection | None = None
        self._file: tuple[int, int] | None = None  # (device, inode) of the file written to
        self._wake = threading.Condition()
        self._signalled = False
        self._waiters: list[Future[bool]] = []
        self._stopping = False
        self._problem: str | None = None
        self._since: datetime | None = None
        self._set_aside = 0
        self._writing = 0  # changes taken by the write under way: not on disk yet either
        self._counting = threading.Lock()  # a take and its count, or the staged and the taken read together
        self._next_try = 0.0
        self._thread = threading.Thread(target=self._write_forever, name="database-writer", daemon=True)

    def register(self, part: Part) -> None:
        self._parts.append(part)

    # Start and stop ----------------------------------------------------------

    def open(self) -> None:
        """Open or create the file, let every part load, start writing. Raises `StoreUnavailable`."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            try:
                connection = self._open_file()
            except sqlite3.DatabaseError as error:
                if not isinstance(error, Damaged) and getattr(error, "sqlite_errorname", None) not in CORRUPT:
                    raise
                self._move_aside(error)
                connection = self._open_file()
            for part in self._parts:
                part.load(connection)
            with connection:
                for sql, rows in (s for part in self._parts for s in part.upkeep()):
                    connection.executemany(sql, rows)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(
                f"BOT_DATA_DIR: у фасцикли {self.data_dir} не може да се води база бота ({error}); "
                "поставите BOT_DATA_DIR на фасциклу у коју бот сме да пише."
            ) from error
        self._connection, self._file = connection, self._identity()
        self._thread.start()

    def close(self, timeout: float = 1.5) -> None:
        """Write what is staged (one last try, even during a fault) and stop the writer thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)

    # For the parts and the bot -----------------------------------------------

    def changed(self) -> None:
        """Something was staged: write it soon."""
        with self._wake:
            self._signalled = True
            self._wake.notify()

    def saved(self) -> Future[bool]:
        """Resolves after the next write: True when what was staged before this call is on disk."""
        waiter: Future[bool] = Future()
        with self._wake:
            if self._problem is not None and not self._stopping:
                waiter.set_result(False)  # no point waiting: the next try is seconds away
            else:
                self._waiters.append(waiter)
                self._signalled = True
                self._wake.notify()
        return waiter

    async def wait_saved(self, timeout: float) -> bool:
        """`saved()` for the event loop, giving up (False) after `timeout` seconds."""
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self.saved())), timeout)
        except TimeoutError:
            return False

    def health(self) -> Health:
        with self._counting:
            unsaved = sum(part.staged() for part in self._parts) + self._writing
        return Health(self._problem, self._since, unsaved, self._set_aside)

    # The writer thread -------------------------------------------------------

    def _write_forever(self) -> None:
        next_upkeep = time.monotonic() + UPKEEP_SECONDS
        while True:
            with self._wake:
                while not (self._stopping or self._due(next_upkeep)):
                    self._wake.wait(self._idle_seconds(next_upkeep))
                stopping = self._stopping
                waiters, self._waiters = self._waiters, []
                self._signalled = False
            upkeep = time.monotonic() >= next_upkeep
            if upkeep:
                next_upkeep = time.monotonic() + UPKEEP_SECONDS
            try:
                ok = self._write(upkeep)
            except Exception as error:  # a bug; the thread must live on, or nothing is written again
                log.exception("writing the database failed unexpectedly")
                self._failed(error)
                ok = False
            for waiter in waiters:
                _resolve(waiter, ok)
            if stopping:
                self._close_connection()
                return

    def _due(self, next_upkeep: float) -> bool:
        now = time.monotonic()
        if self._problem is not None:
            for waiter in self._waiters:  # nobody waits through a fault
                _resolve(waiter, False)
            self._waiters.clear()
            return now >= self._next_try or now >= next_upkeep
        return self._signalled or now >= next_upkeep

    def _idle_seconds(self, next_upkeep: float) -> float:
        until = min(next_upkeep, self._next_try) if self._problem is not None else next_upkeep
        return max(0.01, until - time.monotonic())

    def _write(self, upkeep: bool) -> bool:
        statements = [s for part in self._parts for s in part.upkeep()] if upkeep else []
        try:
            new_file = self._ensure_open()
        except (OSError, sqlite3.Error) as error:
            self._failed(error)
            return False
        changes: list[Changes] = []
        try:  # a part's take() is inside: a bug in one puts back what the parts before it took
            for part in self._parts:
                with self._counting:  # what is taken counts as unsaved until it is written or put back
                    changes.append(part.take(everything=new_file))
                    self._writing += changes[-1].taken
            statements = [s for c in changes for s in c.statements] + statements
            if statements:
                self._commit(statements)
        except BaseException as error:  # a storage fault, or a bug: nothing taken is lost either way
            with self._counting:
                for change in changes:
                    change.restore()
                self._writing = 0
            self._close_connection()  # the next try opens the file afresh (and sees if it was replaced)
            if not isinstance(error, Exception):
                raise
            if not _storage_fault(error):
                log.exception("writing the database failed unexpectedly")
            self._failed(error)
            return False
        with self._counting:
            self._writing = 0
        self._recovered()
        return True

    def _commit(self, statements: list[Statement]) -> None:
        """Write the statements in one transaction; when a row cannot be written, write them again row by row,
        setting aside the rows that cannot be. Raises a storage fault."""
        connection = self._connection
        assert connection is not None
        try:
            with connection:
                for sql, rows in statements:
                    connection.executemany(sql, rows)
            return
        except Exception as error:
            if _storage_fault(error):
                raise
        with connection:  # the failed transaction was rolled back: now one row at a time
            for sql, rows in statements:
                for row in rows:
                    try:
                        connection.execute(sql, row)
                    except Exception as error:
                        if _storage_fault(error):
                            raise
                        self._set_aside += 1
                        log.error(
                            "a row for %s could not be written (%s); set aside, %d so far",
                            _table(sql),
                            type(error).__name__,
                            self._set_aside,
                        )

    def _ensure_open(self) -> bool:
        """Open the file unless the connection still writes to it; True when the file is a new one."""
        if self._connection is not None and self._identity() == self._file:
            return False
        self._close_connection()
        found = self._identity()  # before opening: a file made now may reuse the deleted one's inode number
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._connection = self._open_file()
        new_file = found is None or found != self._file  # made just now, or another file in its place
        self._file = self._identity()
        if new_file:
            log.warning("the database %s was gone: created it again and writing everything into it", self.path)
        return new_file

    def _open_file(self) -> sqlite3.Connection:
        connection = self._connect(self.path, timeout=self.busy_seconds, check_same_thread=False)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise Damaged(f"quick_check: {verdict}")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript("".join(part.schema for part in self._parts))
        except BaseException:
            connection.close()
            raise
        return connection

    def _identity(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def _close_connection(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None

    def _move_aside(self, error: Exception) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                source.rename(aside.with_name(aside.name + suffix))
        log.error("the database %s is damaged (%s): moved it aside to %s, starting a new one", self.path, error, aside)

    def _failed(self, error: Exception) -> None:
        metrics.STORAGE_WRITES_FAILED.inc()
        self._next_try = time.monotonic() + self.retry_seconds
        if self._problem is None:
            self._problem = f"{type(error).__name__}: {error}"
            self._since = datetime.now(UTC)
            log.error(
                "cannot write the database %s (%s); answering from memory, trying again every %s s",
                self.path,
                self._problem,
                self.retry_seconds,
            )

    def _recovered(self) -> None:
        if self._problem is not None:
            log.warning("the database %s is writable again; everything kept in memory is written", self.path)
            self._problem = self._since = None


def _storage_fault(error: BaseException) -> bool:
    """The disk, the file or a lock, as opposed to one row SQLite cannot take (`UnicodeEncodeError`,
    `IntegrityError`, a value it cannot bind): a fault keeps everything staged and is tried again."""
    return isinstance(error, OSError | sqlite3.OperationalError) or type(error) is sqlite3.DatabaseError


def _table(sql: str) -> str:
    """The table a statement writes (`INSERT INTO unanswered …` → `unanswered`), for a log line without values."""
    words = sql.split()
    for keyword in ("INTO", "FROM", "UPDATE"):
        if keyword in words and words.index(keyword) + 1 < len(words):
            return words[words.index(keyword) + 1]
    return "?"


def _resolve(waiter: Future[bool], ok: bool) -> None:
    with contextlib.suppress(InvalidStateError):  # the waiter gave up (cancelled) meanwhile
        waiter.set_result(ok)
