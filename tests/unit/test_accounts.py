"""Named staff accounts (bot/accounts.py) and `python -m bot staff`, through `bot.cli.main` with stdin."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from bot import accounts
from bot.accounts import AccountError, accounts_path, hash_password, password_matches
from bot.cli import main

PASSWORD = "коректна-коњска-батерија"


def test_a_hash_matches_its_password_only_and_keeps_its_parameters() -> None:
    stored = hash_password(PASSWORD)
    scheme, n, r, p, salt, key = stored.split("$")
    assert len(salt) == 24  # 16 bytes
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert PASSWORD not in stored and len(key) == 88  # 64 bytes
    assert password_matches(PASSWORD, stored)
    assert not password_matches(PASSWORD + "x", stored) and not password_matches("", stored)
    assert hash_password(PASSWORD) != stored  # a new salt each time
    assert password_matches("other-password", hash_password("other-password", n=2**10))  # as stored, not fixed
    assert not password_matches(PASSWORD, "scrypt$16384$8$1$not base64$") and not password_matches(PASSWORD, "")


def test_the_file_is_private_and_holds_no_password(tmp_path: Path) -> None:
    path = accounts_path(tmp_path)
    accounts.add(path, "Ана Петровић", PASSWORD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert PASSWORD not in path.read_text(encoding="utf-8")
    assert [item["name"] for item in json.loads(path.read_text(encoding="utf-8"))["accounts"]] == ["Ана Петровић"]
    path.chmod(0o644)
    accounts.change_password(path, "ана петровић", "a-new-password")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left


def test_names_are_compared_case_insensitively_after_nfc_and_stored_as_typed(tmp_path: Path) -> None:
    path = accounts_path(tmp_path)
    accounts.add(path, "  Jöran ONeil-Smith. ", PASSWORD)
    with pytest.raises(AccountError, match="већ постоји"):
        accounts.add(path, "JO\u0308RAN ONEIL-SMITH.", PASSWORD)  # decomposed Ö, other case
    assert [a.name for a in accounts.load(path).values()] == ["Jöran ONeil-Smith."]
    for bad in ("", " ", "x" * 41, "ana@city", "a/b", "...", "ЗАЈЕДНИЧКА лозинка"):
        with pytest.raises(AccountError):
            accounts.add(path, bad, PASSWORD)
    accounts.add(path, "Јован 2", PASSWORD)
    assert accounts.remove(path, "ЈОВАН 2").name == "Јован 2"
    with pytest.raises(AccountError, match="не постоји"):
        accounts.remove(path, "Јован 2")


def staff(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
          stdin: str = "") -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setenv("BOT_DATA_DIR", str(data_dir))
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["staff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_staff_command_adds_lists_changes_and_removes_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = staff(tmp_path, monkeypatch, capsys, "add", "Ана Петровић", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0 and "додат" in out
    code, _, err = staff(tmp_path, monkeypatch, capsys, "add", "ана петровић", stdin=f"{PASSWORD}\n")
    assert code == 1 and "већ постоји" in err
    assert staff(tmp_path, monkeypatch, capsys, "add", "Марко", stdin="one-line-password\n")[0] == 0  # one line

    code, out, _ = staff(tmp_path, monkeypatch, capsys, "list")
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()] == ["Ана Петровић", "Марко"]
    assert "scrypt" not in out and "$" not in out

    code, _, err = staff(tmp_path, monkeypatch, capsys, "password", "АНА ПЕТРОВИЋ", stdin="кратка\nкратка\n")
    assert code == 1 and "прекратка" in err
    code, _, err = staff(tmp_path, monkeypatch, capsys, "password", "Ана Петровић", stdin=f"{PASSWORD}1\n{PASSWORD}2\n")
    assert code == 1 and "не поклапају" in err
    stored = accounts.load(accounts_path(tmp_path))
    assert password_matches(PASSWORD, stored["ана петровић"].password_hash)  # unchanged after the refusals
    assert staff(tmp_path, monkeypatch, capsys, "password", "ана петровић", stdin="a-new-password\n")[0] == 0
    assert password_matches("a-new-password", accounts.load(accounts_path(tmp_path))["ана петровић"].password_hash)

    code, _, err = staff(tmp_path, monkeypatch, capsys, "password", "Нико", stdin="a-new-password\n")
    assert code == 1 and "не постоји" in err
    assert staff(tmp_path, monkeypatch, capsys, "remove", "марко")[0] == 0
    assert staff(tmp_path, monkeypatch, capsys, "remove")[0] == 2  # no name
    assert list(accounts.load(accounts_path(tmp_path))) == ["ана петровић"]


def test_a_short_password_or_a_bad_name_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = staff(tmp_path, monkeypatch, capsys, "add", "Ана", stdin="123456789\n123456789\n")
    assert code == 1 and "бар 10 знакова" in err
    code, _, err = staff(tmp_path, monkeypatch, capsys, "add", "ana@grad", stdin=f"{PASSWORD}\n")
    assert code == 1 and "слова, цифре" in err
    assert not accounts_path(tmp_path).exists()
    code, _, err = staff(tmp_path, monkeypatch, capsys, "list")
    assert code == 0 and "Нема налога" in err


def test_on_a_terminal_the_password_is_asked_twice_without_echo(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return PASSWORD

    out, err = io.StringIO(), io.StringIO()
    assert accounts.command(tmp_path, "add", "Ана", Terminal("ignored\n"), out, err, ask) == 0
    assert len(asked) == 2 and "Ана" in accounts.load(accounts_path(tmp_path))["ана"].name
