"""Conversation memory: what each chat is talking about, so that „А када је основан?“ has a subject.

Only the dialogue state is kept (network, intent, script, the last list's networks; never text), per chat
id, in memory for reading and in the database so that it survives a restart.
A chat silent for `ttl_seconds` (BOT_MEMORY_MINUTES) is forgotten in both, so
memory stays bounded however many people write.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

from bot.dialogue import DialogueState
from bot.memory import Given, Vote
from bot.script import Script
from bot.storage.database import Changes, Database, Statement

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversation (
    chat INTEGER PRIMARY KEY,   -- Telegram chat id
    network TEXT,
    intent TEXT,
    script TEXT NOT NULL,       -- cyrillic | latin
    updated_at REAL NOT NULL,   -- unix time of the last message; forgotten BOT_MEMORY_MINUTES later
    listed TEXT NOT NULL DEFAULT ''  -- the networks of the last list, by id, comma-separated
);
"""
SAVE = (
    "INSERT OR REPLACE INTO conversation (chat, network, intent, script, updated_at, listed) VALUES (?, ?, ?, ?, ?, ?)"
)


class ConversationMemory:
    schema = SCHEMA

    def __init__(self, database: Database, ttl_seconds: float, clock: Callable[[], float] = time.time):
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._database = database
        self._lock = threading.Lock()
        self._states: dict[int, tuple[DialogueState, float]] = {}
        self._dirty: set[int] = set()
        database.register(self)

    def get(self, chat: int | None) -> tuple[int | None, DialogueState]:
        """The chat and its state (bot/memory.py `Memory`): a chat's id is Telegram's, never issued here."""
        with self._lock:
            entry = self._states.get(chat) if chat is not None else None
        if entry is None or self._clock() - entry[1] > self.ttl_seconds:
            return chat, DialogueState()
        return chat, entry[0]

    def remember(self, chat: int | None, state: DialogueState, given: Given | None = None) -> str | None:
        """Keep the chat's state; no answer id: Telegram's rating buttons carry what they rate."""
        if chat is None:
            return None
        with self._lock:
            self._states[chat] = (state, self._clock())
            self._dirty.add(chat)
        self._database.changed()
        return None

    def vote(self, chat: int | None, answer_id: str) -> tuple[Vote, Given | None]:
        """Answers are not kept by id here (see `remember`)."""
        return Vote.UNKNOWN, None

    def __len__(self) -> int:
        with self._lock:
            return len(self._states)

    # What the database does --------------------------------------------------

    def load(self, connection: sqlite3.Connection) -> None:
        """The chats not yet forgotten; a database from before `listed` gets the column (its chats listed none)."""
        if "listed" not in {row[1] for row in connection.execute("PRAGMA table_info(conversation)")}:
            with connection:
                connection.execute("ALTER TABLE conversation ADD COLUMN listed TEXT NOT NULL DEFAULT ''")
        cutoff = self._clock() - self.ttl_seconds
        rows = connection.execute(
            "SELECT chat, network, intent, script, updated_at, listed FROM conversation WHERE updated_at >= ?",
            (cutoff,),
        )
        scripts = {script.value: script for script in Script}
        for chat, network, intent, script, updated_at, listed in rows:
            if script in scripts:
                state = DialogueState(network, intent, scripts[script], tuple(filter(None, listed.split(","))))
                self._states[chat] = (state, updated_at)

    def take(self, everything: bool) -> Changes:
        with self._lock:
            chats = set(self._states) if everything else self._dirty
            self._dirty = set()
            rows = [
                (chat, state.network, state.intent, state.script.value, at, ",".join(state.listed))
                for chat in chats
                if (entry := self._states.get(chat))
                for state, at in [entry]
            ]

        def restore() -> None:
            with self._lock:
                self._dirty |= chats

        return Changes([(SAVE, rows)] if rows else [], restore, taken=len(chats))

    def upkeep(self) -> list[Statement]:
        cutoff = self._clock() - self.ttl_seconds
        with self._lock:
            for chat in [c for c, (_, at) in self._states.items() if at < cutoff]:
                del self._states[chat]
        return [("DELETE FROM conversation WHERE updated_at < ?", [(cutoff,)])]

    def staged(self) -> int:
        with self._lock:
            return len(self._dirty)
