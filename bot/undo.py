"""`undo`: take back the change one kept version made, field by field, onto the files as they are now.

The change is what differs between the version and the kept version before it
(bot/fields.py).  Each of its fields must still be as the version left it: a
field a later change touched again is refused, naming that change.  Only the
lines of the changed fields are rewritten, with the text they had before, so
comments, blank lines and the layout of everything else stay as they are; the
lines are found with `ruamel.yaml`'s round-trip positions.  The result is read
back and must differ from the files on disk in exactly those fields, else
nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RoundTripError

from bot.fields import (
    KNOWLEDGE,
    MISSING,
    Field,
    FileData,
    Step,
    differences,
    exists,
    label,
    read_files,
    value_at,
)
from bot.versions import Snapshot, snapshot_files
from bot.yamlsource import load_plain


@dataclass(frozen=True)
class Undone:
    """What `undo` would write: the fields it takes back, described, and each file's new text (None: remove it)."""

    fields: tuple[Field, ...]
    description: str
    contents: dict[Path, bytes | None]


class FieldChangedLater(Exception):
    """A field of the change was changed again later: by a kept version, or (None) in the files on disk."""

    def __init__(self, what: str, by: Snapshot | None):
        super().__init__(what)
        self.what, self.by = what, by


class CannotSplice(Exception):
    """The fields could not be written back without touching anything else."""


def take_back(before: Snapshot, version: Snapshot, later: Sequence[Snapshot], knowledge: Path, intents: Path) -> Undone:
    """The files on disk with the change `version` made to `before` taken back; `later` are the kept versions
    after it, oldest first. Raises FieldChangedLater, CannotSplice, or fields.Unreadable for files that are not YAML."""
    old, new = snapshot_files(before), snapshot_files(version)
    current = read_files(knowledge, intents)
    fields = differences(old, new)
    for field in fields:
        if not exists(current, field) or value_at(current, field) != value_at(new, field):
            raise FieldChangedLater(_name(field, old, new), _changed_by(field, new, later))
    paths = {name: knowledge if name == KNOWLEDGE else intents / name for name in {f.file for f in fields}}
    olds = {name: before.knowledge if name == KNOWLEDGE else before.intents_dir / name for name in paths}
    contents: dict[Path, bytes | None] = {}
    result = dict(current)
    for name, path in paths.items():
        mine = [field for field in fields if field.file == name]
        if not mine[0].path:  # a whole intents file added or removed
            contents[path] = olds[name].read_bytes() if name in old else None
            result.pop(name, None)
            if name in old:
                result[name] = old[name]
            continue
        text = path.read_text(encoding="utf-8")
        previous = olds[name].read_text(encoding="utf-8")
        for field in mine:
            text = _splice(text, previous, field.path)
        contents[path] = text.encode()
        result[name] = _parse(text)
    _verify(fields, old, current, result)
    return Undone(tuple(fields), "; ".join(_name(field, old, new) for field in fields), contents)


def _name(field: Field, old: FileData, new: FileData) -> str:
    owner, what = label(field, value_at(old, field), value_at(new, field))
    return f"{owner}: {what}" if owner else what


def _changed_by(field: Field, new: FileData, later: Sequence[Snapshot]) -> Snapshot | None:
    for snapshot in later:
        files = snapshot_files(snapshot)
        if not exists(files, field) or value_at(files, field) != value_at(new, field):
            return snapshot
    return None


def _verify(fields: list[Field], old: FileData, current: FileData, result: FileData) -> None:
    if any(value_at(result, field) != value_at(old, field) for field in fields):
        raise CannotSplice("a field did not come back as it was")
    if any(field not in fields for field in differences(current, result)):
        raise CannotSplice("another field changed too")


def _parse(text: str) -> Any:
    try:
        return load_plain(text)
    except yaml.YAMLError as error:
        raise CannotSplice(str(error)) from error


