"""What differs between two sets of the staff's files, field by field: `naled: seat`, `networks.yml: joined +3 примера`.

A *field* is the smallest part of the files that `versions` names and `undo`
puts back: in `knowledge/networks.yaml` one field of one network (a fact counts
as a field: `naled: size`), or a whole network that was added or removed; in
`intents/` one intent's examples in one file, one answer in `responses.yml`, one
setting (`language.yml: stopwords`), or a whole file.  FileData are compared as the
data they hold, so spaces and comments are no change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.intents import intent_files
from bot.yamlsource import load_plain

KNOWLEDGE = "knowledge"  # the key of knowledge/networks.yaml among the files; intents files are keyed by name
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
ITEM_KEYS = {"networks": "id", "nlu": "intent", "taught": "question"}  # lists whose items are told apart by this key

Step = str | tuple[str, str]  # a key of a mapping, or (key, value) choosing the item of a list
FileData = dict[str, Any]  # file key -> the data it holds


@dataclass(frozen=True)
class Field:
    """One field: the file it is in and the path to it there (an empty path is the whole file)."""

    file: str
    path: tuple[Step, ...]

    def ancestors(self) -> Iterator[Field]:
        for end in range(len(self.path)):
            yield Field(self.file, self.path[:end])


class Unreadable(Exception):
    """A file that is not YAML at all: fields cannot be compared."""


def read_files(knowledge: Path, intents: Path) -> FileData:
    """The data of knowledge/networks.yaml and every intents file; raises Unreadable."""
    found: FileData = {}
    for key, path in [(KNOWLEDGE, knowledge), *((path.name, path) for path in intent_files(intents))]:
        try:
            found[key] = load_plain(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise Unreadable(f"{path}: {error}") from error
    return found


def value_at(files: FileData, field: Field) -> Any:
    """What the files hold at `field`, or MISSING."""
    node = files.get(field.file, MISSING)
    for step in field.path:
        node = _child(node, step)
    return node


def exists(files: FileData, field: Field) -> bool:
    """The field's file and every part above the field are there (the field itself may be missing)."""
    return all(value_at(files, above) is not MISSING for above in field.ancestors())


def differences(old: FileData, new: FileData) -> list[Field]:
    """The fields whose data differ, in the order of the files."""
    names = [KNOWLEDGE] if KNOWLEDGE in old or KNOWLEDGE in new else []
    names += sorted((set(old) | set(new)) - {KNOWLEDGE})
    found: list[Field] = []
    for name in names:
        found += [Field(name, path) for path in _differ(name, old.get(name, MISSING), new.get(name, MISSING), ())]
    return found


def _differ(name: str, old: Any, new: Any, path: tuple[Step, ...]) -> list[tuple[Step, ...]]:
    if old == new:
        return []
    old_children, new_children = _children(name, old, path), _children(name, new, path)
    if old_children is None or new_children is None:
        return [path]
    found: list[tuple[Step, ...]] = []
    for step in [*new_children, *(step for step in old_children if step not in new_children)]:
        found += _differ(name, old_children.get(step, MISSING), new_children.get(step, MISSING), (*path, step))
    return found or [path]  # the same parts in another order


def _children(name: str, node: Any, path: tuple[Step, ...]) -> dict[Step, Any] | None:
    """The parts `node` is compared by, or None when it is compared whole."""
    if not _split(name, path):
        return None
    if isinstance(node, dict):
        return {str(key): value for key, value in node.items()}
    item_key = ITEM_KEYS.get(str(path[-1])) if path else None
    if item_key and isinstance(node, list) and all(isinstance(item, dict) and item_key in item for item in node):
        children: dict[Step, Any] = {(item_key, str(item[item_key])): item for item in node}
        return children if len(children) == len(node) else None
    return None


def _split(name: str, path: tuple[Step, ...]) -> bool:
    if len(path) <= 1:
        return True  # a file, and its top-level parts (`networks`, `nlu`, `responses`, `language`)
    return name == KNOWLEDGE and path[0] == "networks" and (len(path) == 2 or (len(path) == 3 and path[2] == "facts"))


def _child(node: Any, step: Step) -> Any:
    if isinstance(step, tuple):
        key, wanted = step
        if isinstance(node, list):
            return next((item for item in node if isinstance(item, dict) and str(item.get(key)) == wanted), MISSING)
        return MISSING
    return node.get(step, MISSING) if isinstance(node, dict) else MISSING


def label(field: Field, old: Any, new: Any) -> tuple[str, str]:
    """(what it belongs to, what changed), in Serbian: ("naled", "seat"), ("", "нова мрежа eurocities")."""
    path = field.path
    if field.file == KNOWLEDGE:
        if len(path) >= 2 and path[0] == "networks" and isinstance(path[1], tuple):
            network = path[1][1]
            if len(path) == 2:
                return ("", f"нова мрежа {network}") if old is MISSING else ("", f"обрисана мрежа {network}")
            return network, str(path[-1])
        return "networks.yaml", _name(path[-1]) if path else "цела датотека"
    if not path:
        return "", f"{'нова' if old is MISSING else 'обрисана'} датотека intents/{field.file}"
    if len(path) == 2 and isinstance(path[1], tuple):
        return field.file, f"{path[1][1]}{_examples_delta(old, new)}"
    return field.file, _name(path[-1])


def _name(step: Step) -> str:
    return step[1] if isinstance(step, tuple) else step


def _examples_delta(old: Any, new: Any) -> str:
    before, after = _examples(old), _examples(new)
    added, removed = sum((after - before).values()), sum((before - after).values())
    said = [f"+{_count(added)}"] if added else []
    said += [f"−{_count(removed)}"] if removed else []
    return f" {', '.join(said)}" if said else ""


def _examples(item: Any) -> Counter[str]:
    text = item.get("examples") if isinstance(item, dict) else None
    lines = text.splitlines() if isinstance(text, str) else []
    return Counter(line.strip()[2:].strip() for line in lines if line.strip().startswith("- "))


def _count(number: int) -> str:
    return f"{number} пример" if number % 10 == 1 and number % 100 != 11 else f"{number} примера"


def describe(labels: Sequence[tuple[str, str]]) -> str:
    """„naled: seat, size; нова мрежа eurocities; networks.yml: founded −1 пример“."""
    grouped: dict[str, list[str]] = {}
    parts: list[str | tuple[str, list[str]]] = []
    for owner, what in labels:
        if not owner:
            parts.append(what)
        elif owner in grouped:
            grouped[owner].append(what)
        else:
            grouped[owner] = [what]
            parts.append((owner, grouped[owner]))
    return "; ".join(part if isinstance(part, str) else f"{part[0]}: {', '.join(part[1])}" for part in parts)
