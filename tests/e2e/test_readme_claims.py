"""What the README promises, each claim checked against the real thing (the README's words are quoted).

Claims about Telegram (`/mreze`, logs without names or question texts) are in
tests/test_telegram_e2e.py, beside the running bot they need.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from bot.loader import PROJECT_ROOT
from bot.report import write_text
from bot.storage.database import Database, database_path
from bot.storage.questions import QuestionStore, read_feedback
from tests.support.bot_process import bot_environment
from tests.support.labelled import CORPUS, HELDOUT, VALIDATION, all_cases, load_cases

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT_ROOT, env=env or bot_environment({}), input=stdin,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_version_prints_the_version_of_the_package() -> None:
    """README: `python -m bot --version`."""
    assert "python -m bot --version" in README
    declared = re.search(r'__version__ = "([^"]+)"', (PROJECT_ROOT / "bot" / "__init__.py").read_text())
    assert declared
    shown = run("-m", "bot", "--version")
    assert shown.returncode == 0 and shown.stdout.split() == ["python", "-m", "bot", declared.group(1)]


def test_the_console_chat_does_not_record(tmp_path: Path) -> None:
    """README: "The console chat does not record: it is where staff try things out." """
    assert "console chat does not record" in README
    env = bot_environment({"BOT_DATA_DIR": str(tmp_path)})
    chatted = run("-m", "bot", "chat", env=env, stdin="koliko je sati u tokiju\nШта је НАЛЕД?\n")
    assert chatted.returncode == 0 and "Nažalost" in chatted.stdout and "НАЛЕД" in chatted.stdout
    assert not database_path(tmp_path).exists()
    assert {path.name for path in tmp_path.iterdir()} <= {"models"}  # the trained model's cache, no questions


def test_the_engine_does_not_import_python_telegram_bot() -> None:
    """README: "… does not import python-telegram-bot." (answering in the console and on the web needs none)"""
    assert "not import python-telegram-bot" in README
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
    """README: `report` "lists the 👍/👎 ratings citizens gave answers, worst first"."""
    assert "worst first" in README
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


def test_the_readme_counts_of_the_question_sets_are_true() -> None:
    singles, dialogues = load_cases(CORPUS)
    turns = sum(len(dialogue) for dialogue in dialogues)
    assert f"{len(singles)} questions and {turns} dialogue turns" in README
    validation_count, heldout_count = (len(all_cases(path)) for path in (VALIDATION, HELDOUT))
    assert f"{validation_count} questions used only to choose the thresholds" in README
    assert f"{heldout_count} held-out questions" in README
