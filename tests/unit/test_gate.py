"""The /staff gate with named accounts (bot/web/gate.py): who signed in, the shared token, the back-off per name
that does not lock out the right person, the accounts file read again when it changes.  The token-only checks
and the back-off per address are in tests/unit/test_web_parts.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import accounts
from bot.accounts import SHARED_NAME, accounts_path
from bot.web.gate import CHECK_SECONDS, MAX_WAIT_SECONDS, WRONG_TRIES_PER_SECOND, StaffGate

TOKEN = "the-right-token-0123"
PASSWORD = "коректна-коњска-батерија"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = accounts_path(tmp_path)
    accounts.add(path, "Ана Петровић", PASSWORD)
    return path


def test_a_name_and_its_password_sign_in_as_that_account(path: Path) -> None:
    gate = StaffGate(TOKEN, Clock(), path)
    assert gate.verify("ана петровић", PASSWORD) == "Ана Петровић"  # the canonical name, whatever the case
    assert gate.verify("Ана Петровић", PASSWORD + "!") is None
    assert gate.verify("Нико", PASSWORD) is None and gate.verify("Ана Петровић", TOKEN) is None
    session = gate.open_session("Ана Петровић")
    assert gate.session_name(session) == "Ана Петровић" and gate.valid(session)
    assert gate.session_name(None) is None and gate.session_name("made-up") is None


def test_the_token_alone_is_the_shared_sign_in(path: Path) -> None:
    gate = StaffGate(TOKEN, Clock(), path)
    assert gate.shared_sign_in and gate.verify("", TOKEN) == SHARED_NAME and gate.verify("  ", TOKEN) == SHARED_NAME
    assert gate.verify("", PASSWORD) is None and gate.verify("", "") is None
    assert gate.session_name(gate.open_session(gate.verify("", TOKEN) or "")) == SHARED_NAME
    without = StaffGate(None, Clock(), path)  # accounts only: no shared sign-in
    assert not without.shared_sign_in and without.verify("", "") is None and without.verify("", TOKEN) is None
    assert without.verify("Ана Петровић", PASSWORD) == "Ана Петровић"


def test_the_check_runs_in_a_thread(path: Path) -> None:
    gate = StaffGate(TOKEN, Clock(), path)
    assert asyncio.run(asyncio.to_thread(gate.verify, "Ана Петровић", PASSWORD)) == "Ана Петровић"


def test_an_account_added_removed_or_changed_on_disk_counts_at_once(path: Path) -> None:
    gate = StaffGate(None, Clock(), path)
    assert gate.verify("Марко", "marko-password") is None
    accounts.add(path, "Марко", "marko-password")  # `python -m bot staff add` while the server runs
    assert gate.verify("марко", "marko-password") == "Марко"
    marko, ana = gate.open_session("Марко"), gate.open_session("Ана Петровић")
    accounts.change_password(path, "Ана Петровић", "a-new-password")
    assert gate.verify("Ана Петровић", PASSWORD) is None and gate.verify("Ана Петровић", "a-new-password")
    assert gate.session_name(ana) is None and gate.session_name(marko) == "Марко"  # a new password ends sessions
    accounts.remove(path, "Марко")
    assert gate.verify("Марко", "marko-password") is None and gate.session_name(marko) is None
    path.write_text("{not json", encoding="utf-8")  # damaged: no named sign-in, no crash
    assert gate.verify("Ана Петровић", "a-new-password") is None
    path.unlink()
    assert gate.verify("Ана Петровић", "a-new-password") is None


def test_guessing_one_name_slows_that_name_but_not_its_owner_at_a_trusted_address(path: Path) -> None:
    clock = Clock()
    gate = StaffGate(TOKEN, clock, path)
    gate.forgive("192.0.2.7", "Ана Петровић")  # Ana signed in from her office before
    for number in range(12):  # an attacker, a new address for each guess, one guess a second
        address = f"2001:db8::{number:x}"
        while gate.start_try(address, "ана петровић") > 0:
            clock.now += 1
        assert gate.verify("ана петровић", f"guess-{number:04}") is None
        gate.wrong_try(address, "ана петровић")
    assert gate.wait_before_try("2001:db8::ff", "Ана Петровић") > 1  # the name waits, from any new address
    assert gate.wait_before_try("2001:db8::ff", "Марко") == 0  # another name does not
    assert gate.wait_before_try("2001:db8::ff", "") == 0  # nor the shared token (per address only)
    assert gate.start_try("192.0.2.7", "Ана Петровић") == 0  # Ana herself: not held
    assert gate.verify("Ана Петровић", PASSWORD) == "Ана Петровић"
    gate.forgive("192.0.2.7", "Ана Петровић")
    assert gate.wait_before_try("2001:db8::ff", "Ана Петровић") > 1  # the guesses still count against the name
    clock.now += MAX_WAIT_SECONDS
    assert gate.wait_before_try("2001:db8::ff", "Ана Петровић") == 0


def test_a_try_being_checked_holds_its_address_and_name_until_it_ends(path: Path) -> None:
    clock = Clock()
    gate = StaffGate(TOKEN, clock, path)
    assert gate.start_try("192.0.2.1", "Ана Петровић") == 0
    assert gate.start_try("192.0.2.1", "Марко") > 0  # a burst from one address: one checked at a time
    assert gate.start_try("192.0.2.2", "ана петровић") > 0  # and one at a time at one name
    assert gate.wrong_try("192.0.2.1", "Ана Петровић") == (1, 1.0)
    clock.now += 1
    assert gate.start_try("192.0.2.2", "ана петровић") == 0
    gate.forgive("192.0.2.2", "ана петровић")
    assert gate.start_try("192.0.2.2", "Марко") == 0
    clock.now += CHECK_SECONDS  # never ended (its handler failed): it no longer holds
    assert gate.start_try("192.0.2.2", "Марко") == 0


def test_tries_checked_at_once_from_many_addresses_are_bounded_together(path: Path) -> None:
    clock = Clock()
    gate = StaffGate(TOKEN, clock, path)
    gate.forgive("192.0.2.7")
    started = [
        gate.start_try(f"2001:db8::{number:x}", f"name {number}") for number in range(3 * WRONG_TRIES_PER_SECOND)
    ]
    assert started.count(0.0) == WRONG_TRIES_PER_SECOND  # the rest wait their turn, unchecked
    assert gate.start_try("192.0.2.7", "Ана Петровић") == 0  # staff who signed in before are not held


def test_an_account_holder_guessing_a_colleague_is_slowed_like_anyone(path: Path) -> None:
    """Signing in rightly as oneself between guesses at a colleague's password must not reset the back-off
    on the colleague's name (the attacker's finding: 24 checked guesses in 31 s)."""
    accounts.add(path, "Бобан", "друга-лозинка-која-важи")
    clock = Clock()
    gate = StaffGate(TOKEN, clock, path)
    checked = 0
    for _ in range(10):
        clock.now += 1.1
        if gate.start_try("10.0.0.7", "Ана Петровић") == 0:  # her own, rightly
            gate.forgive("10.0.0.7", "Ана Петровић")
        if gate.start_try("10.0.0.7", "Бобан") == 0:  # a guess at his
            checked += 1
            gate.wrong_try("10.0.0.7", "Бобан")
    assert checked <= 4  # 1 s, 2 s, 4 s, 8 s apart: not one a second
    clock.now += MAX_WAIT_SECONDS + 1
    assert gate.start_try("10.9.9.9", "Бобан") == 0  # his name is slowed, not locked


def test_sessions_are_bounded_and_the_oldest_ends_first(path: Path) -> None:
    from bot.web.gate import MAX_SESSIONS

    gate = StaffGate(TOKEN, Clock(), path)
    first = gate.open_session("Ана Петровић")
    for _ in range(MAX_SESSIONS):
        gate.open_session(SHARED_NAME)
    assert not gate.valid(first) and len(gate._sessions) == MAX_SESSIONS
