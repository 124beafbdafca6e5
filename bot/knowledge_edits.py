"""A staff edit of one network in `knowledge/networks.yaml`, from the browser's form: its names, values and
facts, or a new network.  Written through ruamel.yaml's round trip (bot/roundtrip.py), so every comment,
the order of the networks and of their fields, and the other networks' text stay exactly as they were.

Texts are written as staff typed them (spaces tidied); a long text is folded
into lines of about `FOLD_AT` characters like the rest of the file.  A fact
left empty is removed: the bot then says honestly that it does not know, with
the link.  After writing, `field_at(line)` tells which field a validator's
line-numbered message is about, so the form can show it beside that field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString

from bot import roundtrip
from bot.drafts import Draft
from bot.loader import Bundle

TEXT_FIELDS = ("name", "website", "original_name", "english_name", "acronym")
VALUE_FIELDS = ("scope", "joined_year", "founded_year", "seat_city", "seat_country", "members")
NUMBER_FIELDS = ("joined_year", "founded_year", "members")
LIST_FIELDS = ("aliases", "former_names", "topics", "sources")  # one per line in the form
FOLD_AT = 76
MAX_ID, MAX_ITEMS, MAX_TEXT = 40, 100, 4000  # an id, the items of a list, a text: far above any real one


@dataclass
class NetworkEdit:
    """A staff edit of one network's fields and facts, as typed in the form, before it is written."""

    network_id: str
    fields: dict[str, str] = field(default_factory=dict)  # TEXT_FIELDS, VALUE_FIELDS, LIST_FIELDS: as typed
    facts: dict[str, tuple[str, str]] = field(default_factory=dict)  # fact key -> (text, source); empty: removed
    new: bool = False
    changed: list[str] = field(default_factory=list)  # filled by `apply`: the fields it changed
    lines: dict[str, int] = field(default_factory=dict)  # filled by `apply`: field -> its first line in the file
    end_line: int = 0  # filled by `apply`: the last line of this network's entry

    def problems(self, bundle: Bundle) -> list[str]:
        exists = self.network_id in bundle.knowledge.by_id
        if self.new and exists:
            return [f"Мрежа `{self.network_id}` већ постоји: изаберите други `id` или уредите њу."]
        if not self.new and not exists:
            return [f"Мреже `{self.network_id}` нема у knowledge/networks.yaml."]
        if len(self.network_id) > MAX_ID:
            return [f"`id` сме да има највише {MAX_ID} знакова."]
        for key, typed in self.fields.items():
            if key in LIST_FIELDS and len([line for line in typed.splitlines() if line.strip()]) > MAX_ITEMS:
                return [f"`{key}`: највише {MAX_ITEMS} ставки."]
            if len(typed) > MAX_TEXT:
                return [f"`{key}`: највише {MAX_TEXT} знакова."]
        if any(len(text) > MAX_TEXT or len(source) > MAX_TEXT for text, source in self.facts.values()):
            return [f"Текст или извор чињенице: највише {MAX_TEXT} знакова."]
        unknown = sorted(set(self.facts) - bundle.intents.fact_keys)
        return [
            f"Чињеница `{key}` не постоји (постоје: {', '.join(sorted(bundle.intents.fact_keys))})." for key in unknown
        ]

    def describe(self) -> str:
        if self.new:
            return f"{self.network_id}: нова мрежа"
        return f"{self.network_id}: {', '.join(self.changed) or 'без измене'}"

    def apply(self, draft: Draft) -> None:
        self.changed = []
        document = roundtrip.read(draft.knowledge)
        networks = document["networks"]
        entry: CommentedMap | None = next(
            (n for n in networks if isinstance(n, CommentedMap) and n.get("id") == self.network_id), None
        )
        if entry is None:
            entry = CommentedMap(id=self.network_id)
            networks.append(entry)
        for key in (*TEXT_FIELDS, *VALUE_FIELDS, *LIST_FIELDS):
            if key in self.fields:
                self._set(entry, key, _value(key, self.fields[key]))
        if self.facts:
            facts = entry.setdefault("facts", CommentedMap())
            for key, (text, source) in self.facts.items():
                self._set_fact(facts, key, _tidy(text), _tidy(source))
            if not facts:
                del entry["facts"]
        roundtrip.write(draft.knowledge, document)
        self._find_lines(draft)

    def field_at(self, line: int) -> str | None:
        """The field of this network that holds `line` of the written file (the nearest one above it)."""
        if line > self.end_line:
            return None  # another network's line (a name it shares with this one)
        above = [(start, key) for key, start in self.lines.items() if start <= line]
        return max(above)[1] if above else None

    def _set(self, entry: CommentedMap, key: str, value: Any) -> None:
        if _same(entry.get(key), value):
            return
        self.changed.append(key)
        if value in (None, "", []):
            entry.pop(key, None)
        else:
            entry[key] = value

    def _set_fact(self, facts: CommentedMap, key: str, text: str, source: str) -> None:
        old = facts.get(key)
        old_text, old_source = (old.get("text"), old.get("source")) if isinstance(old, dict) else (old, None)
        if _tidy(str(old_text or "")) == text and str(old_source or "") == source:
            return
        self.changed.append(key)
        if not text:
            facts.pop(key, None)
            return
        folded = old_text if _tidy(str(old_text or "")) == text else _folded(text)  # an unchanged text keeps its form
        if source and isinstance(old, CommentedMap):  # the fact keeps its place, comments and key order
            old["text"], old["source"] = folded, source
        elif source:
            facts[key] = CommentedMap(text=folded, source=source)
        else:
            facts[key] = folded  # the network's first source holds it

    def _find_lines(self, draft: Draft) -> None:
        networks = roundtrip.read(draft.knowledge)["networks"]
        index = next(
            i for i, n in enumerate(networks) if isinstance(n, CommentedMap) and n.get("id") == self.network_id
        )
        entry: Any = networks[index]
        self.end_line = networks.lc.item(index + 1)[0] if index + 1 < len(networks) else 10**9
        self.lines = {key: entry.lc.key(key)[0] + 1 for key in entry}
        facts = entry.get("facts")
        if isinstance(facts, CommentedMap):
            self.lines |= {f"fact:{key}": facts.lc.key(key)[0] + 1 for key in facts}


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _value(key: str, typed: str) -> Any:
    if key in LIST_FIELDS:
        items = [_tidy(line) for line in typed.splitlines()]
        return CommentedSeq([item for item in items if item])
    text = _tidy(typed)
    if key in NUMBER_FIELDS and text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return text  # a year that is not a number stays text: the validator says so at the field


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, list) or isinstance(new, list):
        return [str(v) for v in old or []] == [str(v) for v in new or []]
    return str(old if old is not None else "") == str(new if new is not None else "")


def _folded(text: str) -> FoldedScalarString:
    """A `>-` block folded at about FOLD_AT characters, as the file's other facts are written."""
    folded: FoldedScalarString = FoldedScalarString(text)
    positions: list[int] = []
    line_start = 0
    for index, char in enumerate(text):
        if char == " " and index - line_start > FOLD_AT - 8:
            positions.append(index)
            line_start = index + 1
    folded.fold_pos = positions  # type: ignore[attr-defined]
    return folded
