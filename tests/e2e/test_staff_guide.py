"""The staff guide (docs/uputstvo-za-osoblje.md), followed literally on a copy of the files.

Its commands run as written, through `./mreze`, from a shell that has no
virtualenv activated and knows only /usr/bin:/bin.  The new-network example is
taken from the guide, may use only the fields the guide's tables name, must
pass `validate`, and must be answered in both scripts.  The table of messages
and the messages the validation code can give are kept in step both ways.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.cli import build_parser
from bot.loader import PROJECT_ROOT
from bot.reloader import LiveKnowledge
from bot.versions import Versions
from tests.support.staff_files import copy_real_files, edit

GUIDE = PROJECT_ROOT / "docs" / "uputstvo-za-osoblje.md"
# The modules whose messages `validate` prints.
VALIDATION_MODULES = (
    "yamlsource.py",
    "checks.py",
    "knowledge.py",
    "intents/reading.py",
    "intents/alternatives.py",
    "intents/checks.py",
    "loader.py",
)
HEX = re.compile(r"\b[0-9a-f]{10}\b")


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def section(title: str) -> str:
    text = guide()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def fenced(text: str, language: str) -> list[str]:
    """The contents of the fenced blocks of `text` marked with `language` ("" for unmarked ones)."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    return [body for marked, body in blocks if marked == language]


def commands(title: str, start: str = "./mreze") -> list[str]:
    return [line for block in fenced(section(title), "sh") for line in block.splitlines() if line.startswith(start)]