def _splice(text: str, previous: str, path: tuple[Step, ...]) -> str:
    """`text` with the lines of `path` as they are in `previous` (or without them, when it has none)."""
    lines, old_lines = text.splitlines(keepends=True), previous.splitlines(keepends=True)
    doc, old_doc = _round_trip(text), _round_trip(previous)
    here, there = _span(doc, path, lines), _span(old_doc, path, old_lines)
    if there is None:
        if here is None:
            return text
        start, end, _ = here
        if start > 0 and not lines[start - 1].strip() and (end == len(lines) or not lines[end].strip()):
            start -= 1  # one blank line stays between the neighbours, none at the end
        return "".join(lines[:start] + lines[end:])
    start, end, column = there
    block = [line if line.endswith("\n") else line + "\n" for line in old_lines[start:end]]
    if here is not None:
        at, until, now = here
        return "".join(lines[:at] + _shift(block, now - column) + lines[until:])
    at, now, after = _insertion(doc, old_doc, path, lines)
    beside = start - 1 if after else end  # the line that separated it from that neighbour
    if isinstance(path[-1], tuple) and 0 <= beside < len(old_lines) and not old_lines[beside].strip():
        block = ["\n", *block] if after else [*block, "\n"]  # list items (networks) apart as they were
    return "".join(lines[:at] + _shift(block, now - column) + lines[at:])


def _insertion(doc: Any, old_doc: Any, path: tuple[Step, ...], lines: list[str]) -> tuple[int, int, bool]:
    """Where a part that is missing goes: after the nearest part before it that is there (True), else before the
    first one (False); with the column of its neighbours."""
    parent = _node(doc, path[:-1])
    present = _steps(parent, path[-1])
    if not present:
        raise CannotSplice("nothing beside it to place it by")
    old_steps = _steps(_node(old_doc, path[:-1]), path[-1])
    earlier = [step for step in old_steps[: old_steps.index(path[-1])] if step in present]
    if earlier:
        span = _span(doc, (*path[:-1], earlier[-1]), lines)
        assert span is not None
        _, end, column = span
        return end, column, True
    span = _span(doc, (*path[:-1], present[0]), lines)
    assert span is not None
    return span[0], span[2], False


def _shift(block: list[str], by: int) -> list[str]:
    if by > 0:
        return [" " * by + line if line.strip() else line for line in block]
    if by < 0:
        return [line[min(-by, len(line) - len(line.lstrip(" "))) :] for line in block]
    return block


def _round_trip(text: str) -> Any:
    try:
        return YAML(typ="rt").load(text)
    except RoundTripError as error:
        raise CannotSplice(str(error)) from error


def _span(doc: Any, path: tuple[Step, ...], lines: list[str]) -> tuple[int, int, int] | None:
    """The lines [start, end) of the part at `path` (its trailing blank and comment lines left out), and the
    column it starts in; None when it is not there."""
    start = _start(doc, path)
    if start is None:
        return None
    line, column = start
    end = _end(doc, path, len(lines))
    while end > line + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return line, end, column


def _start(doc: Any, path: tuple[Step, ...]) -> tuple[int, int] | None:
    parent, step = _node(doc, path[:-1]), path[-1]
    if isinstance(step, tuple):
        index = _index(parent, step)
        return None if index is None else _line_column(parent.lc.item(index))
    return _line_column(parent.lc.key(step)) if step in _steps(parent, step) else None


def _line_column(position: Any) -> tuple[int, int]:
    line, column = position
    return int(line), int(column)


def _end(doc: Any, path: tuple[Step, ...], count: int) -> int:
    if not path:
        return count
    steps = _steps(_node(doc, path[:-1]), path[-1])
    position = steps.index(path[-1])
    if position + 1 < len(steps):
        following = _start(doc, (*path[:-1], steps[position + 1]))
        assert following is not None
        return following[0]
    return _end(doc, path[:-1], count)


def _node(doc: Any, path: tuple[Step, ...]) -> Any:
    node = doc
    for step in path:
        if isinstance(step, tuple):
            index = _index(node, step)
            node = MISSING if index is None else node[index]
        else:
            node = node.get(step, MISSING) if isinstance(node, dict) else MISSING
    return node


def _steps(parent: Any, like: Step) -> list[Step]:
    """The parts of `parent`, named the way `like` names one."""
    if isinstance(like, tuple):
        key = like[0]
        items = parent if isinstance(parent, list) else []
        return [(key, str(item.get(key))) for item in items if isinstance(item, dict)]
    return [str(key) for key in parent] if isinstance(parent, dict) else []


def _index(parent: Any, step: tuple[str, str]) -> int | None:
    if not isinstance(parent, list):
        return None
    key, wanted = step
    return next(
        (i for i, item in enumerate(parent) if isinstance(item, dict) and str(item.get(key)) == wanted),
        None,
    )
