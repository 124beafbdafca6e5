"""The inbox: every update from Telegram, from the moment it arrives until it is answered.

An update is *admitted* (kept, as JSON, until answered), *skipped* (a flooding
chat's surplus: only its id is kept) or *done* once its reply is sent, when its
text is dropped and only the id stays, for a day, so that Telegram sending it
again after a crash is recognised.  The receiver waits for `saved()` before
letting Telegram forget a batch (the next getUpdates' offset, or the webhook's
HTTP 200); on start the bot answers what `undone()` returns.  Whatever happens
to the disk, the inbox in memory is complete: the database writes it out when
it can.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass

from bot.storage.database import Changes, Database, Statement

SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY,
    received_at REAL,       -- unix time
    body TEXT,              -- the update as JSON while it waits; NULL once done
    done_at REAL            -- answered or skipped (unix time); the row is then kept a day, for redeliveries
);
"""
REMEMBER_DONE_SECONDS = 24 * 3600  # Telegram keeps an unconfirmed update for 24 hours
MAX_DONE_IN_MEMORY = 10_000  # ids kept to recognise a redelivery (webhook mode has no confirmations)
ADD_PENDING = "INSERT INTO inbox (update_id, received_at, body) VALUES (?, ?, ?) ON CONFLICT (update_id) DO NOTHING"
MARK_DONE = (
    "INSERT INTO inbox (update_id, done_at) VALUES (?, ?)"
    " ON CONFLICT (update_id) DO UPDATE SET body = NULL, done_at = excluded.done_at"
)


@dataclass(frozen=True)
class Waiting:
    """A Telegram update received and kept on disk until it is answered."""

    update_id: int
    body: str  # the update as Telegram sent it, JSON
    received_at: float


class Inbox:
    schema = SCHEMA

    def __init__(self, database: Database):
        self._database = database
        self._lock = threading.Lock()
        self._waiting: dict[int, Waiting] = {}
        self._done: dict[int, float] = {}  # update id -> done at; oldest first
        self._dirty: set[int] = set()
        self._confirmed = 0  # Telegram will not send an id below this again
        self._prune = False
        database.register(self)

    # What the bot does -------------------------------------------------------

    def is_new(self, update_id: int) -> bool:
        """False for an update already waiting or done (Telegram sent it again)."""
        with self._lock:
            return update_id not in self._waiting and update_id not in self._done

    def admit(self, update_id: int, body: str) -> None:
        with self._lock:
            self._waiting[update_id] = Waiting(update_id, body, time.time())
            self._dirty.add(update_id)
        self._database.changed()

    def done(self, update_id: int) -> float | None:
        """Answered (or skipped): forget the text, keep the id; when it was received, if it was waiting."""
        with self._lock:
            waiting = self._waiting.pop(update_id, None)
            self._done[update_id] = time.time()
            self._dirty.add(update_id)
            while len(self._done) > MAX_DONE_IN_MEMORY:
                del self._done[next(iter(self._done))]
        self._database.changed()
        return waiting.received_at if waiting else None

    def oldest_waiting(self) -> float:
        """Seconds the oldest update waiting has waited (0: none waits)."""
        with self._lock:
            oldest = min((w.received_at for w in self._waiting.values()), default=None)
        return max(0.0, time.time() - oldest) if oldest is not None else 0.0

    skip = done

    def confirmed(self, offset: int) -> None:
        """Telegram confirmed every update below `offset` (polling): it will never send them again."""
        with self._lock:
            if offset <= self._confirmed:
                return
            self._confirmed = offset
            self._prune = True
            for update_id in [i for i in self._done if i < offset]:
                del self._done[update_id]
        self._database.changed()

    async def saved(self, timeout: float) -> bool:
        """Wait until what was admitted is on disk (False: storage fault or slow disk; answering goes on)."""
        return await self._database.wait_saved(timeout)

    def undone(self) -> list[Waiting]:
        """What waits for an answer, oldest first: at start, what the last run did not answer."""
        with self._lock:
            return sorted(self._waiting.values(), key=lambda w: w.update_id)

    def waiting(self) -> int:
        with self._lock:
            return len(self._waiting)

    # What the database does --------------------------------------------------

    def load(self, connection: sqlite3.Connection) -> None:
        rows = connection.execute("SELECT update_id, received_at, body, done_at FROM inbox ORDER BY update_id")
        for update_id, received_at, body, done_at in rows:
            if done_at is None and body is not None:
                self._waiting[update_id] = Waiting(update_id, body, received_at or time.time())
            else:
                self._done[update_id] = done_at or time.time()

    def take(self, everything: bool) -> Changes:
        with self._lock:
            ids = set(self._waiting) | set(self._done) if everything else self._dirty
            self._dirty = set()
            waiting = [(w.update_id, w.received_at, w.body) for i in ids if (w := self._waiting.get(i))]
            # Not waiting means done, even if no longer remembered (confirmed, or pushed out by newer ids).
            now = time.time()
            done = [(i, self._done.get(i, now)) for i in ids if i not in self._waiting]
            prune, self._prune = self._prune, False
        statements: list[Statement] = []
        if waiting:
            statements.append((ADD_PENDING, waiting))
        if done:
            statements.append((MARK_DONE, done))
        if prune:
            statements.append(("DELETE FROM inbox WHERE done_at IS NOT NULL AND update_id < ?", [(self._confirmed,)]))

        def restore() -> None:
            with self._lock:
                self._dirty |= ids
                self._prune = self._prune or prune

        return Changes(statements, restore, taken=len(ids))

    def upkeep(self) -> list[Statement]:
        return [("DELETE FROM inbox WHERE done_at < ?", [(time.time() - REMEMBER_DONE_SECONDS,)])]

    def staged(self) -> int:
        with self._lock:
            return len(self._dirty)
