"""What the intent files hold, as typed objects: examples, responses, the language's word lists, the book of all."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.yamlsource import Position

PLACEHOLDER = "{network}"
# Intents the engine itself decides on; they need answer texts but no examples.
ENGINE_INTENTS = ("fallback", "clarify")


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
