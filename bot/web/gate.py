"""The lock of /staff: named accounts and the shared token checked, the sessions they open, wrong tries slowed.

Staff sign in with a name and password (`python -m bot staff add`, bot/accounts.py:
the accounts file is read again whenever it changes on disk, so an account added,
removed or given a new password counts at once, while the server runs), or with
WEB_STAFF_TOKEN alone and no name: the shared sign-in, „заједничка лозинка“.
`verify` checks either: scrypt takes ~50 ms and 16 MB, so it is a plain
blocking function the handler must run off the event loop
(`await asyncio.to_thread(gate.verify, name, password)`); everything else is
quick and belongs on the loop.  Compares are constant-time, and an unknown name
costs the same scrypt as a known one.

A session is a random id kept in memory for 8 hours (no password goes into a
cookie; a restart signs everyone out).  It remembers who signed in
(`session_name`), and ends early when that account is removed or given a new
password.

After a wrong try, an address may not try again for 1 s, then 2, 4… up to 30 s
(forgotten after 15 minutes without a wrong try): a try within that time is
refused at once (429) without being checked, so a burst of guesses gets one
checked, not hundreds.  A name is slowed the same way, as addresses are cheap
to an attacker; but a name's back-off does not hold an address that signed in
rightly as that name within `TRUSTED_DAYS`, so one guessing a person's password from
elsewhere cannot lock that person out.  The shared token (16+ random
characters) is slowed per address only.

Addresses are cheap (IPv6, a botnet), so the gate's own cost is bounded too: at
most `MAX_ADDRESSES` addresses and as many names are tracked (the longest quiet
forgotten first, in constant time per try), all untrusted addresses together get
at most `WRONG_TRIES_PER_SECOND` tries checked a second (more wait their turn,
429), and the log gets one line per `LOG_EVERY_SECONDS` with the count, not one
line per guess.  An attack from many addresses can hold that shared limit full;
trusted addresses are not held by it (only by their own back-off), so staff keep
their way in.  After a restart, until someone signs in, a long attack can keep
staff waiting: the passwords are safe, the page late.

A handler, so that a try awaiting its check in a thread still counts (one
checked try per back-off interval, however many arrive at once):

    wait = gate.start_try(address, name)        # > 0: 429 with Retry-After, not checked
    who = await asyncio.to_thread(gate.verify, name, password)
    if who is None: tries, wait = gate.wrong_try(address, name)  # 403
    else: gate.forgive(address); cookie = gate.open_session(who)

`wait_before_try` (asks, reserves nothing) and `right_token` are kept for the old handler.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, Protocol

from bot.accounts import SHARED_NAME, Account, AccountError, load, name_key, password_matches

log = logging.getLogger("bot.web")

SESSION_SECONDS = 8 * 3600
FAILURES_FORGOTTEN_SECONDS = 15 * 60
MAX_WAIT_SECONDS = 30.0
MAX_ADDRESSES = 10_000  # and as many names
WRONG_TRIES_PER_SECOND = 10
LOG_EVERY_SECONDS = 10.0
TRUSTED_DAYS = 30
MAX_TRUSTED = 1_000
MAX_SESSIONS = 1_000  # signed in at once; a sign-in beyond ends the oldest session
CHECK_SECONDS = 10.0  # a started try not ended by then (the handler failed) no longer holds its address
_KEY_CHARS = 200  # of a name's key kept: longer names are no account's (bot/accounts.py MAX_NAME)
_NO_ACCOUNT = "scrypt$16384$8$1$" + "A" * 22 + "==$" + "A" * 86 + "=="  # checked for unknown names: same cost


class Failures(NamedTuple):
    tries: int  # wrong tries in a row, none more than FAILURES_FORGOTTEN_SECONDS apart
    last: float  # when the last one came
    may_try_at: float


class Session(NamedTuple):
    until: float
    name: str
    password: str | None  # a fingerprint of the account's password hash at sign-in (never the hash); None: the token


class AccountsFile:
    """The accounts, read again when the file changes (a stat per look); thread-safe. Unreadable: none."""

    def __init__(self, path: Path | None):
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, ...] | None = None
        self._accounts: dict[str, Account] = {}

    def current(self) -> dict[str, Account]:
        if self.path is None:
            return {}
        try:
            found = self.path.stat()
            stamp: tuple[int, ...] = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
        except FileNotFoundError:
            stamp = ()
        except OSError as error:
            log.warning("staff accounts %s unreadable, named sign-in refused: %s", self.path, error)
            return {}
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._accounts = load(self.path) if stamp else {}
                except (OSError, AccountError) as error:
                    log.warning("staff accounts %s unreadable, named sign-in refused: %s", self.path, error)
                    self._accounts = {}
                self._stamp = stamp
            return self._accounts


class SessionStore(Protocol):
    """Where sessions are kept: this process's memory, or the file the web processes share (bot/web/shared.py)."""

    def get(self, session: str) -> Session | None: ...
    def put(self, session: str, kept: Session) -> None: ...
    def pop(self, session: str) -> None: ...

    def prune(self, now: float, limit: int) -> None:
        """Drop the sessions ended by `now`, and the oldest beyond `limit`."""

    def __len__(self) -> int: ...


