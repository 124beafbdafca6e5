"""The staff guide (docs/uputstvo-za-osoblje.md), followed literally on a copy of the files.

The new-network example is taken from the guide as written, may use only the
fields the guide's tables name, must pass `validate`, and must be answered in
both scripts by the very `python -m bot ask` commands the guide shows.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.loader import PROJECT_ROOT
from tests.staff_files import copy_real_files

GUIDE = PROJECT_ROOT / "docs" / "uputstvo-za-osoblje.md"


def section(title: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def fenced(text: str, language: str) -> list[str]:
    """The contents of the fenced blocks of `text` marked with `language` ("" for unmarked ones)."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    return [body for marked, body in blocks if marked == language]


def table_names(text: str) -> set[str]:
    """The backticked names in the first column of the tables of `text`."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return copy_real_files(tmp_path)


def bot(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "BOT_KNOWLEDGE": str(root / "knowledge" / "networks.yaml")}
    env["BOT_INTENTS"] = str(root / "intents")
    command = [sys.executable, "-m", "bot", *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)


def test_a_seventh_network_added_as_the_guide_says_is_answered_in_both_scripts(copy: Path) -> None:
    (block,) = fenced(section("Како додати целу мрежу"), "yaml")
    (entry,) = yaml.safe_load(block)
    fields = table_names(section("Поља мреже"))
    assert set(entry) <= fields, f"the example uses fields the guide does not name: {set(entry) - fields}"
    assert set(entry["facts"]) <= table_names(section("Поља мреже")), "facts the guide does not name"
    networks = copy / "knowledge" / "networks.yaml"
    networks.write_text(networks.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + block, encoding="utf-8")

    checked = bot("validate", str(copy), root=copy)
    assert checked.returncode == 0, checked.stdout
    assert "упозорење" not in checked.stdout
    (commands,) = fenced(section("Провера"), "sh")
    asks = [shlex.split(line)[4:] for line in commands.splitlines() if line.startswith("python -m bot ask")]
    assert len(asks) == 2
    cyrillic = bot("ask", *asks[0], root=copy)
    assert cyrillic.returncode == 0 and "измишљена мрежа" in cyrillic.stdout
    latin = bot("ask", *asks[1], root=copy)
    assert "2030" in latin.stdout and "Niš" in latin.stdout and "Ниш" not in latin.stdout


def test_the_guide_shows_a_real_validate_message(copy: Path) -> None:
    """The guide's sample is the `webiste` typo in ECAD's website; the line number may drift as files grow."""
    shown = next(line for line in fenced(section("Провера"), "") if "грешка" in line).strip()
    networks = copy / "knowledge" / "networks.yaml"
    lines = networks.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip() == "website: https://www.ecad.net")
    lines[number - 1] = lines[number - 1].replace("website", "webiste")
    networks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = bot("validate", str(copy), root=copy).stdout
    expected = re.sub(r"^(\S+?):\d+:", rf"\1:{number}:", shown.removesuffix("…").rstrip())
    assert any(real.replace(f"{copy}/", "").startswith(expected) for real in output.splitlines()), output


def test_every_message_the_guide_explains_is_one_the_bot_gives() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "bot").rglob("*.py"))
    fragments = re.findall(r"^\| „([^“]+)“ \|", section("Честе поруке и шта значе"), re.MULTILINE)
    assert len(fragments) >= 8
    for fragment in fragments:
        assert fragment in source, f"the guide explains „{fragment}“, which the bot never says"
