"""The understanding pipeline for one message: normalise → find networks → features → classify → decide.

`Understanding(bundle)` builds every stage from the loaded files (training or
reading the cached classifier) and `read(text, context)` returns what each
question of the message asks, as `Reading`s.  A message with several questions
is read question by question, each taking the network of the one before
(`Шта је НАЛЕД и где му је седиште?`); real questions win over the greetings
and thanks around them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.intents import PLACEHOLDER
from bot.lexicon import phrase_at
from bot.loader import Bundle
from bot.script import fold, fold_tokens
from bot.understanding.classify import IntentModel, load_or_train, training_key
from bot.understanding.config import DEFAULT, Config
from bot.understanding.decide import FALLBACK, SMALL_TALK, Context, Decider, Evidence, Oracle, Reading
from bot.understanding.features import SLOT, featurise, masked
from bot.understanding.networks import Mention, NetworkFinder, max_edits, unknown_name
from bot.understanding.normalise import CONJUNCTIONS, Clause, clauses, courtesy_bounds, focus_of
from bot.understanding.search import FactIndex, Hit

MIN_PREAMBLE = 2  # words before a question word that may be a preamble rather than part of the question
IDENTIFY_WINDOW = 3  # `koja je to evropska mreza`: the kind of thing asked for stands this close
_WORD = re.compile(r"[\w'’-]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


class Understanding(Oracle):
    def __init__(self, bundle: Bundle, model_cache: Path | None = None, config: Config = DEFAULT):
        self.config = config
        self.lexicon = bundle.lexicon
        self.responses = bundle.intents.responses
        self.networks = [n.id for n in bundle.knowledge.networks]
        self.finder = NetworkFinder(bundle.knowledge, self.lexicon)
        self.facts = FactIndex(bundle.knowledge, self.lexicon)
        self.fact_intents = {r.fact: r.intent for r in self.responses.values() if r.fact}
        unique = {(tuple(example_tokens(e.text)), e.intent): None for e in bundle.intents.examples}
        examples = [(list(tokens), intent) for tokens, intent in unique]  # a phrasing in both scripts counts once
        texts = [f"{intent}\t{' '.join(tokens)}" for tokens, intent in examples]
        self.model: IntentModel = load_or_train(
            lambda: [(featurise(tokens, self.lexicon), intent) for tokens, intent in examples],
            training_key([*texts, *self.lexicon.suffixes]),
            model_cache,
        )
        self.vocabulary: dict[str, set[str]] = defaultdict(set)  # intent -> stems its examples use
        for tokens, intent in examples:
            self.vocabulary[intent].update(self.lexicon.stem(t) for t in tokens if t != SLOT)
        self.known_stems = set().union(*self.vocabulary.values()) | set(self.facts.idf)
        self.city_intents = frozenset(r.intent for r in self.responses.values() if r.about_nis)
        self.example_stems = set().union(*self.vocabulary.values())
        self._known_list = sorted(self.known_stems)
        self._example_list = sorted(self.example_stems)
        self.courtesy_words = {phrase[0] for phrase in self.lexicon.courtesy if len(phrase) == 1}
        self.decide = Decider(self, config)

    # Reading a message --------------------------------------------------------

    def read(self, text: str, context: Context) -> list[Reading]:
        parts = clauses(text[: self.config.max_chars], self.lexicon)
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
        asked = [r for c, r in read if r.substantive and not c.statement]
        substantive = asked or [r for _, r in read if r.substantive]
        if substantive:
            return _merged(substantive)
        small_talk = [r for _, r in read if r.intent in SMALL_TALK]
        return small_talk[:1] or [read[0][1]]

    def _network_told(self, parts: list[Clause]) -> str | None:
        """A network named in a statement part (`Колико градова, питам за ECAD?`): the question's context."""
        for clause in parts:
            if clause.statement and (mentions := self.finder.find(clause.tokens)):
                return mentions[0].network_id
        return None

    def read_clause(self, clause: Clause, context: Context) -> Reading:
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
        for part in (tokens, tokens[:start] + tokens[end:]):  # `Hvala, to je to`, `Dobar dan svima`
            if part and part != core:
                courtesy = self.decide(self.evidence(clause, part, context))
                if courtesy.intent in SMALL_TALK:
                    return courtesy
        return reading

    def _from_question_word(self, tokens: tuple[str, ...]) -> tuple[str, ...] | None:
        """The clause from its first question word on, when words that ask nothing come before it."""
        for index in range(MIN_PREAMBLE, len(tokens)):
            if phrase_at(tokens, index, self.lexicon.question_words):
                before = tokens[:index]
                if any(phrase_at(before, i, self.lexicon.question_words) for i in range(len(before))):
                    return None
                return tokens[index:]
        return None

    def evidence(self, clause: Clause, tokens: tuple[str, ...], context: Context) -> Evidence:
        mentions = tuple(self.finder.find(tokens))
        inside = {i for m in mentions for i in range(m.start, m.end)}
        rest = [t for i, t in enumerate(tokens) if i not in inside]
        content = [t for t in rest if self._is_content(t)]
        unexplained = tuple(t for t in content if not self._known(t, self.example_stems, self._example_list))
        unknown = tuple(t for t in unexplained if not self._known(t, self.known_stems, self._known_list))
        lead = _followup_lead(tokens, self.lexicon.followup_markers)
        names_city = any(t in self.lexicon.city for t in rest)
        ranked = self.model.ranked(featurise(masked(tokens, self._with_kinds(tokens, mentions)), self.lexicon))
        evidence = Evidence(
            tokens=tokens,
            mentions=mentions,
            ranked=tuple(self._about_whom(ranked, names_city)),
            focus=focus_of(tokens, self.lexicon),
            unknown_words=unknown,
            unexplained_words=unexplained,
            filler_only=all(self._is_filler(t) for t in rest[lead:] if t),
            followup_lead=lead > 0,
            only_question_words=bool(tokens[lead:]) and self._only_question_words(tokens[lead:]),
            identifying=self._identifying(tokens),
            membership_worded=any(self.lexicon.stem(t) in self.lexicon.membership_words for t in rest),
            names_city=names_city,
            context=context,
        )
        if mentions:
            return evidence
        start, end = unknown_name(
            tokens, lambda t: t not in unknown or self.lexicon.stem(t) in self.lexicon.membership_words
        )
        if start == end:
            return evidence
        start, end = self._whole_name(clause.text, tokens, start, end)
        words = tokens[start:end]
        masked_tokens = [*tokens[:start], SLOT, *tokens[end:]]
        return replace(
            evidence,
            ranked=tuple(self._about_whom(self.model.ranked(featurise(masked_tokens, self.lexicon)), names_city)),
            unknown_name=_original_words(clause.text, words),
            near_name=self.finder.near_name(words),
            name_like=self._name_like(clause.text, tokens, start, words),
        )

    def _about_whom(self, ranked: list[tuple[str, float]], names_city: bool) -> list[tuple[str, float]]:
        """Questions about Niš's own membership name Niš (or `ми`); without it, those intents drop out:
        `Од које године ради ECAD?` asks when ECAD began, not when Niš joined."""
        return (
            ranked if names_city else [(intent, score) for intent, score in ranked if intent not in self.city_intents]
        )

    def _with_kinds(self, tokens: Sequence[str], mentions: Sequence[Mention]) -> list[Mention]:
        """Mentions grown over a kind noun right beside them (`мрежи ECAD`, `Energy Cities asocijacija`):
        the noun only says what the network is, and must not pull towards `list`."""
        kinds = self.lexicon.identify_kinds
        grown = []
        for mention in mentions:
            start, end = mention.start, mention.end
            if start > 0 and self.lexicon.stem(tokens[start - 1]) in kinds:
                start -= 1
            if end < len(tokens) and self.lexicon.stem(tokens[end]) in kinds:
                end += 1
            grown.append(replace(mention, start=start, end=end))
        return grown

    def _whole_name(self, text: str, tokens: Sequence[str], start: int, end: int) -> tuple[int, int]:
        """Grow an unknown name over the capitalised words around it, and over one small word between
        two of them (`Унија градова Дунава`); never over the city, `члан`, `мрежа` or the first word."""
        capitals = _capitalised(text, tokens)
        if capitals is None:
            return start, end
        lexicon = self.lexicon
        never = lexicon.membership_words | lexicon.identify_kinds

        def joinable(index: int) -> bool:
            return (
                0 < index < len(tokens)
                and tokens[index] not in lexicon.city
                and lexicon.stem(tokens[index]) not in never
            )

        def capital(index: int) -> bool:
            return joinable(index) and capitals[index]

        while capital(start - 1) or (joinable(start - 1) and capital(start - 2)):
            start -= 1
        while capital(end) or (joinable(end) and capital(end + 1)):
            end += 1
        return start, end

    # Oracle: what the rules may ask -------------------------------------------

    def needs_network(self, intent: str) -> bool:
        response = self.responses.get(intent)
        return bool(response and response.needs_network)

    def has_detail(self, intent: str, focus: str) -> bool:
        response = self.responses.get(intent)
        return bool(response and focus in response.details)

    def rescore_with_network(self, evidence: Evidence) -> tuple[tuple[str, float], ...]:
        """The clause, named no network, as if it named one (`а када је основан?` → `када је основан #`)."""
        lead = _followup_lead(evidence.tokens, self.lexicon.followup_markers)
        tokens = [*evidence.tokens[lead:], SLOT]
        return tuple(self.model.ranked(featurise(tokens, self.lexicon)))

    def explains(self, intent: str, evidence: Evidence) -> bool:
        words = [t for t in evidence.tokens if self._is_content(t) and not self._is_reference(t)]
        vocabulary = self.vocabulary.get(intent, set())
        return all(self._known(t, vocabulary, sorted(vocabulary)) for t in words)

    def facts_of(self, network_id: str | None, evidence: Evidence) -> list[Hit]:
        return self.facts.search(self.search_words(network_id, evidence), network_id)

    def search_words(self, network_id: str | None, evidence: Evidence) -> list[str]:
        """The question's own words: not names or question words, and when the network is yet to be
        found, neither the kind of thing asked for (`која мрежа`) nor `члан`, which every network has."""
        inside = {i for m in evidence.mentions for i in range(m.start, m.end)}
        asking = {word for phrase in (*self.lexicon.question_words, *self.lexicon.identify_asking) for word in phrase}
        lexicon = self.lexicon
        generic = lexicon.identify_kinds | lexicon.membership_words
        words = [
            t
            for i, t in enumerate(evidence.tokens)
            if i not in inside
            and t not in asking
            and (not self._is_filler(t) or (network_id is not None and lexicon.stem(t) in lexicon.identify_kinds))
            and (network_id is not None or lexicon.stem(t) not in generic)
        ]
        return self.facts.content(words)

    def intent_of_fact(self, fact: str) -> str | None:
        return self.fact_intents.get(fact)

    def offers(self) -> list[str]:
        return self.networks

    def about_the_city(self, intent: str) -> bool:
        return intent in self.city_intents

    # Word tests ---------------------------------------------------------------

    def _is_content(self, token: str) -> bool:
        return len(token) > 1 and not self.lexicon.is_stopword(token) and not token.isdigit()

    def _is_filler(self, token: str) -> bool:
        """Words that add nothing beside a network's name (`Niš i NALED`, `ECAD organizacija`):
        the city, courtesy, `i`, the kind of thing a network is.

        Stop words such as `je li` are not filler: `je li nis u ekadu` asks something.
        """
        lexicon = self.lexicon
        return (
            len(token) <= 1
            or token in CONJUNCTIONS
            or token in lexicon.city
            or lexicon.stem(token) in lexicon.identify_kinds
            or token in lexicon.followup_markers
            or token in self.courtesy_words
        )

    def _is_reference(self, token: str) -> bool:
        """Words a follow-up may use on top of the intent's own: `тамо`, `њему`, courtesy."""
        return token in self.lexicon.references or token in self.courtesy_words

    def _known(self, token: str, stems: set[str], ordered: Sequence[str]) -> bool:
        stem = self.lexicon.stem(token)
        if stem in stems or token in stems or token in self.lexicon.references or stem in self.lexicon.identify_kinds:
            return True
        if len(token) < 5:
            return False
        return process.extractOne(token, ordered, scorer=OSA.distance, score_cutoff=max_edits(len(token))) is not None

    def _only_question_words(self, tokens: Sequence[str]) -> bool:
        position = 0
        while position < len(tokens):
            phrase = phrase_at(tokens, position, self.lexicon.question_words)
            if phrase is None:
                return False
            position += len(phrase)
        return True

    def _identifying(self, tokens: Sequence[str]) -> bool:
        for index in range(len(tokens)):
            phrase = phrase_at(tokens, index, self.lexicon.identify_asking)
            if phrase is None:
                continue
            after = tokens[index + len(phrase) : index + len(phrase) + IDENTIFY_WINDOW]
            if any(self.lexicon.stem(t) in self.lexicon.identify_kinds for t in after):
                return True
        return False

    def _name_like(self, text: str, tokens: Sequence[str], start: int, words: Sequence[str]) -> bool:
        """Capitals after the first word, Latin inside Cyrillic, or `mreža X`: how people write names."""
        if start > 0 and self.lexicon.stem(tokens[start - 1]) in self.lexicon.identify_kinds:
            return True
        wanted = set(words)
        originals = _WORD.findall(text)
        cyrillic = len(_CYRILLIC.findall(text)) >= 3
        for position, word in enumerate(originals):
            if fold(word) not in wanted:
                continue
            if (position > 0 and word[:1].isupper()) or (len(word) > 1 and word.isupper()):
                return True
            if cyrillic and not _CYRILLIC.search(word):
                return True
        return False


