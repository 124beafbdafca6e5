"""Rules that answer with a list of our networks: all of them, counted (`колико мрежа има Ниш`), or those of
a scope (`које су мреже националне`)."""

from __future__ import annotations

from dataclasses import replace

from bot.understanding.rules.base import RuleBase
from bot.understanding.types import Evidence, Reading


class ListRules(RuleBase):
    def list_of_networks(self, e: Evidence) -> Reading | None:
        """`Колико мрежа има Ниш?`, `Набројте удружења у којима је Ниш`: every network, counted."""
        # `U koliko mreža je Niš trenutno član, prema zvaničnim podacima?`: Niš's membership, asked with a few
        # words nobody wrote, still asks for the list; without it they may narrow it (`организације за младе`)
        of_nis = (
            e.membership_worded
            and e.names_city
            and len(e.unmarked_words) <= self.config.max_words_beside_list
            and not self._describes_kind(e)
        )
        if e.mentions or not (e.identifying or e.listing) or (e.unmarked_words and not of_nis):
            return None
        if e.scopes or e.superlative or not (e.kind_worded or e.membership_worded):
            return None  # `Nabrojte opštine u Nišu` lists no networks
        if any(self.oracle.is_value(token) for token in e.tokens):  # `која асоцијација постоји од 1953`: that one
            return None
        known = replace(e, plain_tokens=tuple(t for t in e.plain_tokens if t not in e.unknown_words)) if of_nis else e
        if not self.oracle.explains(self.roles.listing, known, beyond=True):  # `Koje organizacije za mlade…`
            return None
        return Reading(self.roles.listing, (), 1.0, rule="list_of_networks")

    def by_scope(self, e: Evidence) -> Reading | None:
        """`Које су од тих мрежа националне?`: the networks of that scope (both named: grouped by scope); `које
        мреже имају седиште у иностранству`: those of the scope whose seat the file gives, with it."""
        nominal = e.kind_worded and not e.question_worded  # `samo nacionalne mreže`
        bare = e.question_worded and not e.plain_content and not e.names_city  # `kolko ih je medjunarodnih`
        # `domaća udruženja gradova gde je Niš`, `srpske mreže gradova u kojima je Niš član`; not `има ли у Нишу
        # домаћих удружења` (of citizens, in the city)
        of_nis = e.kind_worded and e.names_city and ("where" in e.focus or e.membership_worded)
        asking = e.identifying or e.asks_network or nominal or bare or of_nis
        if e.mentions or not e.scopes or not asking or e.unmarked_words:
            return None
        roles = self.roles
        # `које мреже имају седиште у иностранству`: the seats of those; `domaće mreže gde je Niš` (where Niš is a
        # member) reads as the list first, and is one
        seat = self._asks_for(e, roles.seat) and not (e.names_city and e.top[0] == roles.listing)
        if not self.oracle.explains(roles.seat if seat else roles.listing, e, beyond=True):
            return None  # `Koje organizacije finansira USAID u Srbiji?`
        if any(self.oracle.is_value(token) for token in e.tokens):  # `домаћа асоцијација од 1953`: that one
            return None
        networks = tuple(network for scope in e.scopes for network in self.oracle.of_scope(scope))
        fact = self.oracle.fact_of_intent(roles.seat)
        if seat and fact:
            located = tuple(n for n in networks if self.oracle.fact_of(n, fact))
            return Reading(roles.listing, located, 1.0, facts=(fact,) * len(located), rule="by_scope")
        return Reading(roles.listing, networks, 1.0, scopes=e.scopes, rule="by_scope")

    def _asks_for(self, e: Evidence, intent: str) -> bool:
        """Whether the intent is among the clause's two likeliest, as it is or as if a network were named."""
        return intent in {i for i, _ in (*e.ranked[:2], *self.oracle.rescore_with_network(e)[:2])}
