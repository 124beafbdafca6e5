"""Stage 5: what one question asks, decided by rules tried in a listed order.

Each rule looks at the `Evidence` of one clause (the earlier stages' output)
and either decides a `Reading` or passes.  The first that decides wins; its
name goes into the reading (`rule`), so a log line or a test can say why.

    names_only            `NALED`, `Niš i SKGO`, `А ECAD?`: the card, or the last question again
    detail_of_last        `а где?` after `када је основан ECAD`: the same question, asking where
    unknown_network       `да ли је Ниш члан Eurocities`: not in our records (never for a near name)
    identified_by_facts   `која мрежа окупља локалне власти у Србији`: the fact names the network
    answer                the classifier is sure, and the question names its network (or needs none)
    follow_up             `а колико има чланова?`: a network question whose network is the last one
    fact_of_network       `ко председава Лигом…`: a word the examples lack, in one of its facts
    out_of_scope          the classifier says out of scope
    ask_back              a network is named but the question is unclear: offer its likeliest questions
    which_network         `када је основана?` with nothing before it: offer networks
    (otherwise)           fallback: say what the bot can answer

A confidently wrong answer is worse than a question back or a fallback, so
every rule that answers demands its evidence; the rest of the list is the
safety net.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.understanding.config import Config
from bot.understanding.networks import Mention
from bot.understanding.search import Hit

FALLBACK = "fallback"
CLARIFY = "clarify"
SMALL_TALK = frozenset({"greeting", "thanks", "help"})


@dataclass(frozen=True)
class Guess:
    """The engine's best reading of a question it did not answer outright (for staff reports)."""

    intent: str
    network: str | None
    score: float


@dataclass(frozen=True)
class Reading:
    """What one clause of a message was understood to ask."""

    intent: str
    networks: tuple[str, ...] = ()
    confidence: float = 1.0
    focus: frozenset[str] = frozenset()
    suggestions: tuple[tuple[str, str], ...] = ()  # (intent, network id) pairs to offer
    asked: str | None = None  # an unknown network's name, for `membership`
    fact: str | None = None  # the fact that identified the network, shown beside the card
    guess: Guess | None = None
    rule: str = ""

    @property
    def substantive(self) -> bool:
        return self.intent not in SMALL_TALK and self.intent not in (FALLBACK, CLARIFY)


@dataclass(frozen=True)
class Context:
    """What the conversation carries into this clause."""

    network: str | None = None
    intent: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Everything the earlier stages found in one clause."""

    tokens: tuple[str, ...]  # folded, courtesy set aside
    mentions: tuple[Mention, ...]
    ranked: tuple[tuple[str, float], ...]  # intents by classifier score, names masked
    focus: frozenset[str] = frozenset()
    unknown_words: tuple[str, ...] = ()  # content words neither the examples nor the facts know
    unexplained_words: tuple[str, ...] = ()  # content words the examples do not know (the facts may)
    filler_only: bool = False  # nothing but names, the city, stop words and courtesy
    followup_lead: bool = False  # opens with `а`, `а шта је са`…
    only_question_words: bool = False  # `а где?`
    unknown_name: str | None = None  # the user's words for a network we do not know
    near_name: str | None = None  # …unless they are a near miss of this network's name
    name_like: bool = False  # those words look like a name (capitals, Latin in Cyrillic, `mreža X`)
    identifying: bool = False  # `која мрежа …`
    membership_worded: bool = False  # `члан`, `припада`…
    names_city: bool = False  # `Ниш` stands in it: `када је основан Ниш` is about the city
    strangers: tuple[str, ...] = ()  # proper nouns that are neither the city nor our networks (`Србије`)
    content_words: tuple[str, ...] = ()  # words of meaning outside the names (`ne` has none)
    context: Context = field(default_factory=Context)

    @property
    def networks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.network_id for m in self.mentions))

    @property
    def top(self) -> tuple[str, float]:
        return self.ranked[0] if self.ranked else (FALLBACK, 0.0)

    @property
    def margin(self) -> float:
        return self.ranked[0][1] - self.ranked[1][1] if len(self.ranked) > 1 else self.top[1]

    @property
    def mention_score(self) -> float:
        return min((m.score for m in self.mentions), default=1.0)


class Oracle:
    """What rules may ask the rest of the pipeline (kept apart so decide stays pure)."""

    def needs_network(self, intent: str) -> bool:
        raise NotImplementedError

    def has_detail(self, intent: str, focus: str) -> bool:
        raise NotImplementedError

    def rescore_with_network(self, evidence: Evidence) -> tuple[tuple[str, float], ...]:
        """The clause's intents scored as if a network were named (for follow-ups)."""
        raise NotImplementedError

    def explains(self, intent: str, evidence: Evidence) -> bool:
        """Whether every content word of the clause is one the intent's examples use."""
        raise NotImplementedError

    def facts_of(self, network_id: str | None, evidence: Evidence) -> list[Hit]:
        raise NotImplementedError

    def search_words(self, network_id: str | None, evidence: Evidence) -> list[str]:
        """The question's words that `facts_of` looks for."""
        raise NotImplementedError

    def intent_of_fact(self, fact: str) -> str | None:
        raise NotImplementedError

    def offers(self) -> list[str]:
        """Networks to offer when a network question names none."""
        raise NotImplementedError

    def in_facts(self, network_id: str, word: str) -> bool:
        """Whether one of the network's facts uses the word (`Брисел` is in Energy Cities' seat)."""
        raise NotImplementedError

    def about_the_city(self, intent: str) -> bool:
        """Whether the intent asks about Niš itself (`about_nis` in responses.yml): `joined`, `membership`."""
        raise NotImplementedError


