"""The networks Niš belongs to, read from `knowledge/networks.yaml` into typed objects.

Staff write every text once, in Cyrillic; Latin is derived when answering.
A fact is either a plain string (its source is then the network's first
source) or `{text: …, source: …}`.  Reading never stops at the first mistake:
all problems come back with their file, line and column.

Besides its facts a network may carry a few *values* the bot computes with:
which network Niš joined first, which is oldest, which are national, which
have their seat in Belgrade.  Each value must stand in the text of the fact it
comes from (`joined_year` in `joined`…), so it has that fact's source and the
answer can quote the fact; a value the fact does not hold is left out, with a
warning (an edit of the fact alone never stops a reload).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.checks import Problems, check_keys, is_url, read_text, read_text_list, require_list, require_map
from bot.script import fold_tokens
from bot.yamlsource import Position, YamlMap, display_path, load_yaml

NETWORK_FIELDS_REQUIRED = ("id", "name", "website")
NAME_FIELDS = ("original_name", "english_name", "acronym", "aliases", "former_names")
# Values the bot computes with, and the fact each must stand in (its source).
VALUE_FIELDS = {
    "scope": None,
    "joined_year": "joined",
    "founded_year": "founded",
    "seat_city": "seat",
    "seat_country": "seat",
    "members": "size",
    "member_countries": "size",
}
COUNTS = ("members", "member_countries")
# The value a comparison ranks networks by, for the fact it compares (which network Niš joined first…), and for
# a direction that names its own (`из највише земаља`: the countries its members come from).
RANKED_BY = {"joined": "joined_year", "founded": "founded_year", "size": "members"}
# (No `fewest_countries`: the national networks keep no count of countries, and would be the fewest.)
RANKED_BY_DIRECTION = {"most_countries": "member_countries"}


def ranked_by(fact: str | None, direction: str) -> str | None:
    """The value a comparison in `direction` of the networks' `fact` ranks them by."""
    own = RANKED_BY_DIRECTION.get(direction)
    return own if own is not None and VALUE_FIELDS[own] == fact else RANKED_BY.get(fact or "")


NETWORK_FIELDS_OPTIONAL = (*NAME_FIELDS, *VALUE_FIELDS, "topics", "facts", "sources")
FACT_FIELDS = ("text", "source")
SCOPES = ("international", "national")
YEARS = (1800, 2100)
NETWORK_FIELDS = NETWORK_FIELDS_REQUIRED + NETWORK_FIELDS_OPTIONAL
NOT_A_URL = "није исправна веб-адреса (почиње са http:// или https://)"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Fact:
    """One fact of a network: the text citizens read and the public source it comes from."""

    text: str
    source: str
    position: Position


@dataclass(frozen=True)
class Network:
    """One network or association Niš belongs to, as knowledge/networks.yaml describes it."""

    id: str
    name: str
    website: str
    position: Position
    original_name: str | None = None
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    facts: dict[str, Fact] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    english_name: str | None = None
    former_names: tuple[str, ...] = ()
    scope: str | None = None  # international | national
    joined_year: int | None = None
    founded_year: int | None = None
    seat_city: str | None = None
    seat_country: str | None = None
    members: int | None = None
    member_countries: int | None = None  # how many countries its members come from
    # words a citizen may use for what the network is about, though its facts say it otherwise (`енергија`
    # beside `енергетска ефикасност`): found by a question that asks which network; never said in an answer
    topics: tuple[str, ...] = ()
    name_positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)
    alias_positions: tuple[Position, ...] = field(default=(), compare=False, repr=False)
    former_positions: tuple[Position, ...] = field(default=(), compare=False, repr=False)
    value_positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)

    def where_named(self, name: str) -> Position:
        """Where the name, original name or acronym `name` is written (the network's start if unknown)."""
        return self.name_positions.get(name, self.position)

    @property
    def display_name(self) -> str:
        """`ECAD – Европски градови против дрога`, or just the name when there is no acronym."""
        return f"{self.acronym} – {self.name}" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    def own_names(self) -> list[str]:
        """The name, original and English name and acronym: the names the network itself goes by."""
        return [self.name, *(n for n in (self.original_name, self.english_name, self.acronym) if n)]

    def names(self) -> list[str]:
        """Every way of naming the network that the matcher should recognise."""
        return list(dict.fromkeys([*self.own_names(), *self.former_names, *self.aliases]))

    def other_names(self) -> list[tuple[str, Position]]:
        """Aliases and former names, where each is written."""
        return [
            *zip(self.aliases, self.alias_positions, strict=True),
            *zip(self.former_names, self.former_positions, strict=True),
        ]

    def value(self, name: str) -> str | int | None:
        """One of VALUE_FIELDS (`joined_year`, `seat_city`…), or None when the file does not give it."""
        found: str | int | None = getattr(self, name)
        return found


