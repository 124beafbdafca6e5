"""What the README and docs/ promise, each claim checked by running the code (the words are quoted).

A claim is checked by what the code does, not by finding its sentence: moving
or rewording the text must not break a test, and a test must fail when the
behaviour goes.  Where the text states what the code defines (the question
sets' sizes; the settings table, in tests/unit/test_settings.py), the test
reads the text and compares it with what the code computes, so the two cannot
drift apart.  Claims about Telegram
(`/mreze`, logs without names or question texts) are in
tests/e2e/test_telegram_e2e.py, beside the running bot they need.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.loader import PROJECT_ROOT
from bot.questionsets import CORPUS, HELDOUT, HELDOUT_2, TUNING, VALIDATION, load_cases
from bot.report import write_text
from bot.storage.database import Database, database_path
from bot.storage.questions import QuestionStore, read_feedback
from tests.support.bot_process import bot_environment
from tests.support.models import SHARED_MODELS, seed_data_dir, trained

UNDERSTANDING_PAGE = PROJECT_ROOT / "docs" / "understanding.md"


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT_ROOT, env=env or bot_environment({}), input=stdin,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def with_data_dir(data_dir: Path) -> dict[str, str]:
    """The bot's environment with its own data folder, holding the run's trained model when there is one."""
    shared = os.environ.get(SHARED_MODELS)
    if shared:
        seed_data_dir(data_dir, trained(Path(shared)))
    return bot_environment({"BOT_DATA_DIR": str(data_dir)})


def text_of(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_version_prints_the_version_of_the_package() -> None:
    """README: `python -m bot --version`."""
    declared = re.search(r'__version__ = "([^"]+)"', (PROJECT_ROOT / "bot" / "__init__.py").read_text())
    assert declared
    shown = run("-m", "bot", "--version")
    assert shown.returncode == 0 and shown.stdout.split() == ["python", "-m", "bot", declared.group(1)]


# -- what the pages say the code defines -------------------------------------------------------------------------


def test_the_question_set_counts_are_those_of_the_files() -> None:
    """docs/understanding.md, the table of labelled sets: each set's questions as its file holds them, and every
    set the code grades (bot/questionsets.py) has its row."""
    tables = re.findall(r"^(\|.*\|\n)(?:\|[-|]+\|\n)((?:\|.*\|\n)+)", text_of(UNDERSTANDING_PAGE), re.MULTILINE)
    head, body = next((head, body) for head, body in tables if "| questions |" in head)
    header = [cell.strip() for cell in head.strip().strip("|").split("|")]
    questions = header.index("questions")
    shown: dict[str, str] = {}
    for row in body.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        path = re.search(r"`(tests/[^`]+\.yaml)`", row)
        if path and len(cells) == len(header):
            shown[path.group(1)] = cells[questions]
    for path in (CORPUS, HELDOUT, HELDOUT_2, VALIDATION, *TUNING):
        singles, dialogues = load_cases(path)
        turns = sum(len(dialogue) for dialogue in dialogues)
        expected = f"{len(singles) + turns} ({len(singles)} + {turns} dialogue turns)" if turns else f"{len(singles)}"
        name = path.relative_to(PROJECT_ROOT).as_posix()
        assert shown.get(name) == expected, f"docs/understanding.md: {name} has {expected} questions"


# -- behaviour the pages promise ----------------------------------------------------------------------------------


def test_the_console_chat_does_not_record(tmp_path: Path) -> None:
    """README and docs/operations.md: "The console chat does not record: it is where staff try things out." """
    chatted = run("-m", "bot", "chat", env=with_data_dir(tmp_path), stdin="koliko je sati u tokiju\nШта је НАЛЕД?\n")
    assert chatted.returncode == 0 and "Nažalost" in chatted.stdout and "НАЛЕД" in chatted.stdout
    assert not database_path(tmp_path).exists()
    assert {path.name for path in tmp_path.iterdir()} <= {"models"}  # the trained model's cache, no questions


def test_the_engine_does_not_import_python_telegram_bot() -> None:
    """README ("bot/engine.py … no Telegram import") and docs/understanding.md ("it does not import
    python-telegram-bot"): answering in the console and on the web needs none."""
    probe = (
        "import sys\n"
        "from bot.engine import Engine\n"
        "from bot.loader import load_bundle\n"
        "Engine(load_bundle()[0]).answer('Шта је НАЛЕД?')\n"
        "print(sorted(m for m in sys.modules if m == 'telegram' or m.startswith('telegram.')))\n"
    )
    result = run("-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ratings_are_listed_worst_first(tmp_path: Path) -> None:
    """docs/operations.md: `report` "lists the 👍/👎 ratings citizens gave answers, worst first"."""
    database = Database(tmp_path)
    store = QuestionStore(database)
    database.open()
    votes = [("about", "skgo", True)] * 3 + [("seat", "naled", False)] * 2 + [("joined", "ecad", False)] * 3
    votes += [("joined", "ecad", True)] * 4 + [("size", "avec", False)]
    for intent, network, helpful in votes:
        store.record_feedback(intent, network, helpful)
    database.close()
    out = io.StringIO()
    write_text(out, [], read_feedback(tmp_path, days=1), days=1)
    listed = [line.strip() for line in out.getvalue().splitlines() if re.fullmatch(r"\s*\S+ / \S+: \d+ / \d+", line)]
    assert listed == ["joined / ecad: 4 / 3", "seat / naled: 0 / 2", "size / avec: 0 / 1", "about / skgo: 3 / 0"]
