"""A per-chat quota, so that one chat cannot take the bot's time from everyone else.

A token bucket per private chat: `per_minute` messages at once, then one more
every 60/`per_minute` seconds.  The first message over the quota is answered
with a polite "please slow down" (at most once a minute); the rest are skipped.
Only private chats count: in groups the bot ignores, at no cost, what is not
addressed to it, and inline mode sends one query per keystroke.  The web API
uses the same buckets, keyed by the client's address (bot/web/): a quota belongs to no channel.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

SWEEP_EVERY = 1000  # checks between clearing out buckets that have refilled


class Verdict(Enum):
    ANSWER = "answer"
    SLOW_DOWN = "slow_down"  # over the quota: say so, once
    SKIP = "skip"


@dataclass
class OverQuota:
    """What the quota cost since the start, for /stats."""

    skipped: int = 0  # updates over a chat's quota, not answered
    slowed: int = 0  # times a chat was asked to slow down


class Quota(Protocol):
    """A quota per sender: this process's token buckets (`ChatQuota`) or the web processes' shared ones
    (bot/web/shared.py `SharedQuota`)."""

    per_minute: int

    def check(self, chat: Hashable) -> Verdict: ...
    def retry_after(self, chat: Hashable) -> int: ...


class ChatQuota:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # chat -> (tokens, when counted)
        self._told: dict[Hashable, float] = {}  # chat -> when it was last asked to slow down
        self._checks = 0

    def check(self, chat: Hashable) -> Verdict:
        now = self._clock()
        self._checks += 1
        if self._checks % SWEEP_EVERY == 0:
            self._sweep(now)
        tokens = self._tokens(chat, now)
        if tokens >= 1:
            self._buckets[chat] = (tokens - 1, now)
            return Verdict.ANSWER
        self._buckets[chat] = (tokens, now)
        if now - self._told.get(chat, -60.0) >= 60:
            self._told[chat] = now
            return Verdict.SLOW_DOWN
        return Verdict.SKIP

    def _tokens(self, chat: Hashable, now: float) -> float:
        tokens, then = self._buckets.get(chat, (float(self.per_minute), now))
        return min(float(self.per_minute), tokens + (now - then) * self.per_minute / 60)

    def retry_after(self, chat: Hashable) -> int:
        """Whole seconds until `chat` may be answered again (0: now); for an HTTP Retry-After."""
        missing = 1 - self._tokens(chat, self._clock())
        return max(0, math.ceil(missing * 60 / self.per_minute))

    def _sweep(self, now: float) -> None:
        """Forget chats whose bucket is full again: memory stays bounded by the chats of the last minute."""
        for chat in [c for c in self._buckets if self._tokens(c, now) >= self.per_minute]:
            del self._buckets[chat]
        for chat in [c for c, at in self._told.items() if now - at >= 60]:
            del self._told[chat]

    def __len__(self) -> int:
        return len(self._buckets)
