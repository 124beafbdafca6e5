"""The answers to what the rules may ask (`Oracle`), from the loaded files, the classifier and the words.

`Lookups` reads the responses (which intents need a network, what the rules
treat each as, what details their answers tell, which fact each answers with),
the knowledge file (values to compare, scopes, who holds which role), the fact
index and the classifier (a clause rescored as if it named a network).  It
keeps no state of a message but the last rescoring and the last facts search,
which two rules in a row may ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.intents import IntentRoles, Response
from bot.knowledge import COUNTS, RANKED_BY, Knowledge, ranked_by
from bot.lexicon import Lexicon
from bot.phrases import words_of
from bot.script import fold_tokens
from bot.understanding.features import SLOT
from bot.understanding.search import FactIndex, Hit
from bot.understanding.types import Evidence
from bot.understanding.words import Words

# Comparisons: which directions rank upwards, and which count members rather than years.
ASCENDING = frozenset({"earliest", "oldest", "fewest"})
BY_COUNT = frozenset({"most", "fewest", "most_countries"})

Ranking = Callable[[Sequence[str]], list[tuple[str, float]]]


def fact_intents(responses: Mapping[str, Response]) -> dict[str, str]:
    """fact key → the intent that answers with it (`seat` → `seat`): what a fact found by its words answers."""
    return {r.fact: r.intent for r in responses.values() if r.fact}


class Lookups:
    """The `Oracle` of the running pipeline."""

    def __init__(
        self,
        knowledge: Knowledge,
        responses: Mapping[str, Response],
        lexicon: Lexicon,
        words: Words,
        facts: FactIndex,
        rank: Ranking,
    ):
        self.knowledge = knowledge
        self.responses = responses
        self.lexicon = lexicon
        self.words = words
        self.facts = facts
        self.rank = rank  # the classifier's ranking of masked tokens (the pipeline's current model)
        self.networks = [n.id for n in knowledge.networks]
        self.fact_intents = fact_intents(responses)
        self._intent_roles = IntentRoles.of(responses)  # (`roles` below: the roles facts name, chair, funder…)
        self.city_intents = frozenset(r.intent for r in responses.values() if r.about_nis)
        self.roles = _roles_in_facts(knowledge, lexicon)
        self._rescored: tuple[tuple[str, ...], tuple[tuple[str, float], ...]] = ((), ())
        self._searched: tuple[tuple[str | None, tuple[str, ...]], list[Hit]] = ((None, ()), [])
        self._which_words = frozenset(phrase[0] for phrase in lexicon.identify_asking)  # `šta` of `šta je od`
        self._count_words = frozenset(phrase[0] for phrase in lexicon.count_asking if len(phrase) == 1)
        # the words `explains` (beyond the examples) and `search_words` leave out, and the scopes' words
        asking = (lexicon.question_words, lexicon.identify_asking)
        self._asking_beyond = words_of(*asking, lexicon.count_asking, lexicon.list_asking)
        self._asking_network = words_of(*asking, lexicon.network_asking)
        self._role_words = words_of(*lexicon.roles.values())
        self._scope_words = words_of(*lexicon.scopes.values())
        self._comparison_words = words_of(*lexicon.comparatives.values(), *lexicon.superlatives.values())

    def intent_roles(self) -> IntentRoles:
        return self._intent_roles

    def needs_network(self, intent: str) -> bool:
        response = self.responses.get(intent)
        return bool(response and response.needs_network)

    def has_detail(self, intent: str, focus: str) -> bool:
        response = self.responses.get(intent)
        return bool(response and focus in response.details)

    def rescore_with_network(self, evidence: Evidence) -> tuple[tuple[str, float], ...]:
        """The clause, named no network, as if it named one (`а када је основан?` → `када је основан #`); a
        reference to the last one by its kind is that name (`који је циљ те асоцијације` → `који је циљ #`: the
        plural-looking kind no longer reads as the list)."""
        rescored = self._rescored  # (read once: what another thread keeps meanwhile is not this clause's)
        if rescored[0] != evidence.tokens:  # two rules may ask in a row
            tokens = self._without_references(evidence.tokens[evidence.opener :])
            rescored = self._rescored = (evidence.tokens, tuple(self.rank([*tokens, SLOT])))
        return rescored[1]

    def _without_references(self, tokens: Sequence[str]) -> list[str]:
        kept: list[str] = []
        for token in tokens:
            if kept and (kept[-1], token) in self.lexicon.reference_pairs:
                kept.pop()
            else:
                kept.append(token)
        return kept

    def explains(self, intent: str, evidence: Evidence, beyond: bool = False) -> bool:
        if not beyond:
            return self.words.explains(intent, evidence.tokens)
        return not self.words_beyond(intent, evidence)

    def words_beyond(self, intent: str, evidence: Evidence) -> tuple[str, ...]:
        asking = self._asking_beyond
        return self.words.beyond(intent, [t for t in evidence.plain_tokens if t not in asking])

    def is_out_of_scope_word(self, word: str) -> bool:
        return self.words.out_of_scope_only(word)

    def facts_of(self, network_id: str | None, evidence: Evidence) -> list[Hit]:
        key, searched = (network_id, tuple(self.search_words(network_id, evidence))), self._searched
        if searched[0] != key:  # two rules may search alike in a row (`_said_in_a_fact`, then the look-up)
            searched = self._searched = (key, self.facts.search(key[1], network_id))
        return list(searched[1])

    def search_words(self, network_id: str | None, evidence: Evidence) -> list[str]:
        """The question's own words: not names or question words, and when the network is yet to be
        found, neither the kind of thing asked for (`која мрежа`) nor `члан`, which every network has."""
        lexicon = self.lexicon
        inside = {i for m in evidence.mentions for i in range(m.start, m.end)}
        asking, roles = self._asking_network, self._role_words
        words = [
            t
            for i, t in enumerate(evidence.tokens)
            if i not in inside
            and t not in asking
            and t not in lexicon.indefinite  # `nis se uclanio negde 2009`: `negde` is no word of a fact
            and (network_id is not None or t not in roles)  # who did it: found by the role (`fact_with_role`)
            and (not self.words.is_filler(t) or (network_id is not None and lexicon.is_kind(t)))
            and (network_id is not None or not (lexicon.is_kind(t) or lexicon.is_membership_word(t)))
        ]
        return self.facts.content(words)

    def intent_of_fact(self, fact: str) -> str | None:
        return self.fact_intents.get(fact)

    def offers(self) -> list[str]:
        return self.networks

    def renamed(self) -> list[str]:
        return [network.id for network in self.knowledge.networks if network.former_names]

    def about_the_city(self, intent: str) -> bool:
        return intent in self.city_intents

    def in_facts(self, network_id: str, word: str) -> bool:
        return bool(self.facts.search([word], network_id))

    def compare(self, intent: str, direction: str, among: Sequence[str]) -> list[str]:
        response = self.responses.get(intent)
        field, ascending = ranked_by(response.fact, direction) if response else None, direction in ASCENDING
        if field is None or (field in COUNTS) != (direction in BY_COUNT):
            return []
        known = [
            (value, index, network)
            for index, network in enumerate(among)
            if isinstance(value := self.knowledge.by_id[network].value(field), int)
        ]
        ranked = sorted(known, key=lambda k: (k[0] if ascending else -k[0], k[1]))
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            return []  # a tie (ECAD and Energy Cities, 30 countries each): the file's order would pick one
        return [network for _, _, network in ranked]

    def of_scope(self, scope: str) -> list[str]:
        return [network.id for network in self.knowledge.networks if network.scope == scope]

    def scope_of(self, network_id: str) -> str | None:
        return next((network.scope for network in self.knowledge.networks if network.id == network_id), None)

    def is_value(self, word: str) -> bool:
        if self.facts.is_strong_value(word):  # `Француској`: a seat's country, however often the examples use it
            return True
        return self.facts.is_value(word) and not self.words.explained(word)  # `Градској кући`: `grad` is common

    def is_topic(self, word: str) -> bool:
        return self.facts.is_topic(word)

    def is_shared_place(self, word: str) -> bool:
        return self.facts.is_shared_place(word)

    def is_scope_word(self, word: str) -> bool:
        return word in self._scope_words

    def is_comparison_word(self, word: str) -> bool:
        return word in self._comparison_words

    def fact_of_intent(self, intent: str) -> str | None:
        response = self.responses.get(intent)
        return response.fact if response else None

    def fact_of(self, network_id: str, fact: str) -> bool:
        return fact in self.knowledge.by_id[network_id].facts

    def is_kind(self, word: str) -> bool:
        return self.lexicon.is_kind(word)

    def is_stopword(self, word: str) -> bool:
        return self.lexicon.is_stopword(word)

    def is_count_word(self, word: str) -> bool:
        return word in self._count_words

    def is_which_word(self, word: str) -> bool:
        return word in self._which_words

    def is_indefinite(self, word: str) -> bool:
        return word in self.lexicon.indefinite

    def is_city_word(self, word: str) -> bool:
        return word in self.lexicon.city

    def looks_like_a_verb(self, word: str) -> bool:
        return self.lexicon.looks_like_a_verb(word)

    def says_membership(self, word: str) -> bool:
        return self.lexicon.is_membership_word(word)

    def is_contrary(self, word: str) -> bool:
        return self.lexicon.is_contrary(word)

    def fact_holds(self, network_id: str, fact: str, word: str) -> bool:
        return any(hit.fact == fact for hit in self.facts.search([word], network_id))

    def is_month(self, word: str) -> bool:
        return self.lexicon.is_month(word)

    def value_of(self, intent: str, network_id: str) -> int | None:
        response = self.responses.get(intent)
        field = RANKED_BY.get(response.fact or "") if response else None
        value = self.knowledge.by_id[network_id].value(field) if field else None
        return value if isinstance(value, int) else None

    def fact_with_role(self, network_id: str, roles: Sequence[str]) -> str | None:
        return next((self.roles[network_id, role] for role in roles if (network_id, role) in self.roles), None)


def _roles_in_facts(knowledge: Knowledge, lexicon: Lexicon) -> dict[tuple[str, str], str]:
    """(network, role) → the first of its facts that uses one of the role's words (`председава`: chair)."""
    found: dict[tuple[str, str], str] = {}
    for network in knowledge.networks:
        for key, fact in network.facts.items():
            for role in lexicon.found(fold_tokens(fact.text), lexicon.roles):
                found.setdefault((network.id, role), key)
    return found