@dataclass(frozen=True)
class Knowledge:
    """Every network of the knowledge file, in the file's order, and by id."""

    networks: tuple[Network, ...]
    by_id: dict[str, Network] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {n.id: n for n in self.networks})


def read_knowledge(path: Path, fact_keys: frozenset[str]) -> tuple[Knowledge, Problems]:
    """Read the networks file; `fact_keys` are the fact names that answers know how to use."""
    problems = Problems()
    document, yaml_problems = load_yaml(path, frozenset({"networks", *NETWORK_FIELDS, *FACT_FIELDS, *fact_keys}))
    problems.extend(yaml_problems)
    name = display_path(path)
    if document is None:
        if not yaml_problems:
            problems.error(Position(name, 1, 1), "датотека је празна: очекује се `networks:` са листом мрежа")
        return Knowledge(()), problems
    root = require_map(document, Position(name, 1, 1), "датотека", problems)
    if root is None:
        return Knowledge(()), problems
    network_level = "поља мреже пишу се под њеним редом `- id: …` у листи `networks:`, увучена као `name:`"
    check_keys(root, "датотека", ["networks"], [], problems, dict.fromkeys(NETWORK_FIELDS, network_level))
    items = (
        require_list(root.get("networks"), root.where("networks"), "`networks`", problems)
        if "networks" in root
        else None
    )
    networks: list[Network] = []
    for index, item in enumerate(items or []):
        network = _read_network(item, items.where(index), fact_keys, problems)  # type: ignore[union-attr]
        if network is not None:
            networks.append(network)
    if items is not None and not items:
        problems.error(items.position, "`networks`: листа мрежа је празна")
    _check_unique(networks, problems)
    return Knowledge(tuple(networks)), problems


def _read_network(item: object, position: Position, fact_keys: frozenset[str], problems: Problems) -> Network | None:
    entry = require_map(item, position, "мрежа", problems)
    if entry is None:
        return None
    network_id = entry.get("id")
    where = f"мрежа `{network_id}`" if network_id else "мрежа"
    misplaced = dict.fromkeys(fact_keys, "чињенице се пишу под `facts:` мреже, увучене као остале чињенице")
    misplaced |= dict.fromkeys(FACT_FIELDS, "`text` и `source` пишу се под називом чињенице (нпр. `seat:`), увучени")
    check_keys(entry, where, NETWORK_FIELDS_REQUIRED, NETWORK_FIELDS_OPTIONAL, problems, misplaced)
    id_text = read_text(entry, "id", where, problems, required=True)
    if id_text is not None and not _ID.match(id_text):
        problems.error(entry.where("id"), f"{where}: `id` сме да садржи само мала латинична слова, цифре и цртице")
    name = read_text(entry, "name", where, problems, required=True)
    website = read_text(entry, "website", where, problems, required=True)
    if website is not None and not is_url(website):
        problems.error(entry.where("website"), f"{where}: `website` {NOT_A_URL}")
    sources = [
        text for text, pos in read_text_list(entry, "sources", where, problems) if _url_ok(text, pos, where, problems)
    ]
    facts = _read_facts(entry, where, sources[0] if sources else None, website, fact_keys, problems)
    original_name = read_text(entry, "original_name", where, problems)
    english_name = read_text(entry, "english_name", where, problems)
    acronym = read_text(entry, "acronym", where, problems)
    aliases = read_text_list(entry, "aliases", where, problems)
    former_names = read_text_list(entry, "former_names", where, problems)
    topics = read_text_list(entry, "topics", where, problems)
    values = _read_values(entry, where, facts, problems)
    if not (id_text and name and website):
        return None
    named = {"name": name, "original_name": original_name, "english_name": english_name, "acronym": acronym}
    name_positions = {text: entry.where(key) for key, text in named.items() if text}
    return Network(
        id=id_text,
        name=name,
        website=website,
        position=position,
        original_name=original_name,
        acronym=acronym,
        aliases=tuple(text for text, _ in aliases),
        facts=facts,
        sources=tuple(sources),
        english_name=english_name,
        former_names=tuple(text for text, _ in former_names),
        former_positions=tuple(position for _, position in former_names),
        value_positions={key: entry.where(key) for key in values},
        topics=tuple(text for text, _ in topics),
        **values,
        name_positions=name_positions,
        alias_positions=tuple(alias_position for _, alias_position in aliases),
    )


