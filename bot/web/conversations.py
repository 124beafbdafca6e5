"""Web chat conversations: a random id per conversation and what it talks about, forgotten after silence.

The server issues the id (an unguessable token); an id it did not issue, or one
silent for longer than BOT_MEMORY_MINUTES, starts a new conversation with a new
id, so a client cannot pick ids or read another's context.  Kept in memory only
(a restart forgets them, as a closed browser tab would) and bounded: the least
recently used go first.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.engine import DialogueState

MAX_CONVERSATIONS = 100_000  # about 20 MB at most


class WebConversations:
    def __init__(self, ttl_seconds: float, limit: int = MAX_CONVERSATIONS, clock: Callable[[], float] = time.monotonic):
        self.ttl_seconds = ttl_seconds
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._states: OrderedDict[str, tuple[DialogueState, float]] = OrderedDict()  # oldest use first

    def get(self, conversation: str | None) -> tuple[str, DialogueState]:
        """The conversation's id and state; a new id and an empty state when it is unknown or expired."""
        now = self._clock()
        with self._lock:
            entry = self._states.get(conversation) if conversation else None
            if conversation and entry is not None and now - entry[1] <= self.ttl_seconds:
                return conversation, entry[0]
        return secrets.token_urlsafe(18), DialogueState()

    def remember(self, conversation: str, state: DialogueState) -> None:
        now = self._clock()
        with self._lock:
            self._states[conversation] = (state, now)
            self._states.move_to_end(conversation)
            while self._states:
                _, (_, at) = next(iter(self._states.items()))
                if now - at <= self.ttl_seconds and len(self._states) <= self.limit:
                    break
                self._states.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._states)
