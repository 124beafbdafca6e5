"""The lock of /staff: the token checked in constant time, the sessions it opens, wrong tries slowed down.

A session is a random id kept in memory for 8 hours (the token itself never
goes into a cookie; a restart signs everyone out).  After a wrong try, an
address may not try again for 1 s, then 2, 4… up to 30 s (forgotten after 15
minutes without a wrong try): a try within that time is refused at once (429)
without being checked, so a burst of guesses gets one checked, not hundreds.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable

SESSION_SECONDS = 8 * 3600
FAILURES_FORGOTTEN_SECONDS = 15 * 60
MAX_WAIT_SECONDS = 30.0


class StaffGate:
    """The token check, the sessions it opens, and the wrong tries per address."""

    def __init__(self, token: str, clock: Callable[[], float] = time.monotonic):
        self._token = token.encode()
        self._clock = clock
        self._sessions: dict[str, float] = {}  # session id -> expiry
        self._failures: dict[str, tuple[int, float, float]] = {}  # address -> (wrong tries, last try, may try at)

    def right_token(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self._token)

    def open_session(self) -> str:
        now = self._clock()
        self._sessions = {s: until for s, until in self._sessions.items() if until > now}
        session = secrets.token_urlsafe(32)
        self._sessions[session] = now + SESSION_SECONDS
        return session

    def valid(self, session: str | None) -> bool:
        until = self._sessions.get(session or "")
        return until is not None and until > self._clock()

    def close(self, session: str | None) -> None:
        self._sessions.pop(session or "", None)

    def wait_before_try(self, address: str) -> float:
        """Seconds until `address` may try again (0: now); a try before then is not checked."""
        failure = self._failures.get(address)
        return max(0.0, failure[2] - self._clock()) if failure else 0.0

    def wrong_try(self, address: str) -> tuple[int, float]:
        """Count a wrong try; the number of recent ones from `address` and how long it must now wait."""
        now = self._clock()
        tries, last, _ = self._failures.get(address, (0, now, now))
        tries = 1 if now - last > FAILURES_FORGOTTEN_SECONDS else tries + 1
        self._failures = {a: f for a, f in self._failures.items() if now - f[1] <= FAILURES_FORGOTTEN_SECONDS}
        wait = min(MAX_WAIT_SECONDS, 2.0 ** (tries - 1))
        self._failures[address] = (tries, now, now + wait)
        return tries, wait

    def forgive(self, address: str) -> None:
        self._failures.pop(address, None)
