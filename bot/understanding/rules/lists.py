"""Rules that answer with a list of our networks: all of them, counted (`колико мрежа има Ниш`), or those of
a scope (`које су мреже националне`)."""

from __future__ import annotations

from dataclasses import replace

from bot.understanding.rules.base import RuleBase
from bot.understanding.types import WHERE, Evidence, Reading


class ListRules(RuleBase):
    def list_of_networks(self, e: Evidence) -> Reading | None:
        """`Колико мрежа има Ниш?`, `Набројте удружења у којима је Ниш`: every network, counted."""
        # (`Gde je Niš član?`: where Niš is a member asks for them all; not where a kind names one: `gde je Niš
        # primljen u Ligu` asks where it joined)
        where = e.asks_network and WHERE in e.focus and not (e.context.network or e.kind_worded) and self._of_nis(e)
        if e.mentions or not (e.identifying or e.listing or where):
            return None
        if e.refers_back and e.context.network:  # `… и колико та мрежа има чланова?`: the network just asked about
            return None
        if e.scopes or e.superlative or not (e.kind_worded or e.membership_worded):
            return None  # `Nabrojte opštine u Nišu` lists no networks
        if e.scope_worded:  # a scope refused (`Прескочи међународне мреже`) asks for no list of every network
            return None
        # `koju mrežu je osnovao 21 grad`, `koja mreža je to potpisala`, `која удружења седе у Београду`: the ones a
        # fact says did it, or are so
        if e.roles or e.relating:
            return None
        if e.denied:  # `Које мреже Ниш није члан?`: the others, which the bot does not compute
            return None
        if not e.names_city and self._counts_members(e):  # `колико чланова има лига`: one network's, not Niš's
            return None
        # `Из које мреже је Ниш избачен?`: none we know of (`izbaci sve mreže`, spit them all out, asks for the list)
        if e.contrary and not e.listing:
            return None
        of_nis = self._as_of_nis(e)
        if e.unmarked_words and of_nis is None:
            return None
        # `која асоцијација постоји од 1953`, `Која мрежа има 20 чланица?`: the one that fits, not every network
        if any(token.isdigit() or self.oracle.is_value(token) for token in e.tokens):
            return None
        if not self.oracle.explains(self.roles.listing, of_nis or e, beyond=True):  # `Koje organizacije za mlade…`
            return None
        return Reading(self.roles.listing, (), 1.0, rule="list_of_networks")

    def scope_of_named(self, e: Evidence) -> Reading | None:
        """`Da li je ECAD međunarodna mreža?`, `da li je NALED domaća ili strana organizacija`: the networks of the
        scopes asked and of the named one's own, each under its scope (the answer shows where it stands)."""
        if len(e.networks) != 1 or not e.scopes or not e.question_worded:
            return None
        if e.focus or e.asks_when or e.roles or e.unknown_words or e.names_city:
            return None
        if any(not (self.oracle.is_kind(t) or self._scope_word(t)) for t in e.plain_content):
            return None  # `koliko clanova ima ECAD u Srbiji`: more than its scope asked
        named = {i for m in e.mentions for i in range(m.start, m.end)}
        if not any(self._scope_word(t) for i, t in enumerate(e.tokens) if i not in named):
            return None  # `Шта је то Национална алијанса?`: the scope's word is the name's
        own = self.oracle.scope_of(e.networks[0])
        scopes = tuple(dict.fromkeys((*e.scopes, *((own,) if own else ()))))
        networks = tuple(network for scope in scopes for network in self.oracle.of_scope(scope))
        return Reading(self.roles.listing, networks, 1.0, scopes=scopes, rule="scope_of_named")

    def by_scope(self, e: Evidence) -> Reading | None:
        """`Које су од тих мрежа националне?`: the networks of that scope (both named: grouped by scope); `које
        мреже имају седиште у иностранству`: those of the scope whose seat the file gives, with it."""
        if e.mentions or not e.scopes:
            return None
        nominal = e.kind_worded and not e.question_worded  # `samo nacionalne mreže`
        bare = e.question_worded and not e.plain_content and not e.names_city  # `kolko ih je medjunarodnih`
        # `domaća udruženja gradova gde je Niš`, `srpske mreže gradova u kojima je Niš član`; not `има ли у Нишу
        # домаћих удружења` (of citizens, in the city)
        # (`а домаће?` after a list: the same list, of the other scope)
        again = bool(e.opener) and e.context.intent == self.roles.listing and not e.plain_content
        asking = e.identifying or e.asks_network or nominal or bare or again or (e.kind_worded and self._of_nis(e))
        if not asking:
            return None
        # with words nobody wrote, the scope must stand by the kind (`međunarodne mreže u kojima Niš participira`;
        # not `Kakve sve mreže grad ima? Ja sam student, učim srpski.`)
        scoped_kind = e.kind_worded and self._beside_kind(e, self.oracle.is_scope_word, window=1)
        # the scope of another kind than the one asked for: `мрежа поникла на Првој светској конференцији`, `на
        # првој светској конференцији која је мрежа настала`
        if scoped_kind and (self._scope_of_another_kind(e) or self._said_in_a_fact(e)):
            return None  # (`koja je nastala na prvoj svetskoj konferenciji`: the conference asked of)
        of_nis = self._as_of_nis(e) if scoped_kind else None
        # (a word of relation only says how: `Koje sve međunarodne i domaće organizacije gradova okupljaju i naš grad?`)
        if set(e.unmarked_words) - e.relating and of_nis is None:
            return None
        roles = self.roles
        # `које мреже имају седиште у иностранству`: the seats of those; `domaće mreže gde je Niš` (where Niš is a
        # member) reads as the list first, and is one
        # (as if a network were named only where some word is more than the scope: `od tih šest koje su
        # međunarodne` asks no seat)
        seat = self._asks_for(e, roles.seat, rescored=bool(e.plain_content)) and not (
            e.names_city and e.top[0] == roles.listing
        )
        unrelated = replace(e, plain_tokens=tuple(t for t in e.plain_tokens if t not in e.relating))
        if not self.oracle.explains(roles.seat if seat else roles.listing, of_nis or unrelated, beyond=True):
            return None  # `Koje organizacije finansira USAID u Srbiji?`
        # `домаћа асоцијација од 1953`, `koja organizacija okuplja opstine u srbiji`: that one, by its fact
        if any(self.oracle.is_value(t) or (e.relating and self.oracle.is_topic(t)) for t in e.tokens):
            return None
        networks = tuple(network for scope in e.scopes for network in self.oracle.of_scope(scope))
        fact = self.oracle.fact_of_intent(roles.seat)
        if seat and fact:
            located = tuple(n for n in networks if self.oracle.fact_of(n, fact))
            return Reading(roles.listing, located, 1.0, facts=(fact,) * len(located), rule="by_scope")
        return Reading(roles.listing, networks, 1.0, scopes=e.scopes, rule="by_scope")

    def _scope_of_another_kind(self, e: Evidence) -> bool:
        """A scope's word stands right beside a kind's word, but not beside the kind asked for (the first after
        `која`, `које`), which no scope's word stands beside."""
        tokens, oracle = e.tokens, self.oracle
        which = next((i for i, token in enumerate(tokens) if oracle.is_which_word(token)), None)
        kinds = [i for i, token in enumerate(tokens) if oracle.is_kind(token)]
        asked = next((k for k in kinds if which is not None and k > which), None)
        if asked is None:
            return False

        def scoped(kind: int) -> bool:
            beside = [i for i in (kind - 1, kind + 1) if 0 <= i < len(tokens)]
            return any(self._scope_word(tokens[i]) for i in beside)

        return not scoped(asked) and any(scoped(kind) for kind in kinds if kind != asked)

    def _counts_members(self, e: Evidence) -> bool:
        """What `колико` counts, past small words, is members, not the kind of thing a network is (`колико
        чланова има мрежа`; not `колико мрежа има чланова Ниш`)."""
        oracle, tokens = self.oracle, e.tokens
        start = next((i + 1 for i, token in enumerate(tokens) if oracle.is_count_word(token)), None)
        counted = next((t for t in tokens[start or len(tokens) :] if not oracle.is_stopword(t)), None)
        return counted is not None and oracle.says_membership(counted) and not oracle.is_kind(counted)

    def _of_nis(self, e: Evidence) -> bool:
        """The networks asked for are those Niš is in: `мреже у којима је Ниш`, `где је Ниш`."""
        return e.names_city and (e.membership_worded or WHERE in e.focus)

    def _as_of_nis(self, e: Evidence) -> Evidence | None:
        """A question for Niš's networks, read without the few words no list example uses (`izbaci sve mreže gde
        je Niš`, `U koliko mreža je Niš trenutno član, prema zvaničnim podacima?`, and, where no word says
        membership but the classifier reads the list, before the kind: `оћу да знам у кој су све удружења…`);
        None when it is not one, or when such a word stands by the kind of thing asked for and narrows it
        (`организације пензионера у којима је Ниш члан`)."""
        of_nis = self._of_nis(e)
        if not (of_nis or self._read_as_the_list(e)):
            return None
        # words no list example uses: nobody's (`izbaci`); or, where `све`, `набројте` asks for the whole list and
        # membership is said in a word of its own (`члан`, `где је Ниш`), other intents' too (`набројте све мреже
        # чији је Ниш члан, за колегијум`); not where one network may be asked for (`у којој мрежи … 2007`,
        # `колико кошта да се Ниш учлани`), nor where a verb may say another relation (`Из којих све мрежа је Ниш
        # иступио?`)
        wide = e.listing and e.kind_worded and (e.membership_said or WHERE in e.focus)
        strays = set(self.oracle.words_beyond(self.roles.listing, e) if wide else e.unmarked_words)
        if not of_nis and self._after_kind(e, strays):  # `Koja sve udruženja ima Niš za penzionere?`
            return None
        if len(strays) > self.config.max_words_beside_list or self._beside_kind(e, lambda token: token in strays):
            return None  # `организације пензионера у којима је Ниш`
        if any(self.oracle.is_topic(t) or self.oracle.is_value(t) for t in strays):
            return None  # `у којој мрежи је Ниш ради културе`: the one the topic points at
        return replace(e, plain_tokens=tuple(t for t in e.plain_tokens if t not in strays))

    def _read_as_the_list(self, e: Evidence) -> bool:
        """`оћу да знам у кој су све удружења градова наш Ниш`: no word says membership, but `све` or `колико` and
        a kind ask for networks of Niš, and the classifier reads the list."""
        intent, score = e.top
        asked = e.listing or e.counting
        return asked and e.kind_worded and e.names_city and intent == self.roles.listing and score >= self.config.accept

    def _after_kind(self, e: Evidence, words: set[str]) -> bool:
        """One of the words stands after the first kind's word, where it may narrow the kind (`удружења … за
        пензионере`); before it, it says who asks or how (`оћу да знам`, `бака пита`)."""
        kinds = [i for i, token in enumerate(e.tokens) if self.oracle.is_kind(token)]
        return bool(kinds) and any(token in words for token in e.tokens[kinds[0] :])

    def _asks_for(self, e: Evidence, intent: str, rescored: bool = True) -> bool:
        """Whether the intent is among the clause's two likeliest, as it is or (`rescored`) as if a network were
        named."""
        likeliest = [*e.ranked[:2], *(self.oracle.rescore_with_network(e)[:2] if rescored else ())]
        return intent in {i for i, _ in likeliest}
