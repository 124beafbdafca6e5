"""Small helpers that read located YAML values and collect plain-language problems.

Every reader takes a `Problems` collector, so one pass over a file reports
everything wrong with it at once instead of stopping at the first mistake.
Messages are in Serbian (Cyrillic) and name the English key, for staff.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.yamlsource import Position, Problem, YamlList, YamlMap


class Problems(list[Problem]):
    def error(self, position: Position, message: str) -> None:
        self.append(Problem(position, message, "error"))

    def warning(self, position: Position, message: str) -> None:
        self.append(Problem(position, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.is_error]


def check_keys(
    mapping: YamlMap,
    where: str,
    required: Iterable[str],
    optional: Iterable[str],
    problems: Problems,
    misplaced: Mapping[str, str] | None = None,
) -> None:
    """Report missing required keys and unknown keys: a key that belongs at another depth gets its
    `misplaced` sentence (indentation), any other a did-you-mean hint for typos."""
    required = list(required)
    known = required + list(optional)
    misplaced = misplaced or {}
    for key in required:
        if key not in mapping:
            problems.error(mapping.position, f"{where}: недостаје обавезно поље `{key}`")
    for key in mapping:
        if key in misplaced and key not in known:
            problems.error(mapping.key_positions[key], f"{where}: поље `{key}` је погрешно увучено: {misplaced[key]}")
        elif key not in known:
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" (да ли сте мислили `{close[0]}`?)" if close else ""
            allowed = ", ".join(f"`{k}`" for k in known)
            problems.error(
                mapping.key_positions[key], f"{where}: непознато поље `{key}`{hint}; дозвољена су: {allowed}"
            )


def read_text(mapping: YamlMap, key: str, where: str, problems: Problems, required: bool = False) -> str | None:
    """A non-empty one-piece text value; numbers are accepted and read as text."""
    if key not in mapping:
        return None
    value = mapping[key]
    position = mapping.where(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        hint = "" if required else " (обришите га или упишите вредност)"
        problems.error(position, f"{where}: поље `{key}` је празно{hint}")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.error(position, f"{where}: поље `{key}` мора бити текст")
        return None
    text = str(value).strip()
    if "??" in text:
        problems.warning(position, f"{where}: у пољу `{key}` стоје упитници „??“: {LOST_LETTERS}")
    return text


LOST_LETTERS = (
    "ћирилична слова су вероватно изгубљена кад је датотека сачувана у погрешном кодирању (не UTF-8); "
    "вратите исправну верзију (python -m bot versions, па python -m bot restore ВЕРЗИЈА)"
)


def read_text_list(mapping: YamlMap, key: str, where: str, problems: Problems) -> list[tuple[str, Position]]:
    """A list of texts (a single text is taken as a list of one), each with its position."""
    if key not in mapping:
        return []
    value = mapping[key]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [(str(value).strip(), mapping.where(key))]
    if not isinstance(value, YamlList):
        problems.error(mapping.where(key), f"{where}: поље `{key}` мора бити листа, нпр. [први, други]")
        return []
    items = []
    for index, item in enumerate(value):
        if isinstance(item, YamlMap) and len(item) == 1:  # `- ЕКАД: градови` reads as a field
            ((name, rest),) = item.items()
            problems.error(
                value.where(index),
                f"{where}: ставка у `{key}` садржи двотачку и размак, па је YAML чита као поље: ставите је под "
                f'наводнике, нпр. - "{name}: {rest}"',
            )
            continue
        if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
            problems.error(value.where(index), f"{where}: ставка у `{key}` мора бити непразан текст")
            continue
        items.append((str(item).strip(), value.where(index)))
    return items


_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/[^\s]*)?$")


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def require_map(value: Any, position: Position, where: str, problems: Problems) -> YamlMap | None:
    if isinstance(value, YamlMap):
        return value
    problems.error(position, f"{where}: очекује се скуп поља (`кључ: вредност`)")
    return None


def require_list(value: Any, position: Position, where: str, problems: Problems) -> YamlList | None:
    if isinstance(value, YamlList):
        return value
    problems.error(position, f"{where}: очекује се листа ставки (редови који почињу са `- `)")
    return None