class MemorySessions:
    """Sessions in this process, the oldest first: each is dropped once, in constant time per sign-in."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, Session] = OrderedDict()

    def get(self, session: str) -> Session | None:
        return self._kept.get(session)

    def put(self, session: str, kept: Session) -> None:
        self._kept[session] = kept

    def pop(self, session: str) -> None:
        self._kept.pop(session, None)

    def prune(self, now: float, limit: int) -> None:
        while self._kept:
            oldest = next(iter(self._kept.values()))
            if oldest.until > now and len(self._kept) <= limit:
                break
            self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


class StaffGate:
    """The checks, the sessions they open, and the wrong tries per address and per name."""

    def __init__(
        self,
        token: str | None,
        clock: Callable[[], float] = time.monotonic,
        accounts: Path | None = None,
        sessions: SessionStore | None = None,
    ):
        """`sessions`: where sessions are kept (default: this process's memory; bot/web/shared.py for several)."""
        self._token = (token or "").encode()
        self._clock = clock
        self.accounts = AccountsFile(accounts)
        self._sessions: SessionStore = MemorySessions() if sessions is None else sessions
        self._failures: OrderedDict[str, Failures] = OrderedDict()  # by address, the longest quiet first
        self._name_failures: OrderedDict[str, Failures] = OrderedDict()  # by name key, the longest quiet first
        self._checking: OrderedDict[str, float] = OrderedDict()  # address / "\0" + name key -> since when
        self._recent: deque[float] = deque(maxlen=WRONG_TRIES_PER_SECOND)  # the last checked tries, untrusted
        self._unlogged = 0
        self._logged_at = -LOG_EVERY_SECONDS
        self._trusted: OrderedDict[str, float] = OrderedDict()  # address that signed in -> until when it is trusted

    @property
    def shared_sign_in(self) -> bool:
        """Whether WEB_STAFF_TOKEN alone (no name) is accepted."""
        return bool(self._token)

    def verify(self, name: str, password: str) -> str | None:
        """Who signs in: the account's name as stored, SHARED_NAME for the token with no name, None if wrong.
        Blocking (~50 ms): `await asyncio.to_thread(gate.verify, name, password)`."""
        if not name.strip():
            return SHARED_NAME if self._token and self.right_token(password) else None
        account = self.accounts.current().get(name_key(name))
        right = password_matches(password, account.password_hash if account else _NO_ACCOUNT)
        return account.name if right and account else None

    def right_token(self, given: str) -> bool:
        return bool(self._token) and hmac.compare_digest(given.encode(), self._token)

    def open_session(self, name: str = SHARED_NAME) -> str:
        """A session for `name`, as `verify` gave it."""
        now = self._clock()
        self._sessions.prune(now, MAX_SESSIONS - 1)
        account = None if name == SHARED_NAME else self.accounts.current().get(name_key(name))
        session = secrets.token_urlsafe(32)
        self._sessions.put(session, Session(now + SESSION_SECONDS, name, _fingerprint(account) if account else None))
        return session

    def session_name(self, session: str | None) -> str | None:
        """Who signed in with this session; None when it is not one, has expired, or its account changed."""
        kept = self._sessions.get(session or "")
        if kept is None or kept.until <= self._clock():
            return None
        if kept.password is not None or kept.name != SHARED_NAME:
            account = self.accounts.current().get(name_key(kept.name))
            if account is None or _fingerprint(account) != kept.password:
                self._sessions.pop(session or "")
                return None
        return kept.name

    def valid(self, session: str | None) -> bool:
        return self.session_name(session) is not None

    def close(self, session: str | None) -> None:
        self._sessions.pop(session or "")

    def wait_before_try(self, address: str, name: str = "") -> float:
        """Seconds until `address` may try `name` (blank: the token) again (0: now); a try before then is refused."""
        now = self._clock()
        trusted = self._trusted.get(address, 0.0) > now  # for the shared limit: signed in rightly as anyone
        key = _key(name)
        own_name = self._trusted.get(f"{address}\0{key}", 0.0) > now  # signed in rightly as this very name
        waits = [0.0, self._wait(self._failures, address, now)]
        if address in self._checking and now - self._checking[address] < CHECK_SECONDS:
            waits.append(1.0)  # its last try is still being checked
        if len(self._recent) == WRONG_TRIES_PER_SECOND and not trusted:
            waits.append(self._recent[0] + 1.0 - now)
        if key and not own_name:  # one's own account is never locked by guesses at it; others' names are
            waits.append(self._wait(self._name_failures, key, now))
            if "\0" + key in self._checking and now - self._checking["\0" + key] < CHECK_SECONDS:
                waits.append(1.0)
        return max(waits)

    def start_try(self, address: str, name: str = "") -> float:
        """As `wait_before_try`; when 0, the try is counted as begun: until `wrong_try` or `forgive` ends it
        (or CHECK_SECONDS pass), no other try from `address` or at `name` is checked."""
        wait = self.wait_before_try(address, name)
        if wait > 0:
            return wait
        now = self._clock()
        while self._checking and now - next(iter(self._checking.values())) >= CHECK_SECONDS:
            self._checking.popitem(last=False)  # ended by nobody: its handler failed
        for held in (address, "\0" + _key(name)) if _key(name) else (address,):
            self._checking.pop(held, None)
            self._checking[held] = now
        if self._trusted.get(address, 0.0) <= now:
            self._recent.append(now)
        return 0.0

    def wrong_try(self, address: str, name: str = "") -> tuple[int, float]:
        """Count a wrong try; the number of recent ones from `address` and how long it must now wait."""
        now = self._clock()
        if self._checking.pop(address, None) is None:  # not begun by `start_try`: counted here
            self._recent.append(now)
        self._unlogged += 1
        key = _key(name)
        if key:
            self._checking.pop("\0" + key, None)
            _count(self._name_failures, key, now)
        return _count(self._failures, address, now)

    def wrong_tries_to_log(self) -> int:
        """How many wrong tries came since the last log line, when it is time for one (else 0)."""
        now = self._clock()
        if not self._unlogged or now - self._logged_at < LOG_EVERY_SECONDS:
            return 0
        count, self._unlogged, self._logged_at = self._unlogged, 0, now
        return count

    def forgive(self, address: str, name: str = "") -> None:
        """The address signed in rightly as `name`: its wrong tries are forgotten, the shared limit no longer holds
        it, nor does `name`'s back-off (others' names still do: an account holder guessing a colleague's password
        is slowed like anyone).  The name's wrong tries stay: they may be someone else's guesses."""
        self._failures.pop(address, None)
        self._checking.pop(address, None)
        if key := _key(name):
            self._checking.pop("\0" + key, None)
        until = self._clock() + TRUSTED_DAYS * 86400
        for trusted in (address, f"{address}\0{key}") if key else (address,):
            self._trusted.pop(trusted, None)
            self._trusted[trusted] = until
        while len(self._trusted) > MAX_TRUSTED:
            self._trusted.popitem(last=False)

    @staticmethod
    def _wait(failures: OrderedDict[str, Failures], key: str, now: float) -> float:
        failure = failures.get(key)
        return failure.may_try_at - now if failure else 0.0


def _fingerprint(account: Account) -> str:
    """What a session keeps of the password it was opened with: enough to end it when the password changes."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:32]


def _key(name: str) -> str:
    return name_key(name)[:_KEY_CHARS] if name.strip() else ""


def _count(failures: OrderedDict[str, Failures], key: str, now: float) -> tuple[int, float]:
    """One more wrong try for `key`: (tries in a row, wait); the long quiet and the oldest over the bound forgotten."""
    while failures:  # oldest first: each is dropped once
        oldest = next(iter(failures.values()))
        if now - oldest.last <= FAILURES_FORGOTTEN_SECONDS and len(failures) < MAX_ADDRESSES:
            break
        failures.popitem(last=False)
    before = failures.pop(key, None)
    tries = before.tries + 1 if before else 1
    wait = min(MAX_WAIT_SECONDS, 2.0 ** (tries - 1))
    failures[key] = Failures(tries, now, now + wait)
    return tries, wait
