"""The understanding pipeline for one message: normalise → find networks → features → classify → decide.

`Understanding(bundle)` builds every stage from the loaded files (training or
reading the cached classifier) and `read(text, context)` returns what each
question of the message asks, as `Reading`s.  A message with several questions
is read question by question, each taking the network of the one before
(`Шта је НАЛЕД и где му је седиште?`); real questions win over the greetings
and thanks around them, and over statements beside them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path

from bot.intents import PLACEHOLDER, Example
from bot.lexicon import phrase_at
from bot.loader import Bundle
from bot.script import fold_tokens
from bot.understanding.classify import IntentModel, load_or_train, train, training_key
from bot.understanding.config import DEFAULT, Config
from bot.understanding.decide import FALLBACK, SMALL_TALK, Context, Decider, Evidence, Oracle, Reading
from bot.understanding.evidence import EvidenceBuilder, followup_lead
from bot.understanding.features import SLOT, Featuriser
from bot.understanding.networks import NetworkFinder
from bot.understanding.normalise import Clause, clauses, courtesy_bounds
from bot.understanding.search import FactIndex, Hit
from bot.understanding.words import Words, vocabulary_of

_NOT_SPACES = re.compile(r"\S+")
MIN_PREAMBLE = 2  # words before a question word that may be a preamble rather than part of the question


class Understanding(Oracle):
    def __init__(self, bundle: Bundle, model_cache: Path | None = None, config: Config = DEFAULT):
        self.config = config
        self.lexicon = bundle.lexicon
        self.responses = bundle.intents.responses
        self.networks = [n.id for n in bundle.knowledge.networks]
        self.finder = NetworkFinder(bundle.knowledge, self.lexicon)
        self.facts = FactIndex(bundle.knowledge, self.lexicon)
        self.fact_intents = {r.fact: r.intent for r in self.responses.values() if r.fact}
        self.featurise = Featuriser(self.lexicon)
        examples = bundle.intents.examples
        lines = [f"{e.intent}\t{e.text}\t{e.line}" for e in examples]  # what the model learns from, as written
        self.model: IntentModel = load_or_train(
            lambda: self._train(examples), training_key([*lines, *self.lexicon.suffixes]), model_cache
        )
        self.words = Words(self.lexicon, self.model.vocabulary, self.facts)
        self.city_intents = frozenset(r.intent for r in self.responses.values() if r.about_nis)
        self.evidence = EvidenceBuilder(
            self.lexicon, self.finder, self.rank, self.words, self.city_intents, self.needs_network
        )
        self.decide = Decider(self, config)
        self._rescored: tuple[tuple[str, ...], tuple[tuple[str, float], ...]] = ((), ())

    def _train(self, examples: Sequence[Example]) -> IntentModel:
        weights = example_weights(examples)  # a phrasing in both scripts counts once
        model = train([(self.featurise(tokens), intent, w) for (tokens, intent), w in weights.items()])
        return replace(model, vocabulary=vocabulary_of(weights, self.lexicon))

    def rank(self, tokens: Sequence[str]) -> list[tuple[str, float]]:
        """Every intent scored for the tokens (names already masked), best first."""
        return self.model.ranked(self.featurise(tokens))

    # Reading a message --------------------------------------------------------

    def read(self, text: str, context: Context) -> list[Reading]:
        config = self.config
        text = first_words(text[: config.max_chars], 2 * config.max_words)  # what clauses() then cuts exactly
        parts = clauses(text, self.lexicon, config.max_words, config.max_word_chars)
        parts = self._up_to_unknown_words(parts)
        if not parts:
            return [Reading(FALLBACK, rule="empty")]
        told = self._network_told(parts)
        read: list[tuple[Clause, Reading]] = []
        for clause in parts:
            asked_context = Context(told, context.intent) if told and not clause.statement else context
            reading = self.read_clause(clause, asked_context)
            read.append((clause, reading))
            if reading.networks:  # the network a part names is the next part's
                context = Context(reading.networks[0], reading.intent if reading.substantive else context.intent)
                told = None
        # a statement beside a question gives it context (`Лига историјских градова, од када је Ниш члан?`),
        # and does not stand in for a question that names no network and that we cannot answer
        # (`Шта је боље, НАЛЕД или СКГО?`); it does for one that does (`где да одем у СКГО, адреса`)
        asked = [r for c, r in read if r.substantive and not c.statement]
        substantive = asked
        if not asked and not any(not c.statement and not r.networks and self._asks(c.tokens, r) for c, r in read):
            substantive = [r for _, r in read if r.substantive]
        if substantive:
            return _merged(substantive)
        # a question we cannot answer is not drowned by the thanks around it
        unanswered = [r for c, r in read if r.intent not in SMALL_TALK and self._asks(c.tokens, r)]
        small_talk = [r for _, r in read if r.intent in SMALL_TALK]
        return unanswered[:1] or small_talk[:1] or [read[0][1]]

    def _up_to_unknown_words(self, parts: list[Clause]) -> list[Clause]:
        """The clauses up to the word that makes `max_unknown_words` words nobody knows; the rest is not read."""
        left = self.config.max_unknown_words
        kept = []
        for clause in parts:
            for index, token in enumerate(clause.tokens):
                if (self.words.is_content(token) or token.isdigit()) and not self.words.known(token):
                    left -= 1
                    if left == 0:
                        kept.append(replace(clause, tokens=clause.tokens[: index + 1]))
                        return kept
            kept.append(clause)
        return kept

    def _asks(self, tokens: Sequence[str], reading: Reading) -> bool:
        """Whether a part asks something: a question word and a word of meaning (`ко је освојио лигу
        шампиона`), words the classifier found out of scope (`има ли дроге у Нишу`), or two words of
        meaning that are not small talk's (`рецепт за сарму`); not courtesy and noise (`свима`, `на
        брзом одговору`, `како си`)."""
        start, end = courtesy_bounds(tuple(tokens), self.lexicon)
        words = [t for t in tokens[start:end] if self.words.is_content(t) and t not in self.words.courtesy_words]
        asking = {word for phrase in self.lexicon.question_words for word in phrase}
        meaning = [t for t in words if t not in asking]
        if not meaning:
            return False
        other = [t for t in meaning if not any(self.words.explains(i, [t]) for i in SMALL_TALK)]
        return len(meaning) < len(words) or reading.rule == "out_of_scope" or len(other) >= 2

    def read_clause(self, clause: Clause, context: Context) -> Reading:
        """The clause without courtesy; failing that, from its question word on; failing that, its courtesy."""
        tokens = clause.tokens
        start, end = courtesy_bounds(tokens, self.lexicon)
        core = tokens[start:end]
        reading = self.decide(self.evidence(clause, core or tokens, context))
        if reading.substantive or not core:
            return reading
        if asked := self._from_question_word(core):
            tail = self.decide(self.evidence(clause, asked, context))
            if tail.substantive:  # `пишем семинарски о енергетици па ме занима где је седиште Energy Cities`
                return tail
        if self._asks(core, reading):  # `Поштовани, ко је освојио лигу шампиона? Хвала.` stays a fallback
            return reading
        for part in (tokens, tokens[:start] + tokens[end:]):  # `Hvala, to je to`, `Dobar dan svima`
            if part and part != core:
                courtesy = self.decide(self.evidence(clause, part, context))
                if courtesy.intent in SMALL_TALK:
                    return courtesy
        return reading

    def _network_told(self, parts: list[Clause]) -> str | None:
        """A network named in a statement part (`Колико градова, питам за ECAD?`): the question's context."""
        for clause in parts:
            if clause.statement and (mentions := self.finder.find(clause.tokens)):
                return mentions[0].network_id
        return None

    def _from_question_word(self, tokens: tuple[str, ...]) -> tuple[str, ...] | None:
        """The clause from its first question word on, when words that ask nothing come before it."""
        for index in range(MIN_PREAMBLE, len(tokens)):
            if phrase_at(tokens, index, self.lexicon.question_words):
                before = tokens[:index]
                if any(phrase_at(before, i, self.lexicon.question_words) for i in range(len(before))):
                    return None
                return tokens[index:]
        return None

    # Oracle: what the rules may ask -------------------------------------------

    def needs_network(self, intent: str) -> bool:
        response = self.responses.get(intent)
        return bool(response and response.needs_network)

    def has_detail(self, intent: str, focus: str) -> bool:
        response = self.responses.get(intent)
        return bool(response and focus in response.details)

    def rescore_with_network(self, evidence: Evidence) -> tuple[tuple[str, float], ...]:
        """The clause, named no network, as if it named one (`а када је основан?` → `када је основан #`)."""
        if self._rescored[0] != evidence.tokens:  # two rules may ask in a row
            lead = followup_lead(evidence.tokens, self.lexicon.followup_markers)
            self._rescored = (evidence.tokens, tuple(self.rank([*evidence.tokens[lead:], SLOT])))
        return self._rescored[1]

    def explains(self, intent: str, evidence: Evidence) -> bool:
        return self.words.explains(intent, evidence.tokens)

    def facts_of(self, network_id: str | None, evidence: Evidence) -> list[Hit]:
        return self.facts.search(self.search_words(network_id, evidence), network_id)

    def search_words(self, network_id: str | None, evidence: Evidence) -> list[str]:
        """The question's own words: not names or question words, and when the network is yet to be
        found, neither the kind of thing asked for (`која мрежа`) nor `члан`, which every network has."""
        lexicon = self.lexicon
        inside = {i for m in evidence.mentions for i in range(m.start, m.end)}
        asking = {word for phrase in (*lexicon.question_words, *lexicon.identify_asking) for word in phrase}
        generic = lexicon.identify_kinds | lexicon.membership_words
        words = [
            t
            for i, t in enumerate(evidence.tokens)
            if i not in inside
            and t not in asking
            and (not self.words.is_filler(t) or (network_id is not None and lexicon.stem(t) in lexicon.identify_kinds))
            and (network_id is not None or lexicon.stem(t) not in generic)
        ]
        return self.facts.content(words)

    def intent_of_fact(self, fact: str) -> str | None:
        return self.fact_intents.get(fact)

    def offers(self) -> list[str]:
        return self.networks

    def about_the_city(self, intent: str) -> bool:
        return intent in self.city_intents

    def in_facts(self, network_id: str, word: str) -> bool:
        return bool(self.facts.search([word], network_id))


