"""The question answering engine: question (+ conversation state) in, `Answer` out.

No Telegram here: the console, the tests and the Telegram layer all call
`Engine.answer`.  The steps, each in its own module:

1. `script.detect_script` – answer in the script the question was written in;
2. `script.fold` – fold to plain Latin for matching;
3. `network_finder` – which networks the question names;
4. `intent_matcher` – which intent its remaining words express;
5. the decision below – answer, ask back (`clarify`) or admit it is out of
   scope (`fallback`); follow-ups take the network from the conversation;
6. `render` – the answer text from the YAML templates and the knowledge file.

A message with several sentences is answered sentence by sentence, so
"Шта је СКГО? Када је основан?" gets both answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from bot.intent_matcher import SLOT, IntentMatcher, IntentScore
from bot.loader import Bundle
from bot.network_finder import Mention, NetworkFinder
from bot.render import Renderer, Section
from bot.script import Script, detect_script, fold, in_script

# Scores are F1 overlaps of content words (0–1); see intent_matcher.
ACCEPT = 0.72  # at or above: answer
ASK_BACK = 0.5  # from here up to ACCEPT: ask back with suggestions, when a network is named
MARGIN = 0.06  # two different intents closer than this: ask back instead of guessing
ASK_WHICH_NETWORK = 0.9  # a network question naming none: ask which network only when nothing else is off
MAX_CHARS = 1000  # what of a very long message is read
MAX_CLAUSES = 6
MAX_NETWORKS = 3  # networks answered about in one message
SMALL_TALK = frozenset({"greeting", "thanks", "help"})
ENGINE_INTENTS = frozenset({"fallback", "clarify"})

_CLAUSE_END = re.compile(r"(?<=[?!;\n])|(?<=\.)\s")


@dataclass(frozen=True)
class DialogueState:
    """What a conversation remembers between messages."""

    network: str | None = None
    intent: str | None = None
    script: Script = Script.CYRILLIC


@dataclass(frozen=True)
class Guess:
    """The engine's best reading of a question it did not answer outright (for staff reports)."""

    intent: str
    network: str | None
    score: float


@dataclass(frozen=True)
class Answer:
    question: str
    intent: str
    network: str | None
    confidence: float
    sections: tuple[Section, ...]
    suggestions: tuple[str, ...] = ()
    script: Script = Script.CYRILLIC
    networks: tuple[str, ...] = ()
    suggested: tuple[tuple[str, str], ...] = ()  # (intent, network id) behind each suggestion
    state: DialogueState = field(default_factory=DialogueState)
    guess: Guess | None = None  # for `fallback` and `clarify`: what it might have been

    @property
    def unanswered(self) -> bool:
        return self.intent in ("fallback", "clarify")

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


@dataclass(frozen=True)
class _Reading:
    """What one sentence of a message was understood to ask."""

    intent: str
    networks: tuple[str, ...]
    confidence: float
    suggestions: tuple[tuple[str, str], ...] = ()  # (intent, network id) pairs to offer
    asked: str | None = None  # an unknown network's name, for `membership`
    guess: Guess | None = None

    @property
    def substantive(self) -> bool:
        return self.intent not in SMALL_TALK and self.intent not in ENGINE_INTENTS


