"""Read YAML files staff edit, keeping the line and column of every value.

PyYAML's plain `safe_load` forgets where a value came from, so an error in a
knowledge file could only say *what* is wrong, not *where*.  This module
composes the node tree instead and turns it into ordinary dicts and lists that
also remember positions, so later checks can point at `file:line:column`.
Duplicate keys, which PyYAML silently overwrites, are reported as problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

# PyYAML is imported when a file is read, not with this module: the positions and problems below are in every
# answer's start-up path (a kept engine, bot/started.py), the parser only where files are read.


@cache
def _loader() -> type:
    import yaml

    try:  # libyaml is much faster and ships in PyYAML's wheels; fall back if absent
        return yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on the PyYAML build
        return yaml.SafeLoader


def load_plain(text: str) -> Any:
    """Plain values of a YAML text, with libyaml where PyYAML has it; raises yaml.YAMLError."""
    import yaml

    return yaml.load(text, Loader=_loader())


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


_FIELD_LINE = re.compile(r"^(\s*)([a-z_]+):(\s|$)")


def _position(file: str, node: yaml.Node) -> Position:
    mark = node.start_mark
    return Position(file, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str, lines: list[str], fields: frozenset[str]):
        self.file = file
        self.lines = lines
        self.fields = fields
        self.problems: list[Problem] = []
        from yaml.constructor import SafeConstructor

        self._scalars = SafeConstructor()

    def build(self, node: yaml.Node) -> Any:
        import yaml

        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items = YamlList(self.build(child) for child in node.value)
            items.position = _position(self.file, node)
            items.item_positions = [_position(self.file, child) for child in node.value]
            return items
        return self._scalars.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode) -> YamlMap:
        import yaml

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
            if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                self._swallowed_fields(key, key_pos, value_node)
        return result

    def _swallowed_fields(self, key: str, key_pos: Position, node: yaml.ScalarNode) -> None:
        """A field indented as far as the text above it becomes part of that text: say so, at its line."""
        end = node.end_mark.line + (1 if node.end_mark.column else 0)  # the end mark may be the next line's start
        for index in range(node.start_mark.line + 1, min(end, len(self.lines))):
            found = _FIELD_LINE.match(self.lines[index])
            if found and found.group(2) in self.fields:
                field = found.group(2)
                self.problems.append(
                    Problem(
                        Position(self.file, index + 1, len(found.group(1)) + 1),
                        f"ред почиње са `{field}:`, али је увучен као наставак текста поља `{key}` изнад, па је "
                        f"постао део тог текста: ако је `{field}` ново поље, помакните га улево да почиње у "
                        f"истој колони као `{key}:` (колона {key_pos.column})",
                    )
                )


def display_path(path: Path) -> str:
    """The path as staff should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


SAVE_AS_UTF8 = (
    "сачувајте је поново као UTF-8: у Notepad-у File → Save As → Encoding: UTF-8; у LibreOffice-у "
    "File → Save As, „Edit filter settings“ → Character set: Unicode (UTF-8); у VS Code-у кликните на "
    "кодирање доле десно → Save with Encoding → UTF-8. Ако је ћирилица већ постала упитници (?), вратите "
    "исправну верзију (python -m bot versions, па python -m bot restore ВЕРЗИЈА)"
)