def table_names(text: str) -> set[str]:
    """The backticked names in the first column of the tables of `text`."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return copy_real_files(tmp_path)


def shell(line: str, root: Path) -> subprocess.CompletedProcess[str]:
    """Run one line of the guide as staff would type it: in the project folder, nothing activated."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "BOT_KNOWLEDGE": str(root / "knowledge" / "networks.yaml"),
        "BOT_INTENTS": str(root / "intents"),
        "BOT_DATA_DIR": str(root / "data"),
    }
    return subprocess.run(["sh", "-c", line], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_seventh_network_added_as_the_guide_says_is_answered_in_both_scripts(copy: Path) -> None:
    (block,) = fenced(section("Како додати целу мрежу"), "yaml")
    (entry,) = yaml.safe_load(block)
    fields = table_names(section("Поља мреже"))
    assert set(entry) <= fields, f"the example uses fields the guide does not name: {set(entry) - fields}"
    assert set(entry["facts"]) <= table_names(section("Поља мреже")), "facts the guide does not name"
    networks = copy / "knowledge" / "networks.yaml"
    networks.write_text(networks.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + block, encoding="utf-8")

    validate, ask_cyrillic, ask_latin = commands("Провера")
    checked = shell(validate, copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "упозорење" not in checked.stdout
    cyrillic = shell(ask_cyrillic, copy)
    assert cyrillic.returncode == 0 and "измишљена мрежа" in cyrillic.stdout, cyrillic.stderr
    latin = shell(ask_latin, copy)
    assert "2030" in latin.stdout and "Niš" in latin.stdout and "Ниш" not in latin.stdout


def test_the_guide_shows_real_validate_output(copy: Path) -> None:
    """The guide's error sample is the `webiste` typo in ECAD's website (the line number may drift as files
    grow); its success sample is what a clean check ends with, version and numbers aside."""
    samples = [block for block in fenced(section("Провера"), "")]
    shown_error = next(line for block in samples for line in block.splitlines() if "грешка" in line).strip()
    shown_success = next(block for block in samples if "У реду" in block).strip().splitlines()
    clean = shell("./mreze validate", copy).stdout.replace(f"{copy}/", "").strip().splitlines()
    assert clean[0] == shown_success[0]
    assert re.sub(r"\d+", "N", HEX.sub("V", clean[1])) == re.sub(r"\d+", "N", HEX.sub("V", shown_success[1]))

    networks = copy / "knowledge" / "networks.yaml"
    lines = networks.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip() == "website: https://www.ecad.net")
    lines[number - 1] = lines[number - 1].replace("website", "webiste")
    networks.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = shell("./mreze validate", copy).stdout
    expected = re.sub(r"^(\S+?):\d+:", rf"\1:{number}:", shown_error.removesuffix("…").rstrip())
    assert any(real.replace(f"{copy}/", "").startswith(expected) for real in output.splitlines()), output


def test_undo_works_as_the_guide_shows(copy: Path) -> None:
    networks = copy / "knowledge" / "networks.yaml"
    versions = Versions(copy / "data" / "versions")
    first = LiveKnowledge(networks, copy / "intents", None, versions).version  # the bot kept its first load
    edit(networks, "Седиште НАЛЕД-а је у Београду", "Седиште НАЛЕД-а је у Новом Саду")
    LiveKnowledge(networks, copy / "intents", None, versions)

    (list_command,) = commands("Поништавање измене", "./mreze versions")
    listed = shell(list_command, copy)
    assert listed.returncode == 0, listed.stderr
    shown = fenced(section("Поништавање измене"), "")[0].splitlines()
    real = listed.stdout.splitlines()
    top = next(index for index, line in enumerate(real) if HEX.match(line))
    for guide_line, real_line in zip(shown, real[top : top + 3], strict=True):  # same form, other names
        assert _shape(guide_line) == _shape(real_line), (guide_line, real_line)

    (restore_command,) = commands("Поништавање измене", "./mreze restore")
    guide_prefix = restore_command.split()[-1]
    assert len(guide_prefix) == 5  # "довољно је првих пет знакова"
    restored = shell(restore_command.replace(guide_prefix, first[:5]), copy)
    assert restored.returncode == 0 and first in restored.stdout, restored.stdout + restored.stderr
    assert "Новом Саду" not in networks.read_text(encoding="utf-8")


def _shape(line: str) -> str:
    """A `versions` line with what differs between runs blanked: versions, numbers, network names."""
    line = HEX.sub("V", line)
    line = re.sub(r"\d+", "N", line)
    return re.sub(r"измењено [a-z-]+", "измењено X", line)


def test_every_server_command_in_the_guide_is_a_real_command() -> None:
    server = re.findall(r"docker exec nis-bot python -m bot ([^`\n]*)", guide())
    assert {line.split()[0] for line in server if line.strip()} >= {"validate", "versions", "restore", "report"}
    for line in server:
        words = shlex.split(line.split(">")[0])
        if words:
            build_parser().parse_args(words)  # exits (fails the test) on an unknown command or option


def guide_fragments() -> list[str]:
    return re.findall(r"^\| „([^“]+)“ \|", section("Све поруке провере и шта значе"), re.MULTILINE)


def validation_messages() -> Iterator[tuple[str, list[str]]]:
    """(where, the literal pieces) of every message the validation modules can give: each text passed to
    `problems.error`/`.warning` or `Problem(…)`, each YAML syntax sentence, with names of constants resolved."""
    for module in VALIDATION_MODULES:
        tree = ast.parse((PROJECT_ROOT / "bot" / module).read_text(encoding="utf-8"))
        constants = _assignments(tree.body)
        for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
            local = _assignments(list(ast.walk(function)))
            for node in ast.walk(function):
                message = _message_of(node)
                if message is not None and function.name not in ("error", "warning"):
                    yield f"{module}:{node.lineno}", _pieces(message, local | constants)
                if isinstance(node, ast.Assign | ast.AugAssign) and _target_names(node) == ["sentence"]:
                    yield f"{module}:{node.lineno}", _pieces(node.value, local | constants)
        syntax_table = constants.get("_SYNTAX")
        if isinstance(syntax_table, ast.Dict):
            for value in syntax_table.values:
                yield f"{module}:{value.lineno}", _pieces(value, constants)


def _message_of(node: ast.AST) -> ast.expr | None:
    if not isinstance(node, ast.Call) or len(node.args) < 2:
        return None
    function = node.func
    if isinstance(function, ast.Attribute) and function.attr in ("error", "warning") and len(node.args) == 2:
        return node.args[1]
    if isinstance(function, ast.Name) and function.id == "Problem":
        return node.args[1]
    return None


def _target_names(node: ast.Assign | ast.AugAssign) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [target.id for target in targets if isinstance(target, ast.Name)]


def _assignments(nodes: list[ast.AST] | list[ast.stmt]) -> dict[str, ast.expr]:
    found = {}
    for node in nodes:
        if isinstance(node, ast.Assign):
            for name in _target_names(node):
                found[name] = node.value
    return found


def _pieces(node: ast.expr, names: dict[str, ast.expr], depth: int = 0) -> list[str]:
    """The literal text in a message expression; what is only known when it runs is left out."""
    if depth > 5:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [piece for value in node.values for piece in _pieces(value, names, depth + 1)]
    if isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Name) and node.value.id.isupper():
        return _pieces(node.value, names, depth + 1)  # a module constant such as NOT_A_URL
    if isinstance(node, ast.BinOp):
        return _pieces(node.left, names, depth + 1) + _pieces(node.right, names, depth + 1)
    if isinstance(node, ast.Call):  # e.g. next(<a sentence from the table>, "the default sentence")
        return [piece for argument in node.args for piece in _pieces(argument, names, depth + 1)]
    if isinstance(node, ast.IfExp):
        return _pieces(node.body, names, depth + 1) + _pieces(node.orelse, names, depth + 1)
    if isinstance(node, ast.Name) and node.id in names:
        return _pieces(names[node.id], names, depth + 1)
    return []


def test_the_message_finder_sees_the_messages_it_must() -> None:
    """A guard on the test below: the finder reaches messages made in each way the code makes them."""
    texts = [" ".join(pieces) for _, pieces in validation_messages()]
    for known in ("непознато поље", "UTF-8: у Notepad-у", "нема извор", "још један наводник", "таб-знак: за"):
        assert any(known in text for text in texts), known
    assert len(texts) >= 60


def test_the_guide_explains_every_message_validate_gives_and_no_other() -> None:
    fragments = guide_fragments()
    messages = list(validation_messages())
    unexplained = [
        f"{where}: {' … '.join(pieces)}"
        for where, pieces in messages
        if pieces and not any(fragment in piece for fragment in fragments for piece in pieces)
    ]
    assert not unexplained, "messages the guide's table does not explain:\n" + "\n".join(unexplained)
    never_said = [f for f in fragments if not any(f in piece for _, pieces in messages for piece in pieces)]
    assert not never_said, f"the guide explains messages the bot never gives: {never_said}"
    assert not [where for where, pieces in messages if not pieces], "a message with no literal text to explain"
