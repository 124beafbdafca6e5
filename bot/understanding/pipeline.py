"""The understanding pipeline for one message: normalise → find networks → features → classify → decide.

`Understanding(bundle)` builds every stage from the loaded files (training or
reading the cached classifier) and `read(text, context)` returns what each
question of the message asks, as `Reading`s.  The text is read once, into a
`Message` (`normalise`); its clauses and their spans go forward through the
stages, each adding what it finds.  A message with several questions is read
question by question, each taking the network of the one before (`Шта је НАЛЕД
и где му је седиште?`); real questions win over the greetings and thanks around
them, and over statements beside them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.intents import PLACEHOLDER, Example
from bot.loader import Bundle
from bot.phrases import has_phrase, words_of
from bot.script import fold_tokens
from bot.thresholds import DEFAULT, Config
from bot.understanding import normalise
from bot.understanding.classify import IntentModel, load_or_train, train, training_key
from bot.understanding.decide import Decider
from bot.understanding.evidence import EvidenceBuilder
from bot.understanding.features import SLOT, Featuriser
from bot.understanding.lookups import Lookups
from bot.understanding.message import Clause, Span
from bot.understanding.networks import NetworkFinder
from bot.understanding.search import FactIndex
from bot.understanding.spelling import Speller
from bot.understanding.types import FALLBACK, Context, Reading
from bot.understanding.words import Words, vocabulary_of


def taught_key(text: str) -> str:
    """A taught question's key: the same in either script, with or without diacritics and punctuation."""
    return " ".join(fold_tokens(text))


# what the parts read as one may find that none alone did: the network by its facts (`Безансон – шта је то, која
# мрежа има седиште тамо?`), or the networks of a scope (`кој су наши, српски савези де је Ниш`)
AS_ONE = frozenset({"identified_by_facts", "by_scope"})
WHICH = frozenset({"identify", "count", "list", "network"})  # tags (Lexicon.tags_in) of `which`
# The conditional's `би`, the words that open a condition with it, and the words after it that make it polite
# (`да ли би ми рекли`, `да ли бисте могли`): Serbian grammar, not content staff keep.
WOULD = "bi"
CONDITION_OPENERS = frozenset({"kad", "kada", "ako"})
POLITE_AFTER_WOULD = frozenset({"mi", "ti", "vi", "ste", "nam", "neko", "mogli", "mogao", "mogla", "znali", "znao"})