def example_tokens(text: str) -> list[str]:
    """Folded tokens of an example phrasing, with SLOT where `{network}` stands."""
    tokens: list[str] = []
    for index, part in enumerate(text.split(PLACEHOLDER)):
        if index:
            tokens.append(SLOT)
        tokens.extend(fold_tokens(part))
    return tokens


def _capitalised(text: str, tokens: Sequence[str]) -> list[bool] | None:
    """For each folded token, whether the user wrote its word with a capital; None when they do not align."""
    flags = [word[:1].isupper() for word in _WORD.findall(text) for _ in fold(word).split()]
    return flags if len(flags) == len(tokens) else None


def _followup_lead(tokens: Sequence[str], markers: frozenset[str]) -> int:
    """How many leading tokens form a follow-up opener (`а`, `а шта је са`), longest first."""
    for size in range(min(5, len(tokens)), 0, -1):
        if " ".join(tokens[:size]) in markers:
            return size
    return 0


def _merged(readings: list[Reading]) -> list[Reading]:
    """One reading per (intent, networks), focus united, in order."""
    merged: dict[tuple[str, tuple[str, ...]], Reading] = {}
    for reading in readings:
        key = (reading.intent, reading.networks)
        earlier = merged.get(key)
        merged[key] = replace(earlier, focus=earlier.focus | reading.focus) if earlier else reading
    return list(merged.values())


def _original_words(text: str, folded_words: Sequence[str]) -> str:
    """The user's own spelling of the words that were folded to `folded_words`."""
    wanted = set(folded_words)
    picked = [word for word in _WORD.findall(text) if fold(word) in wanted]
    return " ".join(picked) or " ".join(folded_words)
