"""What the intent files hold, as typed objects: examples, responses, the language's word lists, the book of all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.yamlsource import Position

PLACEHOLDER = "{network}"
# Intents the engine itself decides on; they need answer texts but no examples.
FALLBACK = "fallback"  # not a question we answer: say what we can answer
CLARIFY = "clarify"  # a question back: did you mean one of these?
ENGINE_INTENTS = (FALLBACK, CLARIFY)


@dataclass(frozen=True)
class Example:
    """One example phrasing of an intent (a line's alternatives give one each), with where it was written."""

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
    """What an intent answers with (texts, the fact it quotes) and the flags that say how the rules treat it."""

    intent: str
    position: Position
    text: str | None = None
    fact: str | None = None  # the fact key this intent answers with
    question: str | None = None  # how to ask it, shown as a suggestion
    unknown: str | None = None  # said when the network lacks the fact
    instead: str | None = None  # the fact quoted after `unknown` when the network lacks the fact (goal: about)
    unknown_network: str | None = None  # membership: said for a network not in our records
    about_network: str | None = None  # fallback: said when a network is named but the question is not ours
    details: dict[str, str] = field(default_factory=dict)  # focus -> said when the fact lacks that part
    compared: dict[str, str] = field(default_factory=dict)  # direction -> the head of a comparison's answer
    missing_value: str | None = None  # a comparison: the networks whose value is not known
    names: dict[str, str] = field(default_factory=dict)  # name field -> its line, when a question asks a name
    matching: str | None = None  # list: the head of a list of the networks a question's words fit
    none_matching: str | None = None  # list: the head of the list shown when no network fits (`пре 1900`)
    scopes: dict[str, str] = field(default_factory=dict)  # list: scope -> the head of the list of that scope
    # fallback: (intent, network id or "") offered as questions to press; clarify: (intent, "") offered of the
    # network a question names when it is unclear what it asks
    offers: tuple[tuple[str, str], ...] = ()
    needs_network: bool = False
    about_nis: bool = False  # a question about Niš itself: it names the city (or `ми`)
    # What the decision rules treat the intent as (responses.yml says more of each):
    small_talk: bool = False  # a greeting, thanks, help: no question, so a real question beside it wins
    lists_networks: bool = False  # its answer lists networks (all, or those found by a value, a scope, a fact)
    describes_network: bool = False  # what a network is: the answer to its name alone
    asks_membership: bool = False  # whether Niš is a member: also of a network not in our records
    asks_joining: bool = False  # when Niš joined: without a time asked, whether it is a member
    asks_seat: bool = False  # where a network's seat is
    counts_members: bool = False  # how many members a network has, and who they are


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
    renaming: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    contrary: tuple[str, ...] = ()
    hypotheticals: tuple[str, ...] = ()
    verb_endings: tuple[str, ...] = ()
    focus: dict[str, tuple[str, ...]] = field(default_factory=dict)
    superlatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    comparatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    negated_scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a scope -> words whose negation asks it
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    numbers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # digits -> the words that say them
    centuries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # its first year -> the words that say it
    number_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # digits -> words that count beside a number
    spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a word -> how else citizens write it


@dataclass(frozen=True)
class IntentBook:
    """Everything the intent files hold: examples, responses, layout, the language's word lists, channel texts."""

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


@dataclass(frozen=True)
class IntentRoles:
    """The intents the decision rules treat apart, found by their flags in `responses:`, not by their names."""

    small_talk: frozenset[str] = frozenset()
    listing: str = ""  # `lists_networks: true`
    describing: str = ""  # `describes_network: true`
    membership: str = ""  # `asks_membership: true`
    joining: str = ""  # `asks_joining: true`
    seat: str = ""  # `asks_seat: true`
    members: str = ""  # `counts_members: true`
    compared: dict[str, tuple[str, ...]] = field(default_factory=dict)  # intent -> the directions of its `compared`
    offered: tuple[str, ...] = ()  # `clarify`'s `offers`: asked of a network when the question is unclear

    @classmethod
    def of(cls, responses: Mapping[str, Response]) -> IntentRoles:
        def the(flag: str) -> str:
            return next((r.intent for r in responses.values() if getattr(r, flag)), "")

        clarify = responses.get(CLARIFY)
        return cls(
            small_talk=frozenset(r.intent for r in responses.values() if r.small_talk),
            listing=the("lists_networks"),
            describing=the("describes_network"),
            membership=the("asks_membership"),
            joining=the("asks_joining"),
            seat=the("asks_seat"),
            members=the("counts_members"),
            compared={r.intent: tuple(r.compared) for r in responses.values() if r.compared},
            offered=tuple(intent for intent, _ in clarify.offers) if clarify else (),
        )

    def implied_by(self, direction: str) -> str | None:
        """The intent a comparison's direction names by itself: the only one comparing that way (`oldest` →
        founded, `most` → size); None when several do (`earliest`: joined or founded)."""
        comparing = [intent for intent, directions in self.compared.items() if direction in directions]
        return comparing[0] if len(comparing) == 1 else None

    def answers(self, intent: str) -> bool:
        """Whether a reading of the intent answers a question: not small talk, not a fallback or a question back."""
        return intent not in self.small_talk and intent not in ENGINE_INTENTS