class Understanding:
    """The stages built from the loaded files; `read` runs them on a message."""

    def __init__(self, bundle: Bundle, model_cache: Path | None = None, config: Config = DEFAULT):
        self.config = config
        self.lexicon = bundle.lexicon
        self.finder = NetworkFinder(bundle.knowledge, self.lexicon, config)
        self.facts = FactIndex(
            bundle.knowledge, self.lexicon, config.min_sounded, config.min_derived, config.short_name
        )
        self.featurise = Featuriser(self.lexicon)
        examples = bundle.intents.examples
        lines = [f"{e.intent}\t{e.text}\t{e.line}" for e in examples]  # what the model learns from, as written
        self.model: IntentModel = load_or_train(
            lambda: self._train(examples),
            training_key([*lines, *self.lexicon.suffixes, f"min_stem {self.lexicon.min_stem}"]),
            model_cache,
        )
        self.words = Words(self.lexicon, self.model.vocabulary, self.facts, config)
        scope_words = {word for phrases in self.lexicon.scopes.values() for word in phrases.words}
        self.speller = Speller(scope_words, self.words.written)
        responses = bundle.intents.responses
        self.oracle = Lookups(bundle.knowledge, responses, self.lexicon, self.words, self.facts, self.rank)
        self.roles = self.oracle.intent_roles()  # small talk, the list…: what the intents are to the rules
        self.evidence = EvidenceBuilder(
            self.lexicon,
            self.finder,
            self.rank,
            self.words,
            self.oracle.city_intents,
            self.oracle.needs_network,
            self.roles.listing,
            self.facts.one_network_writes,
            config,
        )
        self.decide = Decider(self.oracle, config)
        self.taught = {taught_key(e.text): e for e in examples if e.taught}
        self._bare_asking = words_of(self.lexicon.question_words, self.lexicon.identify_asking)
        self._which_words = frozenset(phrase[0] for phrase in self.lexicon.identify_asking if len(phrase) == 1)

    def _train(self, examples: Sequence[Example]) -> IntentModel:
        weights = example_weights(examples)  # a phrasing in both scripts counts once
        model = train([(self.featurise(tokens), intent, w) for (tokens, intent), w in weights.items()])
        return replace(model, vocabulary=vocabulary_of(weights, self.lexicon))

    def rank(self, tokens: Sequence[str]) -> list[tuple[str, float]]:
        """Every intent scored for the tokens (names already masked), best first."""
        return self.model.ranked_words(tokens, self.featurise.word)

    # Reading a message --------------------------------------------------------

    def read(self, text: str, context: Context) -> list[Reading]:
        message = normalise.read(text, self.lexicon, self.config, self.speller)
        if self.taught and (taught := self.taught.get(taught_key(message.text))):
            return [Reading(taught.intent, (taught.network,) if taught.network else (), rule="taught")]
        parts = self._hypotheses_marked(self._up_to_unknown_words(message.clauses))
        if not parts:
            return [Reading(FALLBACK, rule="empty")]
        if (whole := self._with_statements(parts, context)) is not None:
            return [whole]
        named = self._networks_told(parts)
        told = named[0] if named else None
        read: list[tuple[Clause, Reading]] = []
        person: Reading | None = None  # a person we do not keep, asked for (`ко је на челу АВЕК-а`)
        for clause in parts:
            if person and "name" in clause.span.focus and not self.finder.mentions(clause.span):
                continue  # `…, како се зове`: that person's name, not the network's
            asked_context = replace(context, network=told, named=named) if told and not clause.statement else context
            reading = self.read_clause(clause, asked_context)
            read.append((clause, reading))
            person = reading if reading.rule == "role_not_kept" else person
            # the network a part names is the next part's; a list's first network is not (`Оћу само тија страњске
            # мреже, кво су, ће је Ниш члан` asks of them all)
            if reading.networks and reading.intent != self.roles.listing:
                intent = reading.intent if self._answers(reading) else context.intent
                context = replace(context, network=reading.networks[0], intent=intent, named=named)
                told = None
            elif clause.span.opener and reading.rule == "out_of_scope" and not told:
                # `а фудбалски савез, где му је седиште?` after ECAD: the new subject is none of ours
                context = replace(context, network=None)
        if any(r.rule == "hypothetical" for _, r in read):  # `Да Ниш није у ECAD-у, да ли би…`: its condition
            read = [(c, r) for c, r in read if not c.statement]
        read = self._which_the_story_told(read)
        # a statement beside a question gives it context (`Лига историјских градова, од када је Ниш члан?`),
        # and does not stand in for a question that names no network and that we cannot answer
        # (`Шта је боље, НАЛЕД или СКГО?`); it does for one that does (`где да одем у СКГО, адреса`)
        asked = [r for c, r in read if self._answers(r) and (not c.statement or self._requests(r))]
        # …nor for a part that asks for the whole list (`Pišem tekst o saradnji grada sa drugim gradovima: u kojim
        # je sve mrežama i udruženjima Niš?`): the statement says why, not which
        whole_list = any(r.intent == self.roles.listing and "list" in c.span.tags for c, r in read)
        if (
            len(parts) > 1
            and not any(r.networks for r in asked)
            and not whole_list
            and (whole := self._as_one(parts, context))
        ):
            return [whole]
        substantive = asked
        if not asked and not any(not c.statement and not r.networks and self._asks(c.span, r) for c, r in read):
            substantive = [r for _, r in read if self._answers(r)]
        if substantive:
            narrowed = self._scoped_by_statements(self._narrowed(substantive, read), read, context)
            return self._joining_in_membership(_merged(narrowed))
        # a question we cannot answer is not drowned by the thanks around it
        unanswered = [r for c, r in read if r.intent not in self.roles.small_talk and self._asks(c.span, r)]
        small_talk = [r for _, r in read if r.intent in self.roles.small_talk]
        return unanswered[:1] or small_talk[:1] or [read[0][1]]

    def _hypotheses_marked(self, parts: list[Clause]) -> list[Clause]:
        """`Да Ниш није у ECAD-у, да ли би било више дроге?`, `Шта би Ниш изгубио кад би иступио?`, `да ли би Ниш
        требало да уђе у још неку мрежу`: where the message sets a condition or a wish (`hypotheticals` in
        language.yml), a part that says `би` of its own asks what would be, which no fact says. Not `би` without
        one (`Šta bi bio AVEC?`, `Kad bi bio osnovan SKGO?`), nor the condition's own `би` (`Kad bi nis usao u
        ECAD?`), nor a polite one (`Ako znate, da li bi mi rekli…`)."""
        conditions = [has_phrase(c.span.core.tokens, self.lexicon.hypotheticals) for c in parts]
        would = [_says_would(c.span.core.tokens) for c in parts]
        if not any(conditions) or not any(would):
            return parts
        # (the condition's own part too: `Kada bi Niš istupio iz SKGO, šta bi izgubio?` asks nothing of SKGO)
        return [
            replace(c, hypothetical=True) if w or h else c for c, w, h in zip(parts, would, conditions, strict=True)
        ]

    def _which_the_story_told(self, read: list[tuple[Clause, Reading]]) -> list[tuple[Clause, Reading]]:
        """`…да је наш град у Истанбулу приступио некој мрежи…, кажите ми којој то`, `Niš je u maju pristupio nekoj
        mreži. Čime se ona bavi?`: a statement that finds a network by its facts, and a question after it read as a
        follow-up of that network. The citizen did not name it, so the answer first says which network it is, as
        the statement found it; a question that asks only which (`којој то`, `Kojoj?`) asks nothing more."""
        answered = list(read)
        for index, (clause, reading) in enumerate(read):
            if not (clause.statement and reading.rule == "identified_by_facts" and len(reading.networks) == 1):
                continue
            leaning = [
                later
                for later, r in read[index + 1 :]
                if r.rule == "follow_up" and r.networks == reading.networks and not later.statement
            ]
            if not leaning:
                continue
            answered[index] = (replace(clause, statement=False), reading)
            only_which = {id(later) for later in leaning if self._asks_only_which(later.span.core)}
            answered = [(c, r) for c, r in answered if id(c) not in only_which]
        return answered

    def _asks_only_which(self, span: Span) -> bool:
        """A word asking which stands alone, at the end or before a stop word (`којој то`, `koja je to`; not
        `које године`, which asks which year)."""
        tokens, lexicon = span.tokens, self.lexicon
        asking = self._which_words
        return any(
            token in asking and (i + 1 == len(tokens) or lexicon.is_stopword(tokens[i + 1]))
            for i, token in enumerate(tokens)
        )

    def _with_statements(self, parts: Sequence[Clause], context: Context) -> Reading | None:
        """A question that says nothing but `which` or `how many` (`istanbul i nis, koja je to mreza`, `Енерџи
        ситиз је пре имао француско име, које?`) read together with the statements beside it, when that
        answers it (`Kakve sve mreže grad ima? Ja sam student.` is better read in parts). A story that itself holds
        asking words (`Kupac iz Amerike pita da li je USAID pomagao neku od tih mreža. Koju?`, `Ćerka kaže da je Niš
        u Istanbulu ušao u neku mrežu… u koju?`) is read with it too, where no part names a network."""
        stated = any(c.statement and c.span.core.tokens for c in parts)  # (not courtesy alone: `ако смем да питам`)
        if not stated and len(parts) < 2:  # (the common case: nothing to read it with)
            return None
        bare = [  # not one that asks for the whole list (`…: u kojim je sve mrežama i udruženjima Niš?`)
            c
            for c in parts
            if not c.statement and self._bare(c.span) and self._asks_which(c.span) and "list" not in c.span.tags
        ]
        told = [c for c in parts if c not in bare]
        if not bare or not told or (not stated and not all(self._story(c.span) for c in told)):
            return None
        reading = self.read_clause(replace(_joined(parts, first=bare), asks_which=True), context)
        return reading if self._answers(reading) else None

    def _story(self, span: Span) -> bool:
        """A part that tells rather than asks, though asking words stand in it later (`Kupac iz Amerike pita da li
        je USAID…`): no network named, and no asking word among its first `min_preamble` words."""
        asking = self._bare_asking
        first = span.tokens[: self.config.min_preamble]
        return not self.finder.mentions(span) and not any(t in asking for t in first) and not span.opener

    def _as_one(self, parts: Sequence[Clause], context: Context) -> Reading | None:
        """The parts of a message read as one question, when that finds the network by its facts and the parts
        alone found none (`Безансон – шта је то, која мрежа има седиште тамо?`); the asking parts first."""
        reading = self.read_clause(_joined(parts, first=[c for c in parts if not c.statement]), context)
        return reading if reading.rule in AS_ONE and reading.networks else None

    def _asks_which(self, span: Span) -> bool:
        """`која`, `колико`, `набројте`, `чему`: the question asks which networks, or how many."""
        return not WHICH.isdisjoint(span.tags)

    def _bare(self, span: Span) -> bool:
        asking = self._bare_asking
        return all(  # a number is no filler: `Чему је Ниш приступио 2007?` says what it asks about
            t in asking or (not self.words.is_content(t) and not t.isdigit()) or self.words.is_filler(t)
            for t in span.unmarked
        )

    def _up_to_unknown_words(self, parts: Sequence[Clause]) -> list[Clause]:
        """The clauses up to the word that makes `max_unknown_words` words nobody knows; the rest is not read."""
        left = self.config.max_unknown_words
        kept = []
        for clause in parts:
            for index, token in enumerate(clause.tokens):
                if (self.words.is_content(token) or token.isdigit()) and not self.words.known(token):
                    left -= 1
                    if left == 0:
                        kept.append(clause.head(index + 1))
                        return kept
            kept.append(clause)
        return kept

    def _asks(self, span: Span, reading: Reading) -> bool:
        """Whether a part asks something: a question word and a word of meaning (`ко је освојио лигу
        шампиона`), words the classifier found out of scope (`има ли дроге у Нишу`), or two words of
        meaning that are not small talk's (`рецепт за сарму`); not courtesy and noise (`свима`, `на
        брзом одговору`, `како си`)."""
        start, end = span.courtesy
        words = [t for t in span.tokens[start:end] if self.words.is_content(t) and t not in self.words.courtesy_words]
        asking = self.lexicon.question_words.words
        meaning = [t for t in words if t not in asking]
        if not meaning:
            return False
        if len(meaning) < len(words) or reading.rule == "out_of_scope":
            return True  # (before the costlier look at small talk's words, which most questions never need)
        other = [t for t in meaning if not any(self.words.explains(i, [t]) for i in self.roles.small_talk)]
        return len(other) >= 2

    def read_clause(self, clause: Clause, context: Context) -> Reading:
        """The clause without courtesy; failing that, from its question word on; failing that, its courtesy."""
        whole = clause.span
        core = whole.core
        reading = self.decide(self.evidence(clause, core if core.tokens else whole, context))
        if not core.tokens and self._answers(reading):  # `је л тако?` after a claim asks no fact of its own
            return Reading(FALLBACK, rule="courtesy_only")
        if self._answers(reading) or not core.tokens:
            return reading
        if asked := self._from_question_word(core):
            tail = self.decide(self.evidence(clause, asked, context))
            if self._answers(tail):  # `пишем семинарски о енергетици па ме занима где је седиште Energy Cities`
                return tail
        if self._asks(core, reading):  # `Поштовани, ко је освојио лигу шампиона? Хвала.` stays a fallback
            return reading
        start, end = whole.courtesy
        courtesy_only = Span(whole.tokens[:start] + whole.tokens[end:], self.lexicon)
        for part in (whole, courtesy_only):  # `Hvala, to je to`, `Dobar dan svima`
            if part.tokens and part.tokens != core.tokens:
                courtesy = self.decide(self.evidence(clause, part, context))
                if courtesy.intent in self.roles.small_talk:
                    return courtesy
        return reading

    def _narrowed(self, readings: list[Reading], read: Sequence[tuple[Clause, Reading]]) -> list[Reading]:
        """Every network listed, by a part that does not itself ask for a list or a count, beside the networks
        of a scope is the scope's list said again (`Које су националне мреже, оне у Србији, у којима је Ниш?`):
        the narrower one stands. `Које су домаће мреже и колико укупно мрежа има Ниш?` asks for both."""
        listing = self.roles.listing
        if not any(r.intent == listing and r.scopes for r in readings):
            return readings
        said_again = [
            r
            for clause, r in read
            if r.intent == listing and not r.networks and not r.scopes and not {"count", "list"} & clause.span.tags
        ]
        return [r for r in readings if not any(r is again for again in said_again)]

    def _scoped_by_statements(
        self, readings: list[Reading], read: Sequence[tuple[Clause, Reading]], context: Context
    ) -> list[Reading]:
        """`Koje su od tih mreža naše, sa sedištem u Srbiji?`: the list of every network, asked beside a statement
        that names a scope, no network and no word we do not know, is that scope's list."""
        listing = self.roles.listing
        if len(readings) != 1 or readings[0].intent != listing or readings[0].networks or readings[0].scopes:
            return readings
        scopes: list[str] = []
        for clause, _ in read:
            if clause.statement:
                told = self.evidence(clause, clause.span, context)
                # (only a scope and words we know: not `učim srpski`, `očekujemo goste iz inostranstva`)
                if not told.mentions and not told.unknown_words:
                    scopes += [scope for scope in told.scopes if scope not in scopes]
        if not scopes:
            return readings
        networks = tuple(network for scope in scopes for network in self.oracle.of_scope(scope))
        return [replace(readings[0], networks=networks, scopes=tuple(scopes), rule="by_scope")]

    def _joining_in_membership(self, readings: list[Reading]) -> list[Reading]:
        """`Od kada je Niš u Energy Cities i da li je još uvek član?`: whether Niš is a member of a network, and
        since when, is answered by the membership answer first. It says when Niš joined where the file knows, so
        the joining answer folds into it; where the file does not, the joining answer follows it and says so."""
        roles, fact = self.roles, self.oracle.fact_of_intent(self.roles.joining)
        members: dict[tuple[str, ...], Reading] = {
            r.networks: r for r in readings if r.intent == roles.membership and len(r.networks) == 1
        }
        joined = [r for r in readings if r.intent == roles.joining and r.networks in members]
        if not joined or fact is None:
            return readings
        result: list[Reading] = []
        for reading in readings:
            if reading in joined:
                membership = members[reading.networks]
                known = self.oracle.fact_of(reading.networks[0], fact)
                result += [membership] if known else [membership, reading]
            else:
                result.append(reading)
        return _merged(result)

    def _requests(self, reading: Reading) -> bool:
        """A part without a question word that asks for one fact of a network all the same (`sajt energy cities i
        gde im je sediste`, `daj mi sajt ecad-a, i od kad je Nis tamo`): the classifier is sure of a fact that is
        neither the network's card nor its membership, which a statement beside a question would say."""
        roles = self.roles
        return (
            reading.rule == "answer"
            and len(reading.networks) == 1
            and reading.intent not in (roles.describing, roles.membership, roles.joining)
        )

    def _answers(self, reading: Reading) -> bool:
        """Whether the reading answers a question: not small talk, not a fallback or a question back."""
        return self.roles.answers(reading.intent)

    def _networks_told(self, parts: Sequence[Clause]) -> tuple[str, ...]:
        """Networks named in statement parts (`Колико градова, питам за ECAD?`, `НАЛЕД или СКГО, која је
        старија?`): the question's context, the first of them as its network."""
        found = (m.network_id for clause in parts if clause.statement for m in self.finder.mentions(clause.span))
        return tuple(dict.fromkeys(found))

    def _from_question_word(self, span: Span) -> Span | None:
        """The span from its first question word on, when words that ask nothing come before it: not a role
        or a detail asked for (`Cosenza je jedan od osnivača koje mreže?` is no list of every network)."""
        index = next((i for i in span.question_words if i >= self.config.min_preamble), None)
        if index is None or has_phrase(span.tokens[:index], self.lexicon.question_words):
            return None
        preamble = Span(span.tokens[:index], self.lexicon)
        if any(tag.startswith(("role:", "focus:")) for tag in preamble.tags):
            return None
        words = self.words
        # (past small words: `а мој град Лесковац је ли међу њима`)
        subject = [t for t in preamble.tokens[preamble.opener :] if not self.lexicon.is_stopword(t)][:2]
        named = any(self.lexicon.is_kind(t) or (words.is_content(t) and not words.is_filler(t)) for t in subject)
        if preamble.opener and preamble.tokens[0] in normalise.CONJUNCTIONS and named:
            return None  # `а лига шампиона када је основана`, `a Crvena zvezda kada…`: what follows `а` is asked of
        return Span(span.tokens[index:], self.lexicon)


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


