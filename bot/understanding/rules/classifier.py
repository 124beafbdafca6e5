"""Rules that follow the classifier: whether Niš is a member (`Niš je u Energy Cities?`), the answer it is
sure of, out of scope, and the safety net when it is unsure: ask back with the named network's likeliest
questions, or ask which network."""

from __future__ import annotations

from bot.understanding.rules.base import RuleBase
from bot.understanding.types import CLARIFY, FALLBACK, WHERE, Evidence, Guess, Reading


class ClassifierRules(RuleBase):
    def is_member(self, e: Evidence) -> Reading | None:
        """The classifier reads joined or membership (its examples of the two share most words) and no word
        asks for a time: the question is whether Niš is a member (`Niš je u Energy Cities?`, `Ниш приступио
        ECAD-у?`).  The membership answer says since when, where the file knows."""
        since = "od" in e.tokens or any(len(t) == 4 and t.isdigit() for t in e.tokens)  # `Ниш у ЕКАД-у од?`
        if not e.mentions or e.asks_when or since or not e.names_city:
            return None
        if not all(map(self.oracle.says_membership, e.unknown_words)):  # `унутра`: a word of membership no example uses
            return None
        two = [intent for intent, _ in e.ranked[:2]]
        membership = self.roles.membership
        if two[:1] not in ([self.roles.joining], [membership]) or membership not in two:
            return None
        score = sum(score for _, score in e.ranked[:2])
        if score < self.config.accept:
            return None
        networks = e.networks[: self.config.max_networks]
        return Reading(membership, networks, min(1.0, score) * e.mention_score, rule="is_member")

    def hypothetical(self, e: Evidence) -> Reading | None:
        """`Да Ниш није у ECAD-у, да ли би било више дроге?`, `Шта би Ниш изгубио кад би иступио из ЕКАД-а?`: what
        would be, which no fact says (not the membership answer nor the list)."""
        return self._fallback(e, "hypothetical") if e.hypothetical else None

    def not_a_member(self, e: Evidence) -> Reading | None:
        """`Зашто је Ниш иступио из ЕКАД-а?`, `zasto nis nije clan lige istorijskih gradova`: a question that takes
        Niš to have left a network of ours, or never to have joined it, gets the membership answer, which says
        what is so."""
        if len(e.networks) != 1 or not e.names_city:
            return None
        if not (e.contrary or any(map(self.oracle.says_membership, e.denied))):
            return None
        return Reading(self.roles.membership, e.networks, e.mention_score, rule="not_a_member")

    def another_members(self, e: Evidence) -> Reading | None:
        """`Da li je Beograd član ECAD-a?`, `da li je Beograd u SKGO`: whether another city is a member of one of
        ours, which the file does not keep: not ours to say (the network's site may), not what Niš's seat or
        membership answer says."""
        if len(e.networks) != 1 or e.names_city or not e.strangers or not e.question_worded:
            return None
        if any(self.oracle.in_facts(e.networks[0], word) for word in e.strangers):
            return None  # `da li je ECAD u Stokholmu`, `da li je Pečuj član AVEC-a`: its facts say
        # the question says nothing but membership of the stranger: a word of membership, or no word at all
        bare = e.top[0] == FALLBACK and set(e.plain_content) <= set(e.strangers)
        if not (e.membership_said or bare) or e.focus or e.asks_when or e.roles:
            return None
        return self._fallback(e, "another_members")

    def answer(self, e: Evidence) -> Reading | None:
        intent, score = e.top
        if intent == FALLBACK or not self._sure(e, score):
            return None
        if not self.oracle.needs_network(intent):
            # no network to anchor it: the intent's examples use every word (`Које мреже мобилне
            # телефоније…` is no list of our networks); small talk states no fact, so for it no unknown
            # word and the stricter score are enough
            small_talk = (
                intent in self.roles.small_talk
                and not e.unknown_words
                and score >= self.config.accept_with_unknown_words
            )
            if not (small_talk or self.oracle.explains(intent, e)):
                return None
            return Reading(intent, (), score, rule="answer")
        if not e.mentions:
            return None
        networks = e.networks[: self.config.max_networks]
        return Reading(intent, networks, score * e.mention_score, focus=e.focus, rule="answer")

    def by_focus(self, e: Evidence) -> Reading | None:
        """The classifier is torn between two intents for the named network, and the question word asks for a
        detail only one of their answers gives (`Који је број телефона НАЛЕД-а?`: the link's answer says that
        we do not keep a phone, the size's has nothing on it): that one."""
        if not e.mentions or e.unknown_words or not e.focus:
            return None
        intent, score = e.top
        if intent == FALLBACK or score < self.config.ask_back:
            return None
        torn = [i for i, _ in e.ranked[:2] if self.oracle.needs_network(i)]
        told = [i for i in torn if any(self.oracle.has_detail(i, focus) for focus in e.focus)]
        if WHERE in e.focus and self.roles.seat in torn:  # `naled u kom gradu su`: the seat is the place itself;
            told = [self.roles.seat]  # the joining's answer only says where Niš joined is not known
        if len(torn) != 2 or len(told) != 1:
            return None
        networks = e.networks[: self.config.max_networks]
        return Reading(told[0], networks, score * e.mention_score, focus=e.focus, rule="by_focus")

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
        offers = tuple((i, network) for i in self._offered([i for i, _ in e.ranked if self.oracle.needs_network(i)]))
        guess = Guess(intent, network, score)
        return Reading(CLARIFY, (network,), score, suggestions=offers, guess=guess, rule="ask_back")

    def which_network(self, e: Evidence) -> Reading | None:
        if e.mentions or e.context.network or e.unknown_words or e.names_city or not e.content_words:
            return None
        if e.identifying and any(len(t) == 4 and t.isdigit() for t in e.tokens):
            return None  # `Која је мрежа основана 2015. године?`: a look-up no fact answers, not a question to ask back
        if (best := self._as_if_named(e, self.config.ask_which_network)) is None:
            return None
        intent, score = best
        if intent == self.roles.membership or not self.oracle.explains(intent, e):
            return None
        offers = tuple((intent, network) for network in self.oracle.offers()[: self.config.max_offers])
        return Reading(CLARIFY, (), score, suggestions=offers, guess=Guess(intent, None, score), rule="which_network")

    def _sure(self, e: Evidence, score: float) -> bool:
        """Score and margin enough; more when a word is unknown.  Never when a question about Niš's own
        membership names some other subject instead (`Da li je Beograd član Lige…`), or when it narrows
        to a name the network's facts do not know (`Колико градова из Србије је у ECAD-у?`)."""
        intent = e.top[0]
        other_subject = self.oracle.about_the_city(intent) and not e.names_city and bool(e.unexplained_words)
        narrowed = any(not self.oracle.in_facts(network, word) for network in e.networks for word in e.strangers)
        needed = self.config.accept_with_unknown_words if e.unknown_words else self.config.accept
        return score >= needed and self._margin(e) >= self.config.margin and not other_subject and not narrowed

    def _margin(self, e: Evidence) -> float:
        """The lead over the runner-up; where a network is named, over the list of them all, which asks none
        (`Koji sve gradovi čine Ligu istorijskih gradova?`: its members, not Niš's networks), the next one's."""
        ranked = list(e.ranked)
        if e.mentions and len(ranked) > 2 and ranked[1][0] == self.roles.listing and ranked[0][0] != self.roles.listing:
            del ranked[1]
        return ranked[0][1] - ranked[1][1] if len(ranked) > 1 else e.top[1]
