"""The import structure of bot/: every import runs down, never back up, and the channels stand apart.

Each package (bot/understanding/, bot/tg/, …) counts as one place, as each module
outside them does; an import anywhere in a module (at its top, under TYPE_CHECKING
or inside a function) is an arrow.  The arrows must form no circle: there is an
order of places from the ground up in which every import points down.  Beside
that, the two channels (bot/tg/, bot/web/) import neither each other nor anything
that imports them: only the runner and the command line put them together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
CHANNELS = {"bot.tg", "bot.web"}
ABOVE_THE_CHANNELS = {"bot.runner", "bot.cli", "bot.__main__"}


def _place(module: str) -> str:
    """`bot.understanding.rules.facts` → `bot.understanding`; `bot.engine` → `bot.engine`."""
    return ".".join(module.split(".")[:2])


def _module_of(path: Path) -> str:
    relative = path.relative_to(BOT.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    found = set()
    package = _module_of(path) if path.name == "__init__.py" else _module_of(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package down
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names if base == "bot"}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {module for module in found if module == "bot" or module.startswith("bot.")}


def _arrows() -> dict[str, set[str]]:
    arrows: dict[str, set[str]] = defaultdict(set)
    for path in BOT.rglob("*.py"):
        source = _place(_module_of(path))
        for module in _imports(path):
            target = _place(module)
            if target not in (source, "bot"):
                arrows[source].add(target)
    return arrows


def test_every_import_runs_down_no_circle_of_places() -> None:
    arrows = _arrows()
    done: set[str] = set()
    path: list[str] = []

    def visit(place: str) -> None:
        if place in done:
            return
        assert place not in path, "a circle of imports: " + " → ".join([*path[path.index(place) :], place])
        path.append(place)
        for target in sorted(arrows.get(place, ())):
            visit(target)
        path.pop()
        done.add(place)

    for place in sorted(arrows):
        visit(place)


def test_the_channels_stand_apart_and_only_the_runner_and_the_cli_join_them() -> None:
    for source, targets in _arrows().items():
        for channel in CHANNELS & targets:
            assert source in ABOVE_THE_CHANNELS, f"{source} imports {channel}"


def test_the_check_sees_the_imports_it_judges() -> None:
    """The arrows it checks are real ones (a check that read nothing would pass anything)."""
    arrows = _arrows()
    assert {"bot.conversation", "bot.engine"} <= arrows["bot.web"]
    assert "bot.tg" in arrows["bot.cli"] and "bot.web" in arrows["bot.runner"]
    assert "bot.thresholds" in arrows["bot.lexicon"] and "bot.lexicon" in arrows["bot.understanding"]
