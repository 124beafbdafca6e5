"""What the README and docs/ promise, each claim checked by running the code (the words are quoted).

A claim is checked by what the code does, not by finding its sentence: moving
or rewording the text must not break a test, and a test must fail when the
behaviour goes.  Where the text states what the code defines (the commands, the
intents, the JSON fields, the question sets' sizes; the settings table, in
tests/unit/test_settings.py), the test reads the text and compares it with what
the code computes, so the two cannot drift apart.  Claims about Telegram
(`/mreze`, logs without names or question texts) are in
tests/e2e/test_telegram_e2e.py, beside the running bot they need.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.intents import ENGINE_INTENTS
from bot.loader import PROJECT_ROOT, load_bundle
from bot.questionsets import CORPUS, HELDOUT, HELDOUT_2, TUNING, VALIDATION, load_cases
from bot.report import write_text
from bot.storage.database import Database, database_path
from bot.storage.questions import QuestionStore, read_feedback
from bot.teaching import TAUGHT_FILE
from tests.support.bot_process import bot_environment
from tests.support.models import SHARED_MODELS, seed_data_dir, trained

README = PROJECT_ROOT / "README.md"
DOCS = sorted((PROJECT_ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
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


def paragraph(text: str, start: str) -> str:
    """The paragraph that begins with `start`."""
    at = text.index(start)
    end = text.find("\n\n", at)
    return text[at : end if end >= 0 else len(text)]


def code_names(text: str) -> list[str]:
    """The `backticked` names in `text`, leaving out what stands in parentheses (explanations)."""
    return re.findall(r"`([^`]+)`", re.sub(r"\([^()]*\)", "", text))


def test_version_prints_the_version_of_the_package() -> None:
    """README: `python -m bot --version`."""
    declared = re.search(r'__version__ = "([^"]+)"', (PROJECT_ROOT / "bot" / "__init__.py").read_text())
    assert declared
    shown = run("-m", "bot", "--version")
    assert shown.returncode == 0 and shown.stdout.split() == ["python", "-m", "bot", declared.group(1)]


# -- every command the pages show exists ---------------------------------------------------------------------------

SHELL_STOPS = ("&&", "||", "|", ";", "<", ">")
COMMAND_LINE = re.compile(r"(?:python -m bot|\./mreze)(?=\s|$)(.*)")


def shown_commands() -> list[tuple[str, str]]:
    """(page:line, the words after `python -m bot` or `./mreze`) for each such line in the pages' code blocks."""
    shown = []
    for page in PAGES:
        inside = False
        for number, line in enumerate(text_of(page).splitlines(), start=1):
            if line.startswith("```"):
                inside = not inside
            found = COMMAND_LINE.search(line) if inside else None
            if found:
                shown.append((f"{page.name}:{number}", found.group(1)))
    return shown


def words_of(shown: str) -> list[str]:
    """The arguments of one shown command, up to a comment or the shell's `&&`, `|`, `<`, `>`."""
    words = []
    for word in shlex.split(shown, comments=True):
        if word.startswith(SHELL_STOPS):
            break
        words.append(word)
    return words


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def is_placeholder(word: str) -> bool:
    """`VERSION`, `DIR`, `N`, `NAME`, `COMMAND`, `…`: what the reader fills in."""
    return word == "…" or re.fullmatch(r"[A-Z][A-Z_]*", word) is not None


@pytest.mark.parametrize(("page", "words"), shown_commands(), ids=[where for where, _ in shown_commands()])
def test_every_command_the_pages_show_exists(page: str, words: str) -> None:
    """README's usage block (and any command in a code block of docs/): the parser of bot/cli.py knows each
    command and option shown, and the line as written (placeholders filled in) parses."""
    tokens = words_of(words)
    if tokens and tokens[0] in ("COMMAND", "…"):
        return  # `./mreze COMMAND`: any of them
    parser = build_parser()
    written = [token.strip("[]") for token in tokens]
    command = next((w for w in written[:1] if not w.startswith("-")), None)
    known = subcommands(parser)
    assert command is None or command in known, f"{page} shows `python -m bot {command}`, which is gone"
    options = (known[command] if command else parser)._option_string_actions
    for option in (w for w in written if w.startswith("-")):
        assert option in options, f"{page} shows `{option}` for `python -m bot {command or ''}`, which is gone"
    filled = ["1" if is_placeholder(w) else w for w in written]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as errors:
        try:
            parser.parse_args(filled)
        except SystemExit as stop:  # `--version` and `--help` stop with 0; a usage error with 2
            assert stop.code == 0, f"{page}: `python -m bot {words.strip()}` does not parse: {errors.getvalue()}"