class Engine:
    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.lexicon = bundle.lexicon
        self.responses = bundle.intents.responses
        self.networks = {n.id: n for n in bundle.knowledge.networks}
        self.finder = NetworkFinder(bundle.knowledge, bundle.lexicon)
        self.matcher = IntentMatcher(bundle.intents.examples, bundle.lexicon)
        self.renderer = Renderer(bundle)
        self.network_intents = [i for i in bundle.intents.intent_names if self.responses[i].needs_network]

    def answer(self, question: str, state: DialogueState | None = None) -> Answer:
        state = state or DialogueState()
        script = detect_script(question, default=state.script)
        text = question.strip()[:MAX_CHARS]
        readings = self._read(text, state)
        return self._compose(question, readings, script, state)

    def answer_intent(self, intent: str, network_id: str, state: DialogueState | None = None) -> Answer:
        """Answer a question already understood (a button): `intent` about `network_id`."""
        state = state or DialogueState()
        if network_id not in self.networks or intent not in self.responses:
            return self._compose("", [_Reading("fallback", (), 1.0)], state.script, state)
        question = self.renderer.question(intent, self.networks[network_id])
        return self._compose(question, [_Reading(intent, (network_id,), 1.0)], state.script, state)

    # Understanding ---------------------------------------------------------

    def _read(self, text: str, state: DialogueState) -> list[_Reading]:
        clauses = [c for c in _CLAUSE_END.split(text) if fold(c)][:MAX_CLAUSES]
        if len(clauses) <= 1:
            return [self._read_clause(text, state)]
        readings: list[_Reading] = []
        context = state
        for clause in clauses:
            reading = self._read_clause(clause, context)
            readings.append(reading)
            if reading.networks:
                context = replace(context, network=reading.networks[0], intent=reading.intent)
        substantive = [r for r in readings if r.substantive]
        if substantive:
            return _unique(substantive)
        small_talk = [r for r in readings if r.intent in SMALL_TALK]
        return small_talk[:1] or [self._read_clause(text, state)]

    def _read_clause(self, clause: str, state: DialogueState) -> _Reading:
        tokens = fold(clause).split()
        if not tokens:
            return _Reading("fallback", (), 1.0)
        mentions = self.finder.find(tokens)
        networks = tuple(dict.fromkeys(m.network_id for m in mentions))[:MAX_NETWORKS]
        if mentions and (named_only := self._network_named_only(tokens, mentions, networks, state)):
            return named_only
        words = self._content_words(tokens, mentions)
        scores = self.matcher.score(words)
        if not networks:
            if unknown := self._unknown_network(tokens, clause):
                return unknown
            if state.network:
                for intent, scored in self.matcher.score([*words, SLOT]).items():
                    if self.responses[intent].needs_network and scored.score > scores.get(intent, _ZERO).score:
                        scores[intent] = scored
        ranked = sorted(scores.values(), key=lambda s: -s.score)
        if not ranked or ranked[0].score < ASK_BACK:
            return self._unsure(networks, ranked, 1.0 - (ranked[0].score if ranked else 0.0))
        top = ranked[0]
        response = self.responses[top.intent]
        if response.needs_network and not networks:
            return self._without_network(top, words, state)
        runner_up = next((s for s in ranked[1:] if s.intent != top.intent), None)
        close_call = runner_up is not None and top.score - runner_up.score < MARGIN
        if top.score < ACCEPT or close_call:
            return self._unsure(networks, ranked, top.score)
        if not response.needs_network:
            return _Reading(top.intent, (), top.score)
        mention_score = min(m.score for m in mentions)
        return _Reading(top.intent, networks, top.score * mention_score)

    def _content_words(self, tokens: list[str], mentions: list[Mention]) -> list[str]:
        words: list[str] = []
        position = 0
        for mention in mentions:
            words.extend(self.matcher.content_words(tokens[position : mention.start]))
            words.append(SLOT)
            position = mention.end
        words.extend(self.matcher.content_words(tokens[position:]))
        return words

    def _network_named_only(
        self, tokens: list[str], mentions: list[Mention], networks: tuple[str, ...], state: DialogueState
    ) -> _Reading | None:
        """`ECAD`, `А НАЛЕД?`, `Šta je sa SKGO?`: a follow-up repeats the last question; a bare name asks what it is."""
        first = mentions[0].start
        rest = self._content_words(
            tokens[first:], [replace(m, start=m.start - first, end=m.end - first) for m in mentions]
        )
        if any(word != SLOT for word in rest):
            return None
        lead = tokens[:first]
        confidence = min(m.score for m in mentions)
        if " ".join(lead) in self.lexicon.followup_markers and state.intent in self.network_intents:
            return _Reading(state.intent or "about", networks, confidence)
        if not self.matcher.content_words(lead):
            return _Reading("about", networks, confidence)
        return None

    def _unknown_network(self, tokens: list[str], clause: str) -> _Reading | None:
        """`Да ли је Ниш члан Eurocities?`: a membership question about a network not in our records."""
        start, end = self._longest_unknown_run(tokens)
        if start == end:
            return None
        words = [*self.matcher.content_words(tokens[:start]), SLOT, *self.matcher.content_words(tokens[end:])]
        scored = self.matcher.score(words).get("membership")
        if scored is None or scored.score < ACCEPT or scored.unexplained or scored.recall < 1.0:
            return None
        return _Reading("membership", (), scored.score, asked=_original_words(clause, tokens[start:end]))

    def _longest_unknown_run(self, tokens: list[str]) -> tuple[int, int]:
        best = (0, 0)
        start = None
        for index, token in enumerate([*tokens, ""]):
            unknown = len(token) > 1 and not self.lexicon.is_stopword(token) and not self.matcher.knows_word(token)
            if unknown and start is None:
                start = index
            elif not unknown and start is not None:
                if index - start > best[1] - best[0]:
                    best = (start, index)
                start = None
        return best

    def _without_network(self, top: IntentScore, words: list[str], state: DialogueState) -> _Reading:
        """A network question that names no known network: a follow-up, a question back, or out of scope."""
        guess = Guess(top.intent, None, top.score)
        if top.unexplained or top.score < ACCEPT:
            return _Reading("fallback", (), 1.0 - top.score, guess=guess)
        if state.network:
            return _Reading(top.intent, (state.network,), top.score)  # a follow-up: `А када је основан?`
        if top.intent == "membership":
            return _Reading("list", (), top.score)  # `Да ли је Ниш члан?` – of these networks
        with_slot = self.matcher.score([*words, SLOT]).get(top.intent, _ZERO)
        if with_slot.score >= ASK_WHICH_NETWORK:  # `Када је основана?` – which network?
            offers = tuple((top.intent, network_id) for network_id in list(self.networks)[:3])
            return _Reading("clarify", (), with_slot.score, offers, guess=guess)
        return _Reading("fallback", (), 1.0 - top.score, guess=guess)

    def _unsure(self, networks: tuple[str, ...], ranked: list[IntentScore], confidence: float) -> _Reading:
        """Ask back when a network is named but the question is unclear; otherwise admit ignorance."""
        guess = Guess(ranked[0].intent, networks[0] if networks else None, ranked[0].score) if ranked else None
        if not networks:
            return _Reading("fallback", (), confidence, guess=guess)
        intents = [s.intent for s in ranked if self.responses[s.intent].needs_network]
        for default in ("about", "joined", "goal"):
            if default not in intents:
                intents.append(default)
        offers = tuple((intent, networks[0]) for intent in intents[:3])
        return _Reading("clarify", networks, ranked[0].score if ranked else 0.0, offers, guess=guess)

    # Answering -------------------------------------------------------------

    def _compose(self, question: str, readings: list[_Reading], script: Script, state: DialogueState) -> Answer:
        sections: list[Section] = []
        suggested = [pair for reading in readings for pair in reading.suggestions]
        suggestions = [self.renderer.question(i, self.networks[n]) for i, n in suggested]
        for reading in readings:
            sections.extend(self._sections(reading))
        if readings[0].intent == "clarify":
            sections = [self.renderer.clarify(suggestions)]
        first = readings[0]
        network = first.networks[0] if first.networks and first.intent != "clarify" else None
        new_state = DialogueState(
            network=network or state.network,
            intent=first.intent if network else state.intent,
            script=script,
        )
        return Answer(
            question=question,
            intent=first.intent,
            network=network,
            confidence=max(0.0, min(1.0, first.confidence)),
            sections=tuple(s.in_script(script) for s in sections),
            suggestions=tuple(in_script(s, script) for s in suggestions),
            script=script,
            networks=tuple(dict.fromkeys(n for r in readings for n in r.networks)),
            suggested=tuple(suggested),
            state=new_state,
            guess=first.guess,
        )

    def _sections(self, reading: _Reading) -> list[Section]:
        if reading.intent == "clarify":
            return []
        if reading.asked is not None:
            return [self.renderer.unknown_network(reading.asked)]
        if reading.networks:
            return [self.renderer.about_network(reading.intent, self.networks[n]) for n in reading.networks]
        return [self.renderer.plain(reading.intent)]


class Conversation:
    """One user's dialogue: remembers the state between messages."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.state = DialogueState()

    def ask(self, question: str) -> Answer:
        answer = self.engine.answer(question, self.state)
        self.state = answer.state
        return answer


_ZERO = IntentScore("", 0.0, "", (), 0.0)


def _unique(readings: list[_Reading]) -> list[_Reading]:
    seen: set[tuple[str, tuple[str, ...]]] = set()
    result = []
    for reading in readings:
        key = (reading.intent, reading.networks)
        if key not in seen:
            seen.add(key)
            result.append(reading)
    return result


def _original_words(clause: str, folded_words: list[str]) -> str:
    """The user's own spelling of the words that were folded to `folded_words`."""
    wanted = set(folded_words)
    picked = [word for word in re.findall(r"[\w'’-]+", clause) if fold(word) in wanted]
    return " ".join(picked) or " ".join(folded_words)
