"""Turn what a message was understood to ask (`Reading`s) into the `Answer` the user reads.

One section per question answered (and per network asked about), or a single
question back (`clarify`) with its suggestions; the whole answer in the script
the user wrote in; the conversation state the next message starts from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.answering.render import Renderer, Section
from bot.dialogue import DialogueState
from bot.intents import IntentRoles
from bot.knowledge import Network
from bot.script import Script, in_script
from bot.understanding.lookups import fact_intents
from bot.understanding.types import CLARIFY, FALLBACK, Guess, Reading

NOT_ANSWERS = (FALLBACK, CLARIFY)


@dataclass(frozen=True)
class Answer:
    """What the bot says to one question: its reading (intent, network, confidence) and the text in sections."""

    question: str
    intent: str
    network: str | None
    confidence: float
    sections: tuple[Section, ...]
    suggestions: tuple[str, ...] = ()
    script: Script = Script.CYRILLIC
    networks: tuple[str, ...] = ()
    suggested: tuple[tuple[str, str], ...] = ()  # (intent, network id or "") behind each suggestion
    state: DialogueState = field(default_factory=DialogueState)
    guess: Guess | None = None  # for `fallback` and `clarify`: what it might have been
    rule: str = ""  # the decision rule that read the first question (understanding/decide.py)

    @property
    def unanswered(self) -> bool:
        return self.intent in NOT_ANSWERS

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "intent": self.intent,
            "network": self.network,
            "confidence": round(self.confidence, 3),
            "answer": self.text,
            "suggestions": list(self.suggestions),
        }


class Composer:
    def __init__(self, renderer: Renderer, networks: dict[str, Network]):
        self.renderer = renderer
        self.networks = networks
        self.intent_of_fact = fact_intents(renderer.responses)
        self.roles = IntentRoles.of(renderer.responses)

    def compose(self, question: str, readings: list[Reading], script: Script, state: DialogueState) -> Answer:
        first = readings[0]
        suggested = [pair for reading in readings for pair in reading.suggestions] or self._offers(first)
        suggestions = [self.renderer.question(i, self.networks.get(n)) for i, n in suggested]
        if first.intent == CLARIFY:
            sections = [self.renderer.clarify(suggestions)]
        else:
            sections = _said_once([section for reading in readings for section in self._sections(reading, suggestions)])
        listed = first.intent not in NOT_ANSWERS and not self.renderer.responses[first.intent].needs_network
        named = first.networks[0] if first.networks and first.intent != CLARIFY and not listed else None
        answered = named if first.intent not in NOT_ANSWERS else None
        new_state = DialogueState(
            network=named or state.network,
            intent=first.intent if answered or self.roles.answers(first.intent) else state.intent,  # a list too
            script=script,
            listed=_listed(first.networks if listed else None, named, state, state.intent == self.roles.listing),
        )
        return Answer(
            question=question,
            intent=first.intent,
            network=answered,
            confidence=max(0.0, min(1.0, first.confidence)),
            sections=tuple(s.in_script(script) for s in sections),
            suggestions=tuple(in_script(s, script) for s in suggestions),
            script=script,
            networks=tuple(dict.fromkeys(n for r in readings for n in r.networks)),
            suggested=tuple(suggested),
            state=new_state,
            guess=first.guess,
            rule=first.rule,
        )

    def _offers(self, reading: Reading) -> list[tuple[str, str]]:
        """Questions to press after a fallback (`offers` in responses.yml); when it named a network, those
        questions asked of that network."""
        if reading.intent != FALLBACK:
            return []
        offers = [
            (intent, network)
            for intent, network in self.renderer.responses[FALLBACK].offers
            if not network or network in self.networks
        ]
        if not reading.networks:
            return offers
        named = reading.networks[0]
        return list(dict.fromkeys((intent, named if network else "") for intent, network in offers))

    def _sections(self, reading: Reading, offered: list[str]) -> list[Section]:
        if reading.asked is not None:
            return [self.renderer.unknown_network(reading.asked)]
        if reading.intent == FALLBACK:
            network = self.networks.get(reading.networks[0]) if reading.networks else None
            return [self.renderer.out_of_scope(network, offered)]
        if not reading.networks:
            return [self.renderer.plain(reading.intent)]
        named = tuple(self.networks[network_id] for network_id in reading.networks)
        if reading.compared:
            without = tuple(self.networks[network_id] for network_id in reading.without)
            between = reading.rule == "compared" and len(named) + len(without) < len(self.networks)
            return self.renderer.compared(reading.intent, named, reading.compared, without, between)
        if not self.renderer.responses[reading.intent].needs_network:  # a list of some of the networks
            without = tuple(self.networks[network_id] for network_id in reading.without)
            return self.renderer.listing(
                reading.intent, named, reading.facts, reading.scopes, without, reading.none_matched
            )
        sections = []
        for network_id in reading.networks:
            network = self.networks[network_id]
            sections.append(self.renderer.about_network(reading.intent, network, reading.focus))
            fact_intent = self.intent_of_fact.get(reading.fact or "")
            if fact_intent and fact_intent != reading.intent:  # the fact that pointed at the network
                sections.append(Section(self.renderer.about_network(fact_intent, network).body))
        return sections


def _listed(
    listing: tuple[str, ...] | None, named: str | None, state: DialogueState, after_list: bool
) -> tuple[str, ...]:
    """The networks `од њих` refers to next: a list's (all of them: none), or, asked of one network right after
    another (`Када је основан ECAD?` – `а Energy Cities?`), those two; one of the list keeps the list, another
    after a list starts afresh (the network before the list is not the one just talked about)."""
    if listing is not None:
        return listing
    if named is None or named in state.listed:
        return state.listed
    return (state.network, named) if state.network and state.network != named and not after_list else ()


def _said_once(sections: list[Section]) -> list[Section]:
    """Each body once, where it first stands: a network a story found by its joining, then asked when it
    joined (`Naš grad je u Istanbulu pristupio nekoj mreži, kada je to bilo?`), would say that fact twice."""
    seen: set[str] = set()
    kept = []
    for section in sections:
        if section.body not in seen:
            seen.add(section.body)
            kept.append(section)
    return kept
