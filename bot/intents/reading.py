"""Reading the intent files (every .yml and .yaml in `intents/`) into an `IntentBook`, with their problems.

Each section of each file is read into the book's parts (`nlu`, `taught`,
`responses`, `layout`, `telegram`, `web`, `language`); what is wrong is
collected with its file and line, and the book is checked as a whole at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.checks import Problems, check_keys, read_text, read_text_list, require_list, require_map
from bot.intents.alternatives import expand_alternatives
from bot.intents.checks import check_book, check_placeholders, check_template
from bot.intents.model import Example, IntentBook, Language, Response
from bot.intents.schema import (
    FIELD_NAMES,
    FLAGS,
    LANGUAGE_FIELDS,
    LANGUAGE_LISTS,
    LANGUAGE_MAPS,
    LAYOUT_FIELDS,
    RESPONSE_FIELDS,
    SECTIONS,
    TELEGRAM_MAPS,
    TELEGRAM_TEXTS,
    TEMPLATE_FIELDS,
    TEXT_MAPS,
    WEB_TEXTS,
)
from bot.knowledge import SCOPES
from bot.yamlsource import Position, YamlMap, display_path, load_yaml


def intent_files(directory: Path) -> list[Path]:
    """The files `read_intents` reads: every .yml and .yaml in the folder, in name order."""
    return sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])


def read_intents(directory: Path) -> tuple[IntentBook, Problems]:
    problems = Problems()
    examples: list[Example] = []
    responses: dict[str, Response] = {}
    layout: dict[str, str] = {}
    telegram: dict[str, str] = {}
    telegram_maps: dict[str, dict[str, str]] = {key: {} for key in TELEGRAM_MAPS}
    web: dict[str, str] = {}
    language_parts: dict[str, list[str]] = {key: [] for key in LANGUAGE_LISTS}
    language_maps: dict[str, dict[str, list[str]]] = {key: {} for key in LANGUAGE_MAPS}
    files = intent_files(directory)
    if not files:
        problems.error(Position(display_path(directory), 1, 1), "у фасцикли нема ниједне .yml датотеке")
    for path in files:
        name = display_path(path)
        document, yaml_problems = load_yaml(path, FIELD_NAMES)
        problems.extend(yaml_problems)
        if document is None:
            if not yaml_problems:
                problems.error(
                    Position(name, 1, 1),
                    "датотека је празна: вратите њен садржај (python -m bot versions, па python -m bot restore "
                    "ВЕРЗИЈА) или је обришите ако заиста не треба",
                )
            continue
        root = require_map(document, Position(name, 1, 1), "датотека", problems)
        if root is None:
            continue
        check_keys(root, "датотека", [], SECTIONS, problems)
        if "nlu" in root:
            examples.extend(_read_nlu(root, problems))
        if "taught" in root:
            examples.extend(_read_taught(root, problems))
        if "responses" in root:
            _read_responses(root, responses, problems)
        if "layout" in root:
            _read_layout(root, layout, problems)
        if "telegram" in root:
            _read_telegram(root, telegram, telegram_maps, problems)
        if "web" in root:
            _read_web(root, web, problems)
        if "language" in root:
            _read_language(root, language_parts, language_maps, problems)
    book = IntentBook(
        examples=tuple(examples),
        responses=responses,
        layout=layout,
        language=_language(language_parts, language_maps),
        files=tuple(str(p) for p in files),
        telegram=telegram,
        commands=telegram_maps["commands"],
        card_buttons=telegram_maps["card_buttons"],
        web=web,
    )
    check_book(book, directory, problems)
    return book, problems


def _language(parts: dict[str, list[str]], maps: dict[str, dict[str, list[str]]]) -> Language:
    lists: dict[str, Any] = {key: tuple(values) for key, values in parts.items()}
    named: dict[str, Any] = {key: {name: tuple(p) for name, p in phrases.items()} for key, phrases in maps.items()}
    return Language(**lists, **named)


def _entries(root: YamlMap, key: str, problems: Problems) -> Iterator[YamlMap]:
    """The mappings listed under `key` (`nlu`, `taught`); a list or an item of another shape is reported."""
    items = require_list(root[key], root.where(key), f"`{key}`", problems)
    for index, item in enumerate(items or []):
        entry = require_map(item, items.where(index), f"`{key}`", problems)  # type: ignore[union-attr]
        if entry is not None:
            yield entry


def _read_nlu(root: YamlMap, problems: Problems) -> list[Example]:
    examples: list[Example] = []
    for entry in _entries(root, "nlu", problems):
        intent = read_text(entry, "intent", "`nlu`", problems, required=True)
        where = f"намера `{intent}`" if intent else "`nlu`"
        check_keys(entry, where, ["intent", "examples"], [], problems)
        if intent is None or "examples" not in entry:
            continue
        for line, position in _example_lines(entry, where, problems):
            for text in expand_alternatives(line, position, where, problems):
                check_placeholders(text, position, where, problems)
                examples.append(Example(intent, text, position, "" if text == line else line))
    return examples


def _read_taught(root: YamlMap, problems: Problems) -> list[Example]:
    """`taught:`: questions staff said the meaning of (`python -m bot teach`, `/staff`): each is an example of
    its intent and, written in either script, with or without diacritics, gets that intent and network."""
    examples: list[Example] = []
    for entry in _entries(root, "taught", problems):
        check_keys(entry, "`taught`", ["question", "intent"], ["network"], problems)
        question = read_text(entry, "question", "`taught`", problems, required=True)
        intent = read_text(entry, "intent", "`taught`", problems, required=True)
        network = read_text(entry, "network", "`taught`", problems) or ""
        if question and intent:
            position = entry.where("question")
            check_placeholders(question, position, "`taught`", problems)
            examples.append(Example(intent, question, position, network=network, taught=True))
    return examples


def _example_lines(entry: YamlMap, where: str, problems: Problems) -> list[tuple[str, Position]]:
    """Examples as a Rasa block (`examples: |` then `- …` lines) or as a YAML list."""
    value = entry["examples"]
    if not isinstance(value, str):
        return read_text_list(entry, "examples", where, problems)
    start = entry.where("examples")
    lines: list[tuple[str, Position]] = []
    for offset, line in enumerate(value.splitlines()):
        stripped = line.strip()
        if not stripped:
            continue
        # In a `|` block the text starts on the line after the key; columns are approximate there.
        position = Position(start.file, start.line + 1 + offset, start.column)
        if not stripped.startswith("- "):
            problems.error(position, f"{where}: сваки пример почиње са `- ` (цртица и размак): „{stripped}“")
            continue
        text = stripped[2:].strip()
        if text:
            lines.append((text, position))
    if not lines:
        problems.error(start, f"{where}: нема ниједног примера")
    return lines


def _read_responses(root: YamlMap, responses: dict[str, Response], problems: Problems) -> None:
    block = require_map(root["responses"], root.where("responses"), "`responses`", problems)
    for intent in block or {}:
        assert block is not None
        where = f"одговор `{intent}`"
        entry = require_map(block[intent], block.where(intent), where, problems)
        if entry is None:
            continue
        if intent in responses:
            problems.error(block.key_positions[intent], f"{where}: одговор за ову намеру је већ задат")
            continue
        check_keys(entry, where, [], RESPONSE_FIELDS, problems)
        texts = {
            key: read_text(entry, key, where, problems)
            for key in RESPONSE_FIELDS
            if key not in (*FLAGS, *TEXT_MAPS, "offers")
        }
        for key, template in texts.items():
            if template is not None and key in TEMPLATE_FIELDS:
                check_template(template, TEMPLATE_FIELDS[key], entry.where(key), f"{where}, `{key}`", problems)
        flags = {flag: entry.get(flag, bool(texts["fact"]) if flag == "needs_network" else False) for flag in FLAGS}
        for flag, value in flags.items():
            if not isinstance(value, bool):
                problems.error(entry.where(flag), f"{where}: `{flag}` мора бити true или false")
                flags[flag] = False
        maps: dict[str, Any] = {key: _read_text_map(entry, key, where, problems) for key in TEXT_MAPS}
        responses[intent] = Response(
            intent=intent,
            position=block.key_positions[intent],
            text=texts["text"],
            fact=texts["fact"],
            question=texts["question"],
            unknown=texts["unknown"],
            instead=texts["instead"],
            unknown_network=texts["unknown_network"],
            about_network=texts["about_network"],
            missing_value=texts["missing_value"],
            matching=texts["matching"],
            none_matching=texts["none_matching"],
            **maps,
            offers=tuple(_offer(text) for text, _ in read_text_list(entry, "offers", where, problems)),
            **flags,
        )


def _offer(text: str) -> tuple[str, str]:
    """`joined ecad` → ("joined", "ecad"); `list` → ("list", "")."""
    intent, _, network = text.partition(" ")
    return intent, network.strip()


def _read_text_map(entry: YamlMap, key: str, where: str, problems: Problems) -> dict[str, str]:
    """`details`, `compared`, `names`, `scopes`: a name per line, each with its text."""
    if key not in entry:
        return {}
    block = require_map(entry[key], entry.where(key), f"{where}, `{key}`", problems)
    texts: dict[str, str] = {}
    for name in block or {}:
        assert block is not None
        text = read_text(block, name, f"{where}, `{key}`", problems)
        if text is not None:
            check_template(text, TEMPLATE_FIELDS[key], block.where(name), f"{where}, `{key}`", problems)
            texts[name] = text
    return texts


def _read_layout(root: YamlMap, layout: dict[str, str], problems: Problems) -> None:
    block = require_map(root["layout"], root.where("layout"), "`layout`", problems)
    if block is None:
        return
    check_keys(block, "`layout`", [], LAYOUT_FIELDS, problems)
    for key in LAYOUT_FIELDS:
        template = read_text(block, key, "`layout`", problems)
        if template is not None:
            check_template(template, TEMPLATE_FIELDS[f"layout.{key}"], block.where(key), f"`layout`, `{key}`", problems)
            layout[key] = template


def _read_telegram(root: YamlMap, texts: dict[str, str], maps: dict[str, dict[str, str]], problems: Problems) -> None:
    block = require_map(root["telegram"], root.where("telegram"), "`telegram`", problems)
    if block is None:
        return
    check_keys(block, "`telegram`", [], TELEGRAM_TEXTS + TELEGRAM_MAPS, problems)
    _read_texts(block, TELEGRAM_TEXTS, "`telegram`", texts, problems)
    for key in TELEGRAM_MAPS:
        if key not in block:
            continue
        mapping = require_map(block[key], block.where(key), f"`telegram`, `{key}`", problems)
        if mapping is not None:
            labels = {name: read_text(mapping, name, f"`telegram`, `{key}`", problems) for name in mapping}
            maps[key].update({name: label for name, label in labels.items() if label})


def _read_web(root: YamlMap, texts: dict[str, str], problems: Problems) -> None:
    block = require_map(root["web"], root.where("web"), "`web`", problems)
    if block is None:
        return
    check_keys(block, "`web`", WEB_TEXTS, (), problems)
    _read_texts(block, WEB_TEXTS, "`web`", texts, problems)


def _read_texts(block: YamlMap, keys: tuple[str, ...], where: str, texts: dict[str, str], problems: Problems) -> None:
    """The texts of `block` that are there (`check_keys` reports the missing ones that must be)."""
    for key in keys:
        text = read_text(block, key, where, problems)
        if text is not None:
            texts[key] = text


def _read_language(
    root: YamlMap, parts: dict[str, list[str]], maps: dict[str, dict[str, list[str]]], problems: Problems
) -> None:
    block = require_map(root["language"], root.where("language"), "`language`", problems)
    if block is None:
        return
    check_keys(block, "`language`", [], LANGUAGE_FIELDS, problems)
    for key in LANGUAGE_LISTS:
        parts[key].extend(text for text, _ in read_text_list(block, key, "`language`", problems))
    for key in LANGUAGE_MAPS:
        if key not in block:
            continue
        names = require_map(block[key], block.where(key), f"`language`, `{key}`", problems)
        for name in names or {}:
            assert names is not None
            phrases = read_text_list(names, name, f"`language`, `{key}`", problems)
            if key == "spellings":  # replaced a word or two words at a time: `gde li je` could never be found
                for text, position in phrases:
                    if len(text.split()) > 2:
                        problems.error(
                            position,
                            f"`language`, `spellings`, `{name}`: „{text}“ има више од две речи; бот замењује реч "
                            "по реч или две по две, па ово не би нашао (напишите облик од једне или две речи)",
                        )
            if key == "negated_scopes" and name not in SCOPES:  # (a misspelt scope would silently ask for none)
                problems.error(
                    names.where(name),
                    f"`language`, `negated_scopes`: „{name}“ није обухват; пише се "
                    + " или ".join(f"`{scope}`" for scope in SCOPES),
                )
                continue
            if key == "number_parts" and not str(name).isdigit():  # they are added up: `1990s` is no number
                problems.error(
                    names.where(name),
                    f"`language`, `number_parts`: „{name}“ није број у цифрама; делови броја се сабирају "
                    '(напишите цифре, на пример "7")',
                )
                continue
            maps[key].setdefault(name, []).extend(text for text, _ in phrases)