def _says_would(tokens: Sequence[str]) -> bool:
    """`би` of the conditional, asking: not right after `кад`, `ако` (the condition's own) nor before a polite word."""
    return any(
        token == WOULD
        and (index == 0 or tokens[index - 1] not in CONDITION_OPENERS)
        and (index + 1 == len(tokens) or tokens[index + 1] not in POLITE_AFTER_WOULD)
        for index, token in enumerate(tokens)
    )


def _merged(readings: Sequence[Reading]) -> list[Reading]:
    """One reading per (intent, networks), focus united, in order."""
    merged: dict[tuple[str, tuple[str, ...]], Reading] = {}
    for reading in readings:
        key = (reading.intent, reading.networks)
        earlier = merged.get(key)
        merged[key] = replace(earlier, focus=earlier.focus | reading.focus) if earlier else reading
    return list(merged.values())


def _joined(parts: Sequence[Clause], first: Sequence[Clause]) -> Clause:
    """The parts as one clause, `first` first, as if asked in one sentence (`која је мрежа основана у Стокхолму`)."""
    ordered = [*first, *(c for c in parts if c not in first)]
    tokens = tuple(t for c in ordered for t in c.tokens)
    # (the text in the tokens' order, so each word's capital stays with its token; a part's first word is
    # capitalised because it begins a sentence, which says no name: `Đaci su pronašli…`, `Kojoj?`)
    text = " ".join(c.text.strip()[:1].lower() + c.text.strip()[1:] for c in ordered)
    return Clause(text, Span(tokens, parts[0].span.lexicon))