def _read_values(entry: YamlMap, where: str, facts: dict[str, Fact], problems: Problems) -> dict[str, Any]:
    """The values the bot computes with (VALUE_FIELDS), each checked against the fact it comes from."""
    values: dict[str, Any] = {}
    for key, fact_key in VALUE_FIELDS.items():
        if key not in entry:
            continue
        value, position = entry[key], entry.where(key)
        if key == "scope":
            if value not in SCOPES:
                problems.error(position, f"{where}: `scope` је `international` (међународна) или `national` (у Србији)")
                continue
        elif key.endswith("_year") or key in COUNTS:
            low, high = YEARS if key.endswith("_year") else (1, 10**7)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.error(position, f"{where}: `{key}` је цео број између {low} и {high} (сада: {value!r})")
                continue
        else:
            value = read_text(entry, key, where, problems)
            if value is None:
                continue
        if fact_key is not None and not _stands_in(value, facts.get(fact_key)):
            fact = facts.get(fact_key)
            problems.warning(
                position,
                f"{where}: `{key}: {value}` не пише у чињеници `{fact_key}` ("
                + (f"у њој стоји: „{fact.text[:120]}“" if fact else "те чињенице нема")
                + "), па бот ову вредност не користи: исправите вредност или чињеницу",
            )
            continue
        values[key] = value
    return values


def _stands_in(value: object, fact: Fact | None) -> bool:
    """A number as written (2007, 1000), or a place by the start of its word (`Београд` in `Београду`)."""
    if fact is None:
        return False
    words = fold_tokens(fact.text)
    if isinstance(value, int):
        return str(value) in words
    return all(any(token.startswith(_word_start(word)) for token in words) for word in fold_tokens(str(value)))


def _word_start(word: str) -> str:
    """A word without the ending a case may change: `beograd` in `beogradu`, `svedsk` in `svedskoj`."""
    return word[: max(4, len(word) - 2)]


def _url_ok(text: str, position: Position, where: str, problems: Problems) -> bool:
    if is_url(text):
        return True
    problems.error(position, f"{where}: `{text}` {NOT_A_URL}")
    return False


def _read_facts(
    entry: YamlMap,
    where: str,
    default_source: str | None,
    website: str | None,
    fact_keys: frozenset[str],
    problems: Problems,
) -> dict[str, Fact]:
    """The facts; one without a source of its own takes the network's first source, or else (with a
    warning) its website."""
    if "facts" not in entry:
        return {}
    block = require_map(entry["facts"], entry.where("facts"), f"{where}, `facts`", problems)
    if block is None:
        return {}
    to_network = "ово је поље мреже: помакните га улево, у колону у којој почиње `facts:`"
    misplaced = dict.fromkeys(NETWORK_FIELDS, to_network)
    misplaced |= dict.fromkeys(FACT_FIELDS, "`text` и `source` пишу се под називом чињенице (нпр. `seat:`), увучени")
    check_keys(block, f"{where}, `facts`", [], sorted(fact_keys), problems, misplaced)
    facts = {}
    for key in block:
        if key not in fact_keys:
            continue
        fact_where = f"{where}, чињеница `{key}`"
        value = block[key]
        if isinstance(value, YamlMap):
            too_far = "помакните га улево, у колону у којој почињу називи чињеница"
            check_keys(value, fact_where, ["text"], ["source"], problems, dict.fromkeys(fact_keys, too_far))
            text = read_text(value, "text", fact_where, problems, required=True)
            own = read_text(value, "source", fact_where, problems)
            if own is not None and not _url_ok(own, value.where("source"), fact_where, problems):
                own = None
            source = own or default_source
        else:
            text = read_text(block, key, fact_where, problems, required=True)
            source = default_source
        if text is not None and source is None:
            problems.warning(
                block.where(key),
                f"{fact_where}: чињеница нема извор (ни `source:` уз њу, ни `sources:` мреже): додајте адресу "
                "странице на којој пише; дотле бот као извор наводи сајт мреже",
            )
            source = website
        if text is not None and source is not None:
            facts[key] = Fact(text, source, block.where(key))
    return facts


def _check_unique(networks: list[Network], problems: Problems) -> None:
    seen_ids: dict[str, Network] = {}
    for network in networks:
        if network.id in seen_ids:
            first = seen_ids[network.id].position.line
            problems.error(network.position, f"мрежа `{network.id}`: `id` се понавља (први пут у реду {first})")
        else:
            seen_ids[network.id] = network
