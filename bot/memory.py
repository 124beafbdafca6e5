"""Conversation memory for any channel: a random id per conversation, what it talks about, and the answers it got.

`Memory` is what the door (bot/conversation.py) needs of it; three kinds hold it:
`Conversations` here (this process: the web page of one process, the console
chat), Telegram's chats in the database (bot/storage/conversations.py), and the
web processes' shared file (bot/web/shared.py).

The door issues the id (an unguessable token); an id it did not issue, or one
silent for longer than BOT_MEMORY_MINUTES, starts a new conversation with a new
id, so a client cannot pick ids or read another's context.  Each answer about a
network is given an id too, and remembered (its intent and network) so that a
vote (`POST /api/rate`) counts only for an answer this conversation really got,
and only once.  Kept in memory only (a restart forgets them, as a closed browser
tab would) and bounded: the least recently used conversations go first, and a
conversation keeps its last `ANSWERS_KEPT` answers.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol, TypeVar

from bot.dialogue import DialogueState

# A conversation with its last five answers holds about 2.2 KB (20 answers: 6.5 KB; bench/conversation_memory.py),
# so 20,000 conversations are about 45 MB.  Niš's citizens hold far fewer within BOT_MEMORY_MINUTES; under a flood
# of new conversations the least recently used go first (their context only: nothing stored is lost).
MAX_CONVERSATIONS = 20_000
ANSWERS_KEPT = 5  # answers of a conversation that can still be rated: the last few on screen


@dataclass(frozen=True)
class Given:
    """An answer a conversation got, as it can be rated."""

    intent: str
    network: str | None
    question: str = ""  # what was asked: a 👎 stores it for staff to teach from (bot/recording.py)


class Vote(Enum):
    COUNTED = "counted"
    UNKNOWN = "unknown"  # not an answer this conversation got (or it was forgotten)
    ALREADY = "already"  # rated before
    UNAVAILABLE = "unavailable"  # the shared file of several web processes failed: try again (bot/web/shared.py)


Key = TypeVar("Key")  # how a channel names a conversation: an id the door issued (web, console), a chat id (Telegram)


class Memory(Protocol[Key]):
    """What the door needs of conversation memory: the state of a conversation (a new id when it is unknown),
    the new state to keep with the answer given (its id, to rate it by), and a vote on such an answer."""

    def get(self, conversation: Key | None) -> tuple[Key, DialogueState]: ...
    def remember(self, conversation: Key, state: DialogueState, given: Given | None = None) -> str | None: ...
    def vote(self, conversation: Key, answer_id: str) -> tuple[Vote, Given | None]: ...
    def __len__(self) -> int: ...


@dataclass
class _Conversation:
    """One conversation held in this process: where it stands, when it last spoke, its answers to rate."""

    state: DialogueState
    at: float
    answers: OrderedDict[str, tuple[Given, bool]] = field(default_factory=OrderedDict)  # id -> (answer, rated)


class Conversations:
    def __init__(self, ttl_seconds: float, limit: int = MAX_CONVERSATIONS, clock: Callable[[], float] = time.monotonic):
        self.ttl_seconds = ttl_seconds
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()  # oldest use first

    def get(self, conversation: str | None) -> tuple[str, DialogueState]:
        """The conversation's id and state; a new id and an empty state when it is unknown or expired."""
        with self._lock:
            found = self._live(conversation)
            if found is not None and conversation is not None:
                return conversation, found.state
        return secrets.token_urlsafe(18), DialogueState()

    def remember(self, conversation: str, state: DialogueState, given: Given | None = None) -> str | None:
        """Keep the conversation's new state; with `given`, the answer it got: its id, to rate it by."""
        now = self._clock()
        answer_id = secrets.token_urlsafe(9) if given is not None else None
        with self._lock:
            entry = self._conversations.get(conversation)
            if entry is None:
                entry = self._conversations[conversation] = _Conversation(state, now)
            entry.state, entry.at = state, now
            if given is not None and answer_id is not None:
                entry.answers[answer_id] = (given, False)
                while len(entry.answers) > ANSWERS_KEPT:
                    entry.answers.popitem(last=False)
            self._conversations.move_to_end(conversation)
            self._forget_old(now)
        return answer_id

    def vote(self, conversation: str, answer_id: str) -> tuple[Vote, Given | None]:
        """Mark the answer rated: COUNTED with what was rated, or why the vote does not count."""
        with self._lock:
            entry = self._live(conversation)
            found = entry.answers.get(answer_id) if entry is not None else None
            if entry is None or found is None:
                return Vote.UNKNOWN, None
            given, rated = found
            if rated:
                return Vote.ALREADY, given
            entry.answers[answer_id] = (given, True)
            return Vote.COUNTED, given

    def __len__(self) -> int:
        with self._lock:
            return len(self._conversations)

    def _live(self, conversation: str | None) -> _Conversation | None:
        entry = self._conversations.get(conversation) if conversation else None
        if entry is None or self._clock() - entry.at > self.ttl_seconds:
            return None
        return entry

    def _forget_old(self, now: float) -> None:
        while self._conversations:
            oldest = next(iter(self._conversations.values()))
            if now - oldest.at <= self.ttl_seconds and len(self._conversations) <= self.limit:
                break
            self._conversations.popitem(last=False)
