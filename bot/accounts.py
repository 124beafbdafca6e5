"""Named staff accounts for /staff: `python -m bot staff add|list|remove|password NAME`.

The accounts live in `BOT_DATA_DIR/staff-accounts.json` (mode 0600, replaced
whole: a reader sees the old file or the new one, never half).  A password is
kept only as a scrypt hash (n=2**14, r=8, p=1, a random 16-byte salt, a 64-byte
key); the parameters are stored with it, `scrypt$n$r$p$salt$key`, so that they
can be raised later without making the old hashes unreadable.  One check costs
about 50 ms and 16 MB: a server must run it off its event loop.

A name has 1-40 characters (letters of any script, digits, space, dot, dash),
is stored as typed (in NFC, without outer spaces) and compared case-insensitively after
NFC normalisation: „Ана“ and „АНА“ are one account.

The password is asked twice without echo.  When stdin is not a terminal (tests,
scripts) it is read from stdin instead: one line, or two that must match.
Two `staff` commands run at the very same moment may lose one's change: the
command is run by hand, one at a time.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

ACCOUNTS_FILE = "staff-accounts.json"
SHARED_NAME = "заједничка лозинка"  # who a sign-in with WEB_STAFF_TOKEN alone is; no account may take this name
MIN_PASSWORD = 10
MAX_NAME = 40
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 64
_MAXMEM = 256 * 1024 * 1024  # enough for raised parameters; the defaults need 16 MB
_PUNCTUATION = frozenset(" .-")


class AccountError(Exception):
    """A name, a password or an account is not right; the message, in Serbian, says what to do."""


@dataclass(frozen=True)
class Account:
    """A member of staff who may sign in to /staff: the name, when added, the password's scrypt hash."""

    name: str  # as typed
    added: datetime  # UTC
    password_hash: str  # scrypt$n$r$p$salt$key

    @property
    def key(self) -> str:
        return name_key(self.name)


def accounts_path(data_dir: Path) -> Path:
    return data_dir / ACCOUNTS_FILE


