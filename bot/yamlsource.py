"""Read YAML files staff edit, keeping the line and column of every value.

PyYAML's plain `safe_load` forgets where a value came from, so an error in a
knowledge file could only say *what* is wrong, not *where*.  This module
composes the node tree instead and turns it into ordinary dicts and lists that
also remember positions, so later checks can point at `file:line:column`.
Duplicate keys, which PyYAML silently overwrites, are reported as problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

try:  # libyaml is much faster and ships in PyYAML's wheels; fall back if absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@dataclass(frozen=True, order=True)
class Position:
    """Where something stands in a file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a file staff edit."""

    position: Position
    message: str
    severity: str = "error"  # "error" stops a load; "warning" is only shown

    def __str__(self) -> str:
        kind = "грешка" if self.severity == "error" else "упозорење"
        return f"{self.position}: {kind}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ProblemsFound(Exception):
    """Raised when files cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.position)
        super().__init__("\n".join(str(p) for p in self.problems))


class YamlMap(dict[str, Any]):
    """A mapping that remembers where it, each key and each value stand."""

    position: Position
    key_positions: dict[str, Position]
    value_positions: dict[str, Position]

    def where(self, key: str) -> Position:
        """Position of the value of `key`, or of the mapping when it is absent."""
        return self.value_positions.get(key, self.position)


class YamlList(list[Any]):
    """A sequence that remembers where it and each item stand."""

    position: Position
    item_positions: list[Position]

    def where(self, index: int) -> Position:
        return self.item_positions[index]


def _position(file: str, node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(file, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items = YamlList(self.build(child) for child in node.value)
            items.position = _position(self.file, node)
            items.item_positions = [_position(self.file, child) for child in node.value]
            return items
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode) -> YamlMap:
        result = YamlMap()
        result.position = _position(self.file, node)
        result.key_positions = {}
        result.value_positions = {}
        for key_node, value_node in node.value:
            key_pos = _position(self.file, key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(key_pos, "кључ мора бити обичан текст"))
                continue
            key = str(key_node.value)
            if key in result:
                first = result.key_positions[key].line
                self.problems.append(Problem(key_pos, f"кључ `{key}` се понавља (први пут у реду {first})"))
                continue
            result[key] = self.build(value_node)
            result.key_positions[key] = key_pos
            result.value_positions[key] = _position(self.file, value_node)
        return result


def display_path(path: Path) -> str:
    """The path as staff should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file into located values.

    Returns the document (None for an empty file) and the problems found.  A
    syntax error yields no document and one problem at the error's position.
    """
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        return None, [Problem(Position(name, 1, 1), f"датотека не може да се прочита ({error.strerror})")]
    except UnicodeDecodeError as error:
        return None, [Problem(Position(name, 1, 1), f"датотека није у UTF-8 кодирању ({error.reason})")]
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> tuple[Any, list[Problem]]:
    """Like `load_yaml`, for text already in memory."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or "неисправан YAML"
        hint = next((h for start, h in _SYNTAX_HINTS.items() if what.startswith(start)), "")
        context = error.context_mark
        if context and context.line + 1 != line:  # the parser notices late, e.g. an unclosed bracket
            hint += f"; грешка је вероватно у реду {context.line + 1}"
        return None, [Problem(Position(name, line, column), f"YAML синтакса: {what}{hint}")]
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks nearly everything
        return None, [Problem(Position(name, 1, 1), f"YAML синтакса: {error}")]
    if node is None:
        return None, []
    builder = _Builder(name)
    return builder.build(node), builder.problems


_SYNTAX_HINTS = {
    "mapping values are not allowed": (' (двотачка у тексту: ставите цео текст под наводнике, нпр. "текст: наставак")'),
    "found character '\\t' that cannot start any token": (" (таб-знак: за увлачење користите размаке)"),
    "could not find expected ':'": " (недостаје двотачка после кључа или је увлачење погрешно)",
}
