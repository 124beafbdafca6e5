"""What the assistant understands and how it answers, read from the YAML files in `intents/`.

The format follows Rasa's NLU training data, so people who know Rasa feel at
home; any file may hold any of these sections:

* `nlu:` a list of `- intent: name` with `examples: |` and one phrasing per
  line (`- Када је Ниш приступио {network}?`).  `{network}` stands for any
  network's name, so one phrasing serves all of them.  Alternatives in
  parentheses give one phrasing per choice: `- (Када|Од када) је Ниш (приступио|ушао у) {network}?`
  is four examples; `(Град |)Ниш` makes a word optional.
* `responses:` per intent, the answer texts (Cyrillic; Latin is derived).
* `layout:` how the parts of a fact answer are put together.
* `language:` stop words, case endings and follow-up words for matching.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.checks import Problems, check_keys, read_text, read_text_list, require_list, require_map
from bot.script import fold
from bot.yamlsource import Position, YamlMap, display_path, load_yaml

PLACEHOLDER = "{network}"
SECTIONS = ("version", "nlu", "taught", "responses", "layout", "language", "telegram", "web")
RESPONSE_FIELDS = (
    "text",
    "fact",
    "question",
    "unknown",
    "needs_network",
    "about_nis",
    "unknown_network",
    "about_network",
    "details",
    "compared",
    "missing_value",
    "names",
    "matching",
    "none_matching",
    "scopes",
    "offers",
)
FLAGS = ("needs_network", "about_nis")  # true or false
TEXT_MAPS = ("details", "compared", "names", "scopes")  # name -> text
LAYOUT_FIELDS = ("fact", "unknown", "network_item", "network_fact_item", "example_item", "card")
# Texts only the Telegram bot shows; `commands` and `card_buttons` map a name to a label.
TELEGRAM_TEXTS = (
    "description",
    "short_description",
    "start",
    "help",
    "non_text",
    "slow_down",
    "list_buttons",
    "feedback_helpful",
    "feedback_unhelpful",
    "feedback_thanks",
)
TELEGRAM_MAPS = ("commands", "card_buttons")
# Texts of the chat page on the city's website (bot/web/); all of them are needed there.
WEB_TEXTS = (
    "title",
    "intro",
    "start",
    "placeholder",
    "send",
    "you",
    "assistant",
    "failed",
    "busy",
    "noscript",
    "helpful",
    "unhelpful",
    "thanks",
)
LANGUAGE_LISTS = (
    "stopwords",
    "suffixes",
    "followup_markers",
    "courtesy",
    "question_words",
    "references",
    "identify_asking",
    "identify_kinds",
    "months",
    "agent_markers",
    "city",
    "membership_words",
    "indefinite",
    "network_asking",
    "count_asking",
    "when_asking",
    "list_asking",
    "orders",
    "negations",
)
LANGUAGE_MAPS = ("focus", "superlatives", "comparatives", "scopes", "roles")  # name -> list of phrases
LANGUAGE_FIELDS = LANGUAGE_LISTS + LANGUAGE_MAPS
# Every key an intents file uses, for the hints about a missing colon or a field swallowed by a text above it.
FIELD_NAMES = frozenset(
    {
        *SECTIONS,
        "intent",
        "examples",
        "question",
        "network",
        *RESPONSE_FIELDS,
        *LAYOUT_FIELDS,
        *LANGUAGE_FIELDS,
        *TELEGRAM_TEXTS,
    }
    | {*TELEGRAM_MAPS, *WEB_TEXTS}
)
# Intents the engine itself decides on; they need answer texts but no examples.
ENGINE_INTENTS = ("fallback", "clarify")
# Placeholders each kind of template may use.
TEMPLATE_FIELDS = {
    "text": {"name", "short", "website", "networks", "examples", "fact", "source", "count"},
    "compared": {"name", "short", "website", "value"},
    "missing_value": {"networks"},
    "names": {"value"},
    "matching": {"count", "networks"},
    "none_matching": {"count", "networks"},
    "scopes": {"count", "networks"},
    "question": {"name", "short"},
    "unknown": {"name", "short", "website"},
    "unknown_network": {"asked", "networks"},
    "about_network": {"name", "short", "website"},
    "details": {"name", "short", "website"},
    "layout.fact": {"name", "short", "fact", "source", "website"},
    "layout.unknown": {"name", "short", "unknown", "website"},
    "layout.network_item": {"name", "short", "website"},
    "layout.network_fact_item": {"name", "short", "website", "fact"},
    "layout.example_item": {"question"},
    "layout.card": {"name", "short", "website", "about", "joined"},
}
_EXAMPLE_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Example:
    intent: str
    text: str
    position: Position
    line: str = ""  # the line as staff wrote it, alternatives and all; empty when it is `text`
    network: str = ""  # a taught question (`taught:`): the network it asks about, when its intent needs one
    taught: bool = False  # from `taught:`: this very question, however written, gets this intent and network

    @property
    def has_network(self) -> bool:
        return PLACEHOLDER in self.text


@dataclass(frozen=True)
class Response:
    intent: str
    position: Position
    text: str | None = None
    fact: str | None = None  # the fact key this intent answers with
    question: str | None = None  # how to ask it, shown as a suggestion
    unknown: str | None = None  # said when the network lacks the fact
    unknown_network: str | None = None  # membership: said for a network not in our records
    about_network: str | None = None  # fallback: said when a network is named but the question is not ours
    details: dict[str, str] = field(default_factory=dict)  # focus -> said when the fact lacks that part
    compared: dict[str, str] = field(default_factory=dict)  # direction -> the head of a comparison's answer
    missing_value: str | None = None  # a comparison: the networks whose value is not known
    names: dict[str, str] = field(default_factory=dict)  # name field -> its line, when a question asks a name
    matching: str | None = None  # list: the head of a list of the networks a question's words fit
    none_matching: str | None = None  # list: the head of the list shown when no network fits (`пре 1900`)
    scopes: dict[str, str] = field(default_factory=dict)  # list: scope -> the head of the list of that scope
    offers: tuple[tuple[str, str], ...] = ()  # fallback: (intent, network id or "") offered as questions to press
    needs_network: bool = False
    about_nis: bool = False  # a question about Niš itself: it names the city (or `ми`)


@dataclass(frozen=True)
class Language:
    """The word lists of `language:`; see intents/language.yml for what each is for."""

    stopwords: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    followup_markers: tuple[str, ...] = ()
    courtesy: tuple[str, ...] = ()
    question_words: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    identify_asking: tuple[str, ...] = ()
    identify_kinds: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    agent_markers: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    membership_words: tuple[str, ...] = ()
    indefinite: tuple[str, ...] = ()
    network_asking: tuple[str, ...] = ()
    count_asking: tuple[str, ...] = ()
    when_asking: tuple[str, ...] = ()
    list_asking: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    focus: dict[str, tuple[str, ...]] = field(default_factory=dict)
    superlatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    comparatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntentBook:
    examples: tuple[Example, ...]
    responses: dict[str, Response]
    layout: dict[str, str]
    language: Language
    telegram: dict[str, str] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)  # command -> description
    card_buttons: dict[str, str] = field(default_factory=dict)  # intent -> button label
    web: dict[str, str] = field(default_factory=dict)  # the chat page's texts (WEB_TEXTS)
    files: tuple[str, ...] = field(default=())

    @property
    def fact_keys(self) -> frozenset[str]:
        return frozenset(r.fact for r in self.responses.values() if r.fact)

    @property
    def intent_names(self) -> list[str]:
        return list(dict.fromkeys(e.intent for e in self.examples))


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
    _check_book(book, directory, problems)
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
                _check_placeholders(text, position, where, problems)
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
            _check_placeholders(question, position, "`taught`", problems)
            examples.append(Example(intent, question, position, network=network, taught=True))
    return examples


MAX_ALTERNATIVES = 64  # phrasings one line may expand to: more is a typo or a line to split
_GROUP = re.compile(r"\(([^()]*)\)")


def expand_alternatives(line: str, position: Position, where: str, problems: Problems) -> list[str]:
    """`(а|б) в (г|)` → `а в г`, `а в`, `б в г`, `б в`; problems for unmatched parentheses or too many."""
    groups = _GROUP.findall(line)
    if "(" in _GROUP.sub("", line) or ")" in _GROUP.sub("", line):
        problems.error(position, f"{where}: заграде у примеру нису упарене: „{line}“")
        return []
    choices = [group.split("|") for group in groups]
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_ALTERNATIVES:
        problems.error(
            position,
            f"{where}: пример даје {count} питања, а дозвољено је до {MAX_ALTERNATIVES}; поделите га: „{line}“",
        )
        return []
    texts = [""]
    for index, piece in enumerate(_GROUP.split(line)):
        options = piece.split("|") if index % 2 else [piece]
        texts = [text + option for text in texts for option in options]
    return list(dict.fromkeys(" ".join(text.split()) for text in texts if text.strip()))


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


def _check_placeholders(text: str, position: Position, where: str, problems: Problems) -> None:
    for name in _EXAMPLE_PLACEHOLDER.findall(text):
        if "{" + name + "}" != PLACEHOLDER:
            problems.error(position, f"{where}: непознато место за уметање `{{{name}}}`; постоји само `{PLACEHOLDER}`")


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
                _check_template(template, TEMPLATE_FIELDS[key], entry.where(key), f"{where}, `{key}`", problems)
        flags = {flag: entry.get(flag, bool(texts["fact"]) if flag == "needs_network" else False) for flag in FLAGS}
        for flag, value in flags.items():
            if not isinstance(value, bool):
                problems.error(entry.where(flag), f"{where}: `{flag}` мора бити true или false")
                flags[flag] = False
        responses[intent] = Response(
            intent=intent,
            position=block.key_positions[intent],
            text=texts["text"],
            fact=texts["fact"],
            question=texts["question"],
            unknown=texts["unknown"],
            unknown_network=texts["unknown_network"],
            about_network=texts["about_network"],
            missing_value=texts["missing_value"],
            matching=texts["matching"],
            none_matching=texts["none_matching"],
            **{key: _read_text_map(entry, key, where, problems) for key in TEXT_MAPS},
            offers=tuple(_offer(text) for text, _ in read_text_list(entry, "offers", where, problems)),
            needs_network=flags["needs_network"],
            about_nis=flags["about_nis"],
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
            _check_template(text, TEMPLATE_FIELDS[key], block.where(name), f"{where}, `{key}`", problems)
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
            _check_template(
                template, TEMPLATE_FIELDS[f"layout.{key}"], block.where(key), f"`layout`, `{key}`", problems
            )
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
            maps[key].setdefault(name, []).extend(text for text, _ in phrases)


def _check_template(template: str, allowed: set[str], position: Position, where: str, problems: Problems) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        problems.error(position, f"{where}: витичасте заграде нису упарене ({error})")
        return
    for name in sorted(names - allowed):
        known = ", ".join(f"{{{n}}}" for n in sorted(allowed))
        problems.error(position, f"{where}: непознато место за уметање `{{{name}}}`; овде могу: {known}")


def _check_examples(examples: tuple[Example, ...], problems: Problems) -> None:
    """The same question under two intents makes the bot guess; twice under one intent is only noise."""
    first: dict[str, Example] = {}
    for example in examples:
        key = fold(example.text.replace(PLACEHOLDER, " network "))
        earlier = first.setdefault(key, example)
        if earlier is example:
            continue
        where = f"{earlier.position.file}:{earlier.position.line}"
        if earlier.intent != example.intent:
            problems.error(
                example.position,
                f"намера `{example.intent}`: пример „{example.text}“ је исти као пример намере "
                f"`{earlier.intent}` ({where}); бот не би знао шта се пита — обришите један",
            )
        elif not example.line:  # lines with alternatives overlap by nature; a line written twice is noise
            problems.warning(
                example.position, f"намера `{example.intent}`: пример „{example.text}“ се понавља ({where})"
            )


def _check_book(book: IntentBook, directory: Path, problems: Problems) -> None:
    here = Position(display_path(directory), 1, 1)
    _check_examples(book.examples, problems)
    example_intents = set(book.intent_names)
    for intent in sorted(example_intents - set(book.responses)):
        first = next(e for e in book.examples if e.intent == intent)
        problems.error(first.position, f"намера `{intent}` има примере, али нема одговор у `responses`")
    for intent in ENGINE_INTENTS:
        if intent not in book.responses:
            problems.error(here, f"недостаје одговор `{intent}` у `responses`")
    for response in book.responses.values():
        if response.intent not in example_intents and response.intent not in ENGINE_INTENTS:
            problems.error(
                response.position,
                f"намера `{response.intent}` нема ниједан пример питања у `nlu`, па је бот никад не би препознао: "
                "вратите примере (или обришите и одговор)",
            )
        if response.needs_network and not response.question:
            problems.error(response.position, f"одговор `{response.intent}`: недостаје `question` (предлог питања)")
        if response.fact and not response.unknown:
            problems.error(
                response.position, f"одговор `{response.intent}`: недостаје `unknown` (шта рећи кад податак не знамо)"
            )
        if not response.fact and not response.text:
            problems.error(response.position, f"одговор `{response.intent}`: недостаје `text`")
    for key in LAYOUT_FIELDS:
        if key not in book.layout:
            problems.error(here, f"недостаје `{key}` у `layout`")
    for response in book.responses.values():
        for focus in sorted(set(response.details) - set(book.language.focus)):
            known = ", ".join(f"`{name}`" for name in book.language.focus) or "ниједна"
            problems.error(
                response.position,
                f"одговор `{response.intent}`, `details`: `{focus}` није врста питања из `language`, "
                f"`focus` (постоје: {known})",
            )
    for response in book.responses.values():
        for intent, network in response.offers:
            needs = book.responses[intent].needs_network if intent in book.responses else None
            if needs is None or needs != bool(network):
                problems.error(
                    response.position,
                    f"одговор `{response.intent}`, `offers`: „{intent} {network}“ није намера"
                    + (" са `id` мреже" if needs else " (ова намера се пише без мреже)" if needs is False else ""),
                )
    for example in book.examples:
        taught_for = book.responses.get(example.intent)
        if example.taught and taught_for is not None and taught_for.needs_network != bool(example.network):
            problems.error(
                example.position,
                f"`taught`: „{example.text}“ — намера `{example.intent}` "
                + (
                    "пита о једној мрежи: додајте `network` (id мреже)"
                    if taught_for.needs_network
                    else "се не односи на мрежу: обришите `network`"
                ),
            )
    for intent in book.card_buttons:
        if intent not in book.responses or not book.responses[intent].needs_network:
            problems.error(here, f"`telegram`, `card_buttons`: `{intent}` није намера која се односи на мрежу")
