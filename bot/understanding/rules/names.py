"""Rules for a clause that is about names: only names (`NALED`, `Niš i SKGO`), a network not in our records
(`да ли је Ниш члан Eurocities`), or a network's own names (`како се СКГО зове на енглеском`)."""

from __future__ import annotations

from bot.understanding.rules.base import RuleBase
from bot.understanding.types import CLARIFY, FALLBACK, IN, NAME_FOCUS, WHERE, Evidence, Reading

STRONG_NAME_FOCUS = frozenset({"english", "original", "serbian"})  # the name questions that name a language


class NameRules(RuleBase):
    def names_only(self, e: Evidence) -> Reading | None:
        if not e.mentions or not e.filler_only:
            return None
        networks = e.networks[: self.config.max_networks]
        last = e.context.intent
        if e.followup_lead and last and self.oracle.needs_network(last):
            return Reading(last, networks, e.mention_score, rule="names_only")
        if e.names_city and any(t in IN for t in e.tokens[: e.mentions[0].start]):  # `Niš u NALED-u?`: is it in
            return Reading(self.roles.membership, networks, e.mention_score, rule="names_only")
        return Reading(self.roles.describing, networks, e.mention_score, rule="names_only")

    def unknown_network(self, e: Evidence) -> Reading | None:
        """`Да ли је Ниш члан Eurocities?`: needs the city, or `Da li je Srbija u NATO?` would qualify."""
        if e.mentions or e.unknown_name is None or not (e.name_like or e.membership_worded) or not e.names_city:
            return None
        intent, score = e.top
        roles = self.roles
        # (`где` with no word of joining asks where the named thing is: `Где је Историјски архив Ниш…`)
        joining = intent == roles.joining and e.name_like and (e.membership_said or WHERE not in e.focus)
        if not (intent == roles.membership or joining) or score < self.config.accept:
            return None  # `Када је Ниш приступио Eurocities?` too: we keep no such membership either way
        if self._city_of_nis_after_name(e):  # `Da li je Kursk bratski grad Niša?`: a city, and not ours to say
            return None
        if e.near_name is not None:  # `da li je nis clan nalde` is a typo, never "not in our records"
            offers = tuple((i, e.near_name) for i in self._offered([roles.membership]))
            return Reading(CLARIFY, (e.near_name,), score, suggestions=offers, rule="unknown_network")
        return Reading(roles.membership, (), score, asked=e.unknown_name, rule="unknown_network")

    def _city_of_nis_after_name(self, e: Evidence) -> bool:
        """`grad Niša` after the unknown name: the name is of a city, asked how it is Niš's (`Je li Kjoto
        pobratimski grad Niša?`); before it, it is Niš asked of (`Da li je grad Niš član Eurocities?`)."""
        tokens, is_city = e.tokens, self.oracle.is_city_word
        unknown = {*e.unknown_words, *e.strangers}  # where the name begins
        start = next((i for i, token in enumerate(tokens) if token in unknown), len(tokens))
        # (the kind of city first, then the city's name: `grad Niša`, not `Niša grad`)
        return any(
            is_city(tokens[i]) and is_city(tokens[i + 1]) and tokens[i] != tokens[i + 1]
            for i in range(start, len(tokens) - 1)
        )

    def name_of(self, e: Evidence) -> Reading | None:
        """`Како се СКГО зове на енглеском?`, `Шта значи НАЛЕД?`: the network's names, then what it is."""
        asked = e.focus & NAME_FOCUS
        network = self._the_network(e)
        if network is None or not asked or asked == {"former"}:
            return None
        # `Kako se zove predsedavajući Lige…?`: a person's name, which we do not keep; `Како се зове градоначелник
        # Кјота?` after a question about the League: not the League's name
        if e.names_other and (e.roles or not e.mentions):
            return None
        strong = asked & STRONG_NAME_FOCUS or asked >= {"name", "former"}
        # `Kako se zove časopis ECAD-a?` asks for no name of ours; a language or a former name asked for is
        # the network's own name (`naled english verzija imena`, `kako se avec zvao pre promene imena`)
        if e.unmarked_words and not (strong and len(e.unmarked_words) <= self.config.max_words_beside_name):
            return None
        intent, score = e.top
        if intent not in (self.roles.describing, FALLBACK) and score >= self.config.accept and not strong:
            return None  # `Kako se zove sajt NALED-a?` asks for the website
        networks = e.networks[: self.config.max_networks] or (network,)
        return Reading(self.roles.describing, networks, e.mention_score, focus=e.focus, rule="name_of")
