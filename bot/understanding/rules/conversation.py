"""Rules for a clause that leans on the conversation before it: the last question again of another network
(`…, а када НАЛЕД?`), a detail of the last answer (`а где?`), or a question whose network is the last one
(`а колико има чланова?`)."""

from __future__ import annotations

from dataclasses import replace

from bot.understanding.rules.base import RuleBase
from bot.understanding.types import WHERE, Evidence, Reading

PLURAL = "su"  # `где су им седишта`: the copula of several things


class ConversationRules(RuleBase):
    def asked_again(self, e: Evidence) -> Reading | None:
        """`Када је основан СКГО, а када НАЛЕД?`: an opener, the question word and another network: the last
        question again, of that network, when its examples use the question word; `а кад?` alone, of the same."""
        last = e.context.intent  # the opener may be gone: `Кад је основана СКГО а кад НАЛЕД` splits before `а`
        # (or `а кад?` alone after `Ко је основао AVEC?`: when of what was just asked, not when Niš joined)
        dated = "earliest" in self.roles.compared.get(last or "", ())  # (its answers hold a year: founded, joined)
        again = dated and e.asks_when and e.context.network is not None and not e.plain_content
        if not (e.mentions or again) or not e.asks_only or not last or not self.oracle.needs_network(last):
            return None
        if not self.oracle.explains(last, replace(e, tokens=e.asks_only)):  # `а када` fits `founded`, not `seat`
            return None
        networks = e.networks[: self.config.max_networks] if e.mentions else (e.context.network or "",)
        return Reading(last, networks, e.mention_score, focus=e.focus, rule="asked_again")

    def detail_of_last(self, e: Evidence) -> Reading | None:
        last, network = e.context.intent, e.context.network
        # (or words only a list of language.yml gives a meaning: `У ком месецу?` after `Кад је основан ECAD?`)
        asks_detail = e.only_question_words or e.asks_only or not e.plain_content
        if e.mentions or not asks_detail or not (last and network) or not e.focus:
            return None
        if WHERE in e.focus and e.refers_back:  # `а где је она`: where it is, the seat (`а где?`: where it was founded)
            return None
        # a role's word asks who holds that role: another fact may say (`А ко њоме председава?` after its founding
        # is the seat's fact, `by_role`)
        held_by = self.oracle.fact_with_role(network, e.roles) if e.roles else None
        if held_by and self.oracle.intent_of_fact(held_by) != last:
            return None
        if not all(self.oracle.has_detail(last, focus) for focus in e.focus):
            return None
        return Reading(last, (network,), 1.0, focus=e.focus, rule="detail_of_last")

    def follow_up(self, e: Evidence) -> Reading | None:
        if e.mentions or not (e.context.network or e.membership_worded):  # (before the costly rescoring)
            return None
        network = e.context.network
        threshold = self.config.accept_referred if network and e.refers_back else self.config.accept
        if (best := self._as_if_named(e, threshold)) is None:
            return None
        intent, score = best
        # a network the same message names (`Energy Cities – od kada je Niš unutra`) is as good as named here:
        # an unknown word needs the stricter score, as it does then; one from earlier turns needs every word known
        own_intent, own_score = e.top  # …by the clause's own words too: `Šta je bolje, NALED ili SKGO?` is not
        told = (
            network in e.context.named
            and own_intent == intent
            and min(score, own_score) >= self.config.accept_with_unknown_words
        )
        known = replace(e, tokens=tuple(t for t in e.tokens if t not in e.unknown_words)) if told else e
        if network and (not e.unknown_words or told) and self.oracle.explains(intent, known):
            return Reading(intent, (network,), score, focus=e.focus, rule="follow_up")
        if (
            network is None
            and intent == self.roles.membership
            and e.membership_worded
            and self.oracle.explains(intent, e)
        ):
            return Reading(self.roles.listing, (), score, rule="follow_up")  # `Да ли је Ниш члан?` – of these networks
        return None

    def of_listed(self, e: Evidence) -> Reading | None:
        """`Које су домаће мреже?` – `а кад су основане?`: a question of one network's fact, no network named, right
        after a list of a few: that fact of each listed network (those without it said apart). So too in plural
        after several networks named before it in the message (`ECAD, Energy Cities i Liga – gde su im sedišta?`)."""
        named = e.context.named if len(e.context.named) > 1 and PLURAL in e.tokens else ()
        listed = named or (() if e.context.network else e.context.listed)
        if not listed and not e.context.network and e.context.intent == self.roles.listing and PLURAL in e.tokens:
            listed = tuple(self.oracle.offers())  # after the list of them all (`nabroj sve – a kad su osnovane`)
        if e.mentions or e.unknown_words or len(listed) < 2 or not e.plain_content:
            return None  # (`koliko ih ima` counts them: no fact of each)
        if any(map(self.oracle.is_kind, e.plain_content)):
            return None  # `šta je liga` asks of a kind, not of each listed network
        if (best := self._as_if_named(e, self.config.accept)) is None:
            return None
        intent, score = best
        fact = self.oracle.fact_of_intent(intent)
        if fact is None or intent == self.roles.membership or not self.oracle.explains(intent, e):
            return None
        having = tuple(network for network in listed if self.oracle.fact_of(network, fact))
        without = tuple(network for network in listed if network not in having)
        if not having:
            return None
        facts = (fact,) * len(having)
        return Reading(self.roles.listing, having, score, facts=facts, without=without, rule="of_listed")