def first_words(text: str, count: int) -> str:
    """The text up to its `count`-th run of non-spaces: a long message is not folded and split beyond it."""
    ends = [match.end() for match in islice(_NOT_SPACES.finditer(text), count)]
    return text[: ends[-1]] if len(ends) == count else text


def example_tokens(text: str) -> list[str]:
    """Folded tokens of an example phrasing, with SLOT where `{network}` stands."""
    tokens: list[str] = []
    for index, part in enumerate(text.split(PLACEHOLDER)):
        if index:
            tokens.append(SLOT)
        tokens.extend(fold_tokens(part))
    return tokens


def example_weights(examples: Sequence[Example]) -> dict[tuple[tuple[str, ...], str], float]:
    """Each distinct (phrasing, intent) with its weight: 1/√n for one of the n phrasings its line gives."""
    per_line = Counter((e.intent, e.line or e.text) for e in examples)
    weights: dict[tuple[tuple[str, ...], str], float] = {}
    for e in examples:
        key = (tuple(example_tokens(e.text)), e.intent)
        weight = 1.0 / math.sqrt(per_line[e.intent, e.line or e.text])
        weights[key] = max(weight, weights.get(key, 0.0))
    return weights


def _merged(readings: Sequence[Reading]) -> list[Reading]:
    """One reading per (intent, networks), focus united, in order."""
    merged: dict[tuple[str, tuple[str, ...]], Reading] = {}
    for reading in readings:
        key = (reading.intent, reading.networks)
        earlier = merged.get(key)
        merged[key] = replace(earlier, focus=earlier.focus | reading.focus) if earlier else reading
    return list(merged.values())
