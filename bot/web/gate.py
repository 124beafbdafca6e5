"""The lock of /staff: the token checked in constant time, the sessions it opens, wrong tries slowed down.

A session is a random id kept in memory for 8 hours (the token itself never
goes into a cookie; a restart signs everyone out).  After a wrong try, an
address may not try again for 1 s, then 2, 4… up to 30 s (forgotten after 15
minutes without a wrong try): a try within that time is refused at once (429)
without being checked, so a burst of guesses gets one checked, not hundreds.

Addresses are cheap to an attacker (IPv6, a botnet), so the gate's own cost is
bounded too: at most `MAX_ADDRESSES` addresses are tracked (the longest quiet
forgotten first, in constant time per try), all addresses together get at most
`WRONG_TRIES_PER_SECOND` wrong tries checked (more wait their turn, 429), and
the log gets one line per `LOG_EVERY_SECONDS` with the count, not one line per
guess.  An attack from many addresses can hold that shared limit full; so an
address that signed in rightly within `TRUSTED_DAYS` is not held by it (only by
its own back-off), and staff keep their way in.  After a restart, until someone
signs in, a long attack can keep staff waiting: the token is safe, the page late.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import NamedTuple

SESSION_SECONDS = 8 * 3600
FAILURES_FORGOTTEN_SECONDS = 15 * 60
MAX_WAIT_SECONDS = 30.0
MAX_ADDRESSES = 10_000
WRONG_TRIES_PER_SECOND = 10
LOG_EVERY_SECONDS = 10.0
TRUSTED_DAYS = 30
MAX_TRUSTED = 1_000


class Failures(NamedTuple):
    tries: int  # wrong tries in a row, none more than FAILURES_FORGOTTEN_SECONDS apart
    last: float  # when the last one came
    may_try_at: float


class StaffGate:
    """The token check, the sessions it opens, and the wrong tries per address."""

    def __init__(self, token: str, clock: Callable[[], float] = time.monotonic):
        self._token = token.encode()
        self._clock = clock
        self._sessions: dict[str, float] = {}  # session id -> expiry
        self._failures: OrderedDict[str, Failures] = OrderedDict()  # by address, the longest quiet first
        self._recent_wrong: deque[float] = deque(maxlen=WRONG_TRIES_PER_SECOND)  # when the last ones came, all
        self._unlogged = 0
        self._logged_at = -LOG_EVERY_SECONDS
        self._trusted: OrderedDict[str, float] = OrderedDict()  # address that signed in -> until when it is trusted

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
        now = self._clock()
        failure = self._failures.get(address)
        own = failure.may_try_at - now if failure else 0.0
        everyone = 0.0
        if len(self._recent_wrong) == WRONG_TRIES_PER_SECOND and self._trusted.get(address, 0.0) <= now:
            everyone = self._recent_wrong[0] + 1.0 - now
        return max(0.0, own, everyone)

    def wrong_try(self, address: str) -> tuple[int, float]:
        """Count a wrong try; the number of recent ones from `address` and how long it must now wait."""
        now = self._clock()
        self._recent_wrong.append(now)
        self._unlogged += 1
        while self._failures:  # forget the addresses quiet for long, oldest first: each is dropped once
            oldest = next(iter(self._failures.values()))
            if now - oldest.last <= FAILURES_FORGOTTEN_SECONDS and len(self._failures) < MAX_ADDRESSES:
                break
            self._failures.popitem(last=False)
        before = self._failures.pop(address, None)
        tries = before.tries + 1 if before else 1
        wait = min(MAX_WAIT_SECONDS, 2.0 ** (tries - 1))
        self._failures[address] = Failures(tries, now, now + wait)
        return tries, wait

    def wrong_tries_to_log(self) -> int:
        """How many wrong tries came since the last log line, when it is time for one (else 0)."""
        now = self._clock()
        if not self._unlogged or now - self._logged_at < LOG_EVERY_SECONDS:
            return 0
        count, self._unlogged, self._logged_at = self._unlogged, 0, now
        return count

    def forgive(self, address: str) -> None:
        """The address signed in rightly: its wrong tries are forgotten, and the shared limit no longer holds it."""
        self._failures.pop(address, None)
        self._trusted.pop(address, None)
        self._trusted[address] = self._clock() + TRUSTED_DAYS * 86400
        while len(self._trusted) > MAX_TRUSTED:
            self._trusted.popitem(last=False)