def name_key(name: str) -> str:
    """What two names are compared by: NFC, case folded (so „Ана“ == „АНА“, „Ä“ == „Ä“)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())


def check_name(name: str) -> str:
    """The name as it will be stored, or AccountError."""
    name = unicodedata.normalize("NFC", name.strip())
    allowed = all(ch in _PUNCTUATION or unicodedata.category(ch)[0] in "LM" or ch.isdecimal() for ch in name)
    if not 1 <= len(name) <= MAX_NAME or not allowed or not any(ch.isalnum() for ch in name):
        raise AccountError(f"Име има од 1 до {MAX_NAME} знакова: слова, цифре, размак, тачка и цртица.")
    if name_key(name) == name_key(SHARED_NAME):
        raise AccountError(f"Име „{SHARED_NAME}“ означава пријаву са WEB_STAFF_TOKEN: изаберите друго.")
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Лозинка је прекратка: мора имати бар {MIN_PASSWORD} знакова.")
    return password


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=_MAXMEM)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def password_matches(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from (compared in constant time); False for a bad hash."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        given = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=_MAXMEM,
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(given, expected)


def load(path: Path) -> dict[str, Account]:
    """The accounts by `name_key`; none when the file does not exist. Raises OSError, AccountError (damaged)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        found = [
            Account(item["name"], datetime.fromisoformat(item["added"]), item["password"])
            for item in json.loads(text)["accounts"]
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise AccountError(f"Датотека налога {path} је оштећена ({error}).") from error
    return {account.key: account for account in found}


def save(path: Path, accounts: dict[str, Account]) -> None:
    items = [
        {"name": a.name, "added": a.added.isoformat(), "password": a.password_hash}
        for a in sorted(accounts.values(), key=lambda a: a.key)
    ]
    content = json.dumps({"accounts": items}, ensure_ascii=False, indent=1).encode() + b"\n"
    # As bot/files.py `replace_file` (a hidden partial file renamed over the old one), but the partial file
    # is made 0600 before a byte is written: the hashes are never readable by others, not even for a moment.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a partial file left by a crash may have had another mode
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    partial.replace(path)


def add(path: Path, name: str, password: str) -> Account:
    name = check_name(name)
    accounts = load(path)
    _refuse_existing(accounts, name)
    account = Account(name, datetime.now(UTC), hash_password(check_password(password)))
    save(path, accounts | {account.key: account})
    return account


def remove(path: Path, name: str) -> Account:
    accounts = load(path)
    account = _existing(accounts, name)
    del accounts[account.key]
    save(path, accounts)
    return account


def change_password(path: Path, name: str, password: str) -> Account:
    accounts = load(path)
    old = _existing(accounts, name)
    account = Account(old.name, old.added, hash_password(check_password(password)))
    save(path, accounts | {account.key: account})
    return account


def _refuse_existing(accounts: dict[str, Account], name: str) -> None:
    if (old := accounts.get(name_key(name))) is not None:
        raise AccountError(f"Налог „{old.name}“ већ постоји (нова лозинка: python -m bot staff password ИМЕ).")


def _existing(accounts: dict[str, Account], name: str) -> Account:
    account = accounts.get(name_key(name))
    if account is None:
        raise AccountError(f"Налог „{name.strip()}“ не постоји (списак: python -m bot staff list).")
    return account


def command(
    data_dir: Path, action: str, name: str | None, stdin: TextIO, out: TextIO, err: TextIO,
    ask: Callable[[str], str] = getpass.getpass,
) -> int:  # fmt: skip
    """`python -m bot staff ACTION [NAME]`; the exit code."""
    path = accounts_path(data_dir)
    try:
        if action == "list":
            accounts = sorted(load(path).values(), key=lambda a: a.key)
            for account in accounts:
                print(f"{account.name}\tдодат {account.added.astimezone():%Y-%m-%d %H:%M}", file=out)
            if not accounts:
                print(f"Нема налога у {path}. Додајте их: python -m bot staff add ИМЕ", file=err)
            return EXIT_OK
        if name is None:
            print(f"staff {action}: недостаје име налога.", file=err)
            return EXIT_USAGE
        if action == "remove":
            print(f"Налог „{remove(path, name).name}“ је уклоњен.", file=out)
            return EXIT_OK
        if action == "add":
            _refuse_existing(load(path), check_name(name))  # before the password is asked, not after
            print(f"Налог „{add(path, name, _new_password(stdin, ask)).name}“ је додат.", file=out)
            return EXIT_OK
        if action == "password":
            _existing(load(path), name)
            print(
                f"Лозинка налога „{change_password(path, name, _new_password(stdin, ask)).name}“ је промењена.",
                file=out,
            )
            return EXIT_OK
    except AccountError as error:
        print(error, file=err)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"Датотека налога {path} није доступна: {error}", file=err)
        return EXIT_PROBLEMS
    except (KeyboardInterrupt, EOFError):  # Ctrl-C or Ctrl-D at the password prompt
        print("\nПрекинуто: ништа није промењено.", file=err)
        return EXIT_PROBLEMS
    print(f"staff: непозната радња {action!r} (add, list, remove, password).", file=err)
    return EXIT_USAGE


def _new_password(stdin: TextIO, ask: Callable[[str], str]) -> str:
    """Asked twice without echo on a terminal; else one line of stdin, or two that must be the same."""
    if stdin.isatty():
        first = check_password(ask("Нова лозинка (бар 10 знакова): "))
        second = ask("Поновите лозинку: ")
    else:
        first = check_password(stdin.readline().rstrip("\r\n"))
        line = stdin.readline()
        second = line.rstrip("\r\n") if line else first
    if not hmac.compare_digest(first.encode(), second.encode()):
        raise AccountError("Лозинке се не поклапају: ништа није промењено.")
    return first


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