def load_yaml(path: Path, fields: frozenset[str] = frozenset()) -> tuple[Any, list[Problem]]:
    """Parse one YAML file into located values; `fields` are the key names the file may use (for hints).

    Returns the document (None for an empty file) and the problems found.  A
    syntax error yields no document and one problem at the error's position.
    """
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(Position(name, 1, 1), f"датотека не може да се прочита ({error.strerror})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = f"датотека није у UTF-8 кодирању (први погрешан знак је у овом реду); {SAVE_AS_UTF8}"
        return None, [Problem(Position(name, line, 1), message)]
    return parse_yaml(text.removeprefix("\ufeff"), name, fields)


def parse_yaml(text: str, name: str, fields: frozenset[str] = frozenset()) -> tuple[Any, list[Problem]]:
    """Like `load_yaml`, for text already in memory."""
    import yaml

    lines = text.splitlines()
    tabs = _tab_problems(lines, name)
    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as error:
        return None, tabs or [explain_syntax_error(error, lines, name, fields)]
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = (
            "YAML синтакса: у реду је невидљив контролни знак (често остане после копирања из Word-а или PDF-а): "
            f"обришите ред и откуцајте га поново ({error.reason})"
        )
        return None, [Problem(Position(name, line, 1), message)]
    except yaml.YAMLError as error:  # pragma: no cover - PyYAML marks nearly everything
        return None, [Problem(Position(name, 1, 1), f"YAML синтакса: облик датотеке није исправан ({error})")]
    if node is None:
        return None, tabs
    builder = _Builder(name, lines, fields)
    return builder.build(node), tabs + builder.problems


def _tab_problems(lines: list[str], name: str) -> list[Problem]:
    """A tab in a line's indentation: YAML allows only spaces there, and its own message points elsewhere."""
    problems = []
    for number, line in enumerate(lines, 1):
        indentation = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indentation:
            column = indentation.index("\t") + 1
            problems.append(
                Problem(
                    Position(name, number, column),
                    "таб-знак на почетку реда: YAML дозвољава само размаке; обришите таб и увуците ред размацима",
                )
            )
    return problems


# What PyYAML's English says, in a sentence staff can act on. The English stays, in parentheses.
_SYNTAX = {
    "found a tab character": "таб-знак: за увлачење користите само размаке",
    "found character that cannot start any token": (
        "вредност почиње знаком који YAML не дозвољава на почетку (нпр. @ или `): ставите вредност под наводнике"
    ),
    "mapping values are not allowed": (
        "двотачка и размак усред вредности: YAML то чита као почетак новог поља. Ако је двотачка део текста, "
        'ставите цео текст под наводнике ("…"); ако је ово ново поље, ставите га у нови ред'
    ),
    "could not find expected ':'": "после назива поља недостаје двотачка, или ред није поравнат са осталима",
    "found unexpected end of stream": "наводници нису затворени: текст почиње наводником, а крај му недостаје",
    "did not find expected comment or line break": (
        "после затвореног наводника у истом реду стоји још текста: цео текст мора бити унутар наводника"
    ),
    "found unknown escape character": (
        'у тексту под наводницима "…" је коса црта \\ испред знака који YAML не зна: уклоните \\ или ставите '
        "текст под једноструке наводнике '…'"
    ),
    "found undefined alias": "вредност почиње звездицом *, која у YAML-у нешто значи: ставите вредност под наводнике",
    "did not find expected alphabetic or numeric character": (
        "вредност почиње знаком * или &, који у YAML-у нешто значе: ставите вредност под наводнике"
    ),
    "block sequence entries are not allowed": (
        "ставка листе („- “) стоји где се не очекује: ставке пишите у новим редовима, испод поља, увучене"
    ),
    "did not find expected key": (
        "ред није поравнат са редовима изнад: поља истог нивоа морају почињати у истој колони (увлачење)"
    ),
    "expected <block end>": "ред није поравнат са редовима изнад: поља истог нивоа морају почињати у истој колони",
    "did not find expected '-' indicator": "ставке листе морају почињати цртицом „- “ у истој колони",
    "did not find expected ',' or ']'": "листа у угластим заградама [ … ] није затворена, или ставкама фали зарез",
    "did not find expected ',' or '}'": (
        "витичаста заграда { није затворена; ако је део текста, ставите текст под наводнике"
    ),
    "did not find expected node content": "после двотачке или цртице нема вредности тамо где се очекује",
}
_KEY_WITHOUT_COLON = re.compile(r"^(\s*)([a-z_]+)\s+\S")
_KEY_LINE = re.compile(r"^\s*(- )?[a-z_]+:(\s|$)")
_ABOVE_FIELD = re.compile(r"^(\s*)(- )?([a-z_]+):")


def explain_syntax_error(error: yaml.MarkedYAMLError, lines: list[str], name: str, fields: frozenset[str]) -> Problem:
    """One problem in Serbian at the line that needs the fix (which is not always where PyYAML noticed)."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    english = " ".join(str(error.problem or error.context or "").split())
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    missing = _key_without_colon(lines, line, fields)
    if missing is not None:
        number, key = missing
        column = lines[number - 1].index(key) + 1
        sentence = f"после назива поља `{key}` недостаје двотачка: напишите `{key}: …`"
        return Problem(Position(name, number, column), f"YAML синтакса: {sentence} ({english})")
    deeper = _field_too_deep(lines, line, fields) if "mapping values" in english else None
    if deeper is not None:
        field, above, column = deeper
        sentence = (
            f"ред почиње са `{field}:`, али је увучен дубље од `{above}:` изнад, па YAML мисли да је наставак "
            f"текста: помакните `{field}:` улево, у колону {column}, где почиње `{above}:`"
        )
        column = lines[line - 1].index(field) + 1
    elif any(mark in text for mark in "„“”") and "mapping values" in english:
        sentence = (
            "YAML не зна за наводнике „…“ (за њега су то обична слова), па га двотачка у тексту збуњује: "
            'ставите цео текст под обичне наводнике "…", а „…“ унутра могу да остану'
        )
    elif text.count('"') > 2 and ('"' in text.partition(":")[2]):
        sentence = (
            'у тексту под наводницима "…" је још један наводник ", па YAML мисли да се текст ту завршава: '
            'унутар текста пишите „…“ (или \\")'
        )
    else:
        sentence = next((s for start, s in _SYNTAX.items() if english.startswith(start)), "облик није исправан")
    context = error.context_mark
    if context and context.line + 1 != line and context.line + 1 <= len(lines):  # noticed late, e.g. a bracket
        sentence += f"; грешка је вероватно у реду {context.line + 1}"
    return Problem(Position(name, line, column), f"YAML синтакса: {sentence} ({english})")


def _field_too_deep(lines: list[str], line: int, fields: frozenset[str]) -> tuple[str, str, int] | None:
    """A known field indented deeper than the field above it: (the field, the one above, that one's column)."""
    found = _FIELD_LINE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if found is None or found.group(2) not in fields:
        return None
    indentation = len(found.group(1))
    for number in range(line - 1, 0, -1):
        above = _ABOVE_FIELD.match(lines[number - 1])
        if above and len(above.group(1)) < indentation:
            if not lines[number - 1][above.end() :].strip():
                return None  # `seat:` with nothing after it: the field below it is rightly deeper
            return found.group(2), above.group(3), len(above.group(1)) + len(above.group(2) or "") + 1
    return None


def _key_without_colon(lines: list[str], line: int, fields: frozenset[str]) -> tuple[int, str] | None:
    """A known field name written without its colon, in this line or the few above it (PyYAML notices later)."""
    for number in range(line, max(0, line - 12), -1):
        text = lines[number - 1] if number <= len(lines) else ""
        found = _KEY_WITHOUT_COLON.match(text)
        if found and found.group(2) in fields and not text[found.end(2) :].startswith(":"):
            return number, found.group(2)
        if number != line and _KEY_LINE.match(text):
            return None  # a proper `key:` line: the mistake is not above it
    return None