def test_every_command_of_the_parser_is_shown() -> None:
    """README: the usage block lists the commands (`run` in the Telegram section): none is left unmentioned."""
    in_readme = [words for where, words in shown_commands() if where.startswith(f"{README.name}:")]
    shown = {words_of(words)[0] for words in in_readme if words_of(words)}
    missing = set(subcommands(build_parser())) - shown
    assert not missing, f"commands the README does not show: {sorted(missing)}"


# -- what the pages say the code defines -------------------------------------------------------------------------


def test_the_json_fields_are_the_ones_ask_prints(tmp_path: Path) -> None:
    """README: "JSON fields: `question`, `intent`, … `suggestions` (questions to offer; empty unless `intent`
    is `clarify`)", and `clarify` "asks back with up to three suggested questions"."""
    fields = code_names(paragraph(text_of(README), "JSON fields:"))
    asked = run("-m", "bot", "ask", "--json", env=with_data_dir(tmp_path), stdin="Шта је НАЛЕД?\nkada je osnovana\n")
    assert asked.returncode == 0, asked.stderr
    answers = [json.loads(line) for line in asked.stdout.splitlines()]
    assert [answer["intent"] for answer in answers] == ["about", "clarify"]
    for answer in answers:
        assert list(answer) == fields
        assert bool(answer["suggestions"]) == (answer["intent"] == "clarify")
    assert 1 <= len(answers[1]["suggestions"]) <= 3


def test_the_intents_listed_are_the_ones_the_bot_knows() -> None:
    """README: "Intents: `joined`, … `thanks`; the engine itself answers `clarify` … and `fallback` …"."""
    listed = paragraph(text_of(README), "Intents:")
    from_examples, _, from_engine = listed.partition("the engine itself answers")
    names = load_bundle()[0].intents.intent_names
    assert sorted(code_names(from_examples)) == sorted(set(names) - set(ENGINE_INTENTS))
    assert sorted(code_names(from_engine)) == sorted(ENGINE_INTENTS)


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


# -- the pages point at what exists -------------------------------------------------------------------------------

# Files the bot makes when it runs, which a page may name before they exist.
MADE_AT_RUN_TIME = {f"intents/{TAUGHT_FILE}"}
REPOSITORY_PATH = re.compile(r"`(?:\./)?((?:bot|tests|bench|docs|tools|intents|knowledge|\.ci)/[^`\s]*)`")


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = "".join(c for c in heading.lower() if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", text_of(page), flags=re.MULTILINE | re.DOTALL)
    return {anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_link_and_path_on_the_page_exists(page: Path) -> None:
    """The README links docs/performance.md, reliability.md, understanding.md, operations.md, matching.md and the
    staff guide; those pages link each other.  Every link, its #section, and every repository path in
    backticks must exist, so a moved file or a renamed section is caught here."""
    text = text_of(page)
    for link in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", link):
            continue
        target, _, section = link.partition("#")
        linked = (page.parent / target) if target else page
        assert linked.exists(), f"{page.name} links {link}, which does not exist"
        if section:
            assert section in anchors(linked), f"{page.name} links {link}: no such section"
    for named in REPOSITORY_PATH.findall(text):
        path, _, test = named.partition("::")  # `tests/unit/test_x.py::test_y`: the file, and the test in it
        if path not in MADE_AT_RUN_TIME:
            assert (PROJECT_ROOT / path).exists(), f"{page.name} names {path}, which does not exist"
        if test:
            defined = re.findall(r"^def (test_\w+)", (PROJECT_ROOT / path).read_text(encoding="utf-8"), re.MULTILINE)
            assert test in defined, f"{page.name} names {named}, which is not a test of that file"


def test_the_readme_links_every_page_of_docs() -> None:
    linked = set(re.findall(r"\]\((docs/[^)#\s]+)", text_of(README)))
    assert linked >= {f"docs/{page.name}" for page in DOCS}


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