Rule = Callable[["Decider", Evidence], Reading | None]


class Decider:
    def __init__(self, oracle: Oracle, config: Config):
        self.oracle = oracle
        self.config = config

    def __call__(self, evidence: Evidence) -> Reading:
        for rule in RULES:
            reading = rule(self, evidence)
            if reading is not None:
                return reading
        return self._fallback(evidence, "nothing_fits")

    # The rules, in the order RULES lists them --------------------------------

    def names_only(self, e: Evidence) -> Reading | None:
        if not e.mentions or not e.filler_only:
            return None
        networks = e.networks[: self.config.max_networks]
        last = e.context.intent
        if e.followup_lead and last and self.oracle.needs_network(last):
            return Reading(last, networks, e.mention_score, rule="names_only")
        return Reading("about", networks, e.mention_score, rule="names_only")

    def detail_of_last(self, e: Evidence) -> Reading | None:
        last, network = e.context.intent, e.context.network
        if e.mentions or not e.only_question_words or not (last and network) or not e.focus:
            return None
        if not all(self.oracle.has_detail(last, focus) for focus in e.focus):
            return None
        return Reading(last, (network,), 1.0, focus=e.focus, rule="detail_of_last")

    def unknown_network(self, e: Evidence) -> Reading | None:
        """`Да ли је Ниш члан Eurocities?`: needs the city, or `Da li je Srbija u NATO?` would qualify."""
        if e.mentions or e.unknown_name is None or not (e.name_like or e.membership_worded) or not e.names_city:
            return None
        intent, score = e.top
        if intent != "membership" or score < self.config.accept:
            return None
        if e.near_name is not None:  # `da li je nis clan nalde` is a typo, never "not in our records"
            offers = tuple((i, e.near_name) for i in ("membership", "about", "joined"))
            return Reading(CLARIFY, (e.near_name,), score, suggestions=offers, rule="unknown_network")
        return Reading("membership", (), score, asked=e.unknown_name, rule="unknown_network")

    def identified_by_facts(self, e: Evidence) -> Reading | None:
        if e.mentions or not e.identifying:
            return None
        best: dict[str, Hit] = {}
        asked = max(1, len(self.oracle.search_words(None, e)))
        for hit in self.oracle.facts_of(None, e):
            enough = len(hit.matched) >= max(self.config.identify_words, self.config.identify_share * asked)
            if enough:
                best.setdefault(hit.network_id, hit)
        ranked = sorted(best.values(), key=lambda hit: -hit.score)
        if not ranked or ranked[0].score < self.config.identify:
            return None
        if len(ranked) > 1 and ranked[0].score < self.config.identify_lead * ranked[1].score:
            return None
        winner = ranked[0]
        fact = None if winner.fact == "about" else winner.fact
        return Reading("about", (winner.network_id,), 1.0, fact=fact, rule="identified_by_facts")

    def answer(self, e: Evidence) -> Reading | None:
        intent, score = e.top
        if intent == FALLBACK or not self._sure(e, score):
            return None
        if not self.oracle.needs_network(intent):
            # no network to anchor it: the intent's examples use every word (`Које мреже мобилне
            # телефоније…` is no list of our networks); small talk states no fact, so for it no unknown
            # word and the stricter score are enough
            small_talk = intent in SMALL_TALK and not e.unknown_words and score >= self.config.accept_with_unknown_words
            if not (small_talk or self.oracle.explains(intent, e)):
                return None
            return Reading(intent, (), score, rule="answer")
        if not e.mentions:
            return None
        networks = e.networks[: self.config.max_networks]
        return Reading(intent, networks, score * e.mention_score, focus=e.focus, rule="answer")

    def follow_up(self, e: Evidence) -> Reading | None:
        if e.mentions or (best := self._as_if_named(e, self.config.accept)) is None:
            return None
        intent, score = best
        network = e.context.network
        if network and self.oracle.explains(intent, e) and not e.unknown_words:
            return Reading(intent, (network,), score, focus=e.focus, rule="follow_up")
        if network is None and intent == "membership" and e.membership_worded and self.oracle.explains(intent, e):
            return Reading("list", (), score, rule="follow_up")  # `Да ли је Ниш члан?` – of these networks
        return None

    def fact_of_network(self, e: Evidence) -> Reading | None:
        """A fact of the one named network holds a word the examples never used, or, when the
        classifier is unsure, two of the question's words (`ECAD 2007 konferencija`).  It must not
        overrule the classifier: the fact is its best intent's, or the classifier has none."""
        if len(e.networks) != 1:
            return None
        network = e.networks[0]
        top, score = e.top
        lost = top == FALLBACK or score < self.config.ask_back
        unsure = lost or score < self.config.accept
        new_words = set(e.unexplained_words)
        hits = [
            hit
            for hit in self.oracle.facts_of(network, e)
            if new_words & set(hit.matched) or (unsure and len(hit.matched) >= self.config.identify_words)
        ]
        if not hits or hits[0].score < self.config.fact_of_network:
            return None
        intent = self.oracle.intent_of_fact(hits[0].fact)
        if intent is None or not (lost or intent == top):
            return None
        return Reading(intent, (network,), e.mention_score, focus=e.focus, rule="fact_of_network")

    def out_of_scope(self, e: Evidence) -> Reading | None:
        intent, score = e.top
        if intent != FALLBACK or score < self.config.out_of_scope:
            return None
        return self._fallback(e, "out_of_scope")

    def ask_back(self, e: Evidence) -> Reading | None:
        """Offer the named network's likeliest questions when the words are known but the intent is torn;
        words nothing explains (`Колико пута годишње се састаје ECAD?`) ask what we do not keep."""
        if not e.mentions or e.unknown_words:
            return None
        intent, score = e.top
        if score < self.config.ask_back and intent != FALLBACK:
            return None
        network = e.networks[0]
        intents = [i for i, _ in e.ranked if self.oracle.needs_network(i)]
        for default in ("about", "joined", "goal"):
            if default not in intents:
                intents.append(default)
        offers = tuple((i, network) for i in intents[:3])
        guess = Guess(intent, network, score)
        return Reading(CLARIFY, (network,), score, suggestions=offers, guess=guess, rule="ask_back")

    def which_network(self, e: Evidence) -> Reading | None:
        if e.mentions or e.context.network or e.unknown_words or e.names_city or not e.content_words:
            return None
        if (best := self._as_if_named(e, self.config.ask_which_network)) is None:
            return None
        intent, score = best
        if intent == "membership" or not self.oracle.explains(intent, e):
            return None
        offers = tuple((intent, network) for network in self.oracle.offers()[:3])
        return Reading(CLARIFY, (), score, suggestions=offers, guess=Guess(intent, None, score), rule="which_network")

    # Helpers -----------------------------------------------------------------

    def _as_if_named(self, e: Evidence, threshold: float) -> tuple[str, float] | None:
        """The best intent of a clause that names no network, read as if it named one, when that intent
        needs a network and scores at least `threshold` (`а када је основан?` → founded)."""
        rescored = self.oracle.rescore_with_network(e)
        if not rescored:
            return None
        intent, score = rescored[0]
        if not self.oracle.needs_network(intent) or score < threshold:
            return None
        return intent, score

    def _sure(self, e: Evidence, score: float) -> bool:
        """Score and margin enough; more when a word is unknown.  Never when a question about Niš's own
        membership names some other subject instead (`Da li je Beograd član Lige…`), or when it narrows
        to a name the network's facts do not know (`Колико градова из Србије је у ECAD-у?`)."""
        intent = e.top[0]
        other_subject = self.oracle.about_the_city(intent) and not e.names_city and bool(e.unexplained_words)
        narrowed = any(not self.oracle.in_facts(network, word) for network in e.networks for word in e.strangers)
        needed = self.config.accept_with_unknown_words if e.unknown_words else self.config.accept
        return score >= needed and e.margin >= self.config.margin and not other_subject and not narrowed

    def _fallback(self, e: Evidence, rule: str) -> Reading:
        intent, score = e.top
        network = e.networks[0] if e.networks else None
        guess = Guess(intent, network, score) if intent != FALLBACK else None
        return Reading(FALLBACK, e.networks[:1], 1.0 - score if intent != FALLBACK else score, guess=guess, rule=rule)


RULES: Sequence[Rule] = (
    Decider.names_only,
    Decider.detail_of_last,
    Decider.unknown_network,
    Decider.identified_by_facts,
    Decider.answer,
    Decider.follow_up,
    Decider.fact_of_network,
    Decider.out_of_scope,
    Decider.ask_back,
    Decider.which_network,
)
