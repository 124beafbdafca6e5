"""Stage 5: what one question asks, decided by rules tried in a listed order.

Each rule looks at the `Evidence` of one clause (the earlier stages' output)
and either decides a `Reading` or passes.  The first that decides wins; its
name goes into the reading (`rule`), so a log line or a test can say why.

    names_only            `NALED`, `Niš i SKGO`, `А ECAD?`: the card, or the last question again
    asked_again           `…, а када НАЛЕД?`: the last question again, of the network named
    detail_of_last        `а где?` after `када је основан ECAD`: the same question, asking where
    unknown_network       `да ли је Ниш члан Eurocities`: not in our records (never for a near name)
    ordered               `поређајте мреже по години приступања`: a list in order of that year
    compared              `која је мрежа најстарија`, `старији ECAD или AVEC`: computed from the values
    by_value              `у које мреже је Ниш ушао после 2005`, `више од 200 чланова`: those below or above it
    by_role               `ко председава Лигом…`: the fact that says who holds that role
    role_not_kept         `ко је председник НАЛЕД-а`: a role no fact names: we do not keep it
    name_of               `како се СКГО зове на енглеском`: the network's names
    list_of_networks      `колико мрежа има Ниш`: all of them, counted
    by_scope              `које су мреже националне`: the networks of that scope
    identified_by_facts   `чему је Ниш приступио 2007`: the fact names the network (several: a list)
    is_member             `Ниш је у Energy Cities?`: joining without a time asked is whether Niš is a member
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
from dataclasses import dataclass, field, replace

from bot.understanding.config import Config
from bot.understanding.networks import Mention
from bot.understanding.search import Hit

FALLBACK = "fallback"
CLARIFY = "clarify"
SMALL_TALK = frozenset({"greeting", "thanks", "help"})
# Intents whose answer lists networks: a follow-up may ask about the list (`а која је најстарија?`).
LISTING = frozenset({"list"})
# Comparisons: the intents whose values can be ranked, and the directions that say which by themselves.
COMPARABLE = ("joined", "founded", "size")
IMPLIED_BY_DIRECTION = {"oldest": "founded", "youngest": "founded", "most": "size", "fewest": "size"}
# Questions about a network's names (focus names in language.yml); the strong ones name a language.
NAME_FOCUS = frozenset({"name", "english", "original", "serbian", "former"})
STRONG_NAME_FOCUS = frozenset({"english", "original", "serbian"})
IN = frozenset({"u", "unutar"})  # `Niš u NALED-u?` asks whether it is a member, `Niš i NALED` what NALED is
MAX_WORDS_BESIDE_LIST = 3  # words nobody wrote that a question about Niš's memberships may carry
# `пре 2008`, `после 2005`, `више од 200`: the comparatives that filter by a value, and whether they keep the
# values below it.
BELOW = {"earliest": True, "latest": False, "fewest": True, "most": False}


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
    compared: str | None = None  # earliest, latest, oldest…: `networks` are ranked by the intent's value
    without: tuple[str, ...] = ()  # networks compared whose value the file does not have
    scopes: tuple[str, ...] = ()  # a list of the networks of these scopes (national, international)
    facts: tuple[str, ...] = ()  # for a list of networks found by their facts: the fact of each, in order
    none_matched: bool = False  # a list of networks by a value none fits (`основане пре 1900`): all, with it

    @property
    def substantive(self) -> bool:
        return self.intent not in SMALL_TALK and self.intent not in (FALLBACK, CLARIFY)


@dataclass(frozen=True)
class Context:
    """What the conversation carries into this clause."""

    network: str | None = None
    intent: str | None = None
    named: tuple[str, ...] = ()  # networks the message names beside the question (`НАЛЕД или СКГО, која је старија`)


@dataclass(frozen=True)
class Evidence:
    """Everything the earlier stages found in one clause."""

    tokens: tuple[str, ...]  # folded, courtesy set aside
    mentions: tuple[Mention, ...]
    ranked: tuple[tuple[str, float], ...]  # intents by classifier score, names masked
    focus: frozenset[str] = frozenset()
    unknown_words: tuple[str, ...] = ()  # content words neither the examples nor the facts know
    unmarked_words: tuple[str, ...] = ()  # …of those, the ones no list of language.yml gives a meaning (`најстарија`)
    plain_tokens: tuple[str, ...] = ()  # the tokens but those the lists of language.yml give a meaning
    unexplained_words: tuple[str, ...] = ()  # content words the examples do not know (the facts may)
    filler_only: bool = False  # nothing but names, the city, stop words and courtesy
    followup_lead: bool = False  # opens with `а`, `а шта је са`…
    only_question_words: bool = False  # `а где?`
    asks_only: tuple[str, ...] = ()  # besides names and an opener, only these question words (`а када НАЛЕД?`)
    unknown_name: str | None = None  # the user's words for a network we do not know
    near_name: str | None = None  # …unless they are a near miss of this network's name
    name_like: bool = False  # those words look like a name (capitals, Latin in Cyrillic, `mreža X`)
    identifying: bool = False  # `која мрежа …`, `колико мрежа …`
    asks_network: bool = False  # `чему`, `чије`, `од тих мрежа`: which network, by something it is known for
    counting: bool = False  # `колико мрежа`
    asks_when: bool = False  # `када`, `од које године`
    listing: bool = False  # `набројте`, `списак`, `где је све`
    ordering: bool = False  # `поређајте по години`, `хронолошки`
    kind_worded: bool = False  # `мрежа`, `удружење`… stands in it (not as part of a name)
    question_worded: bool = False  # a question word stands in it (`када`, `која`); `мрежа из Шведске` has none
    plain_content: tuple[str, ...] = ()  # content words no list of language.yml gives a meaning (`crkva`)
    superlative: str | None = None  # `најстарија`, `прва`: a direction (earliest, latest, oldest…)
    comparative: str | None = None  # `старији`, `пре`: the same, between the networks named
    scopes: tuple[str, ...] = ()  # `националне`, `међународне`
    roles: tuple[str, ...] = ()  # `председава`, `финансирао`: who does what (chair, funder…)
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

    def explains(self, intent: str, evidence: Evidence, beyond: bool = False) -> bool:
        """Whether every content word of the clause is one the intent's examples use (`beyond`: or one a list
        of language.yml gives a meaning, `најстарија`, `националне`)."""
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

    def compare(self, intent: str, direction: str, among: Sequence[str]) -> list[str]:
        """`among` ranked by the value the intent's answers compare (`joined` by `joined_year`…), best first
        in the direction; networks without the value are left out.  Empty when the intent compares nothing."""
        raise NotImplementedError

    def of_scope(self, scope: str) -> list[str]:
        """The networks of this scope (`national`, `international`), in the file's order."""
        raise NotImplementedError

    def fact_with_role(self, network_id: str, roles: Sequence[str]) -> str | None:
        """The fact of the network that says who holds one of the roles (chair, founder…), if one does."""
        raise NotImplementedError

    def is_value(self, word: str) -> bool:
        """Whether a fact writes the word as a number or a name (`2007`, `Истанбулу`) no example uses."""
        raise NotImplementedError

    def is_topic(self, word: str) -> bool:
        """Whether only one network's topics use the word (`енергија`)."""
        raise NotImplementedError

    def fact_of_intent(self, intent: str) -> str | None:
        """The fact key an intent answers with (`joined` → `joined`), if it answers with a fact."""
        raise NotImplementedError

    def is_scope_word(self, word: str) -> bool:
        """Whether the word says a scope (`националне`, `Србије`, `европске`)."""
        raise NotImplementedError

    def fact_of(self, network_id: str, fact: str) -> bool:
        """Whether the network has that fact in the file."""
        raise NotImplementedError

    def is_kind(self, word: str) -> bool:
        """Whether the word names the kind of thing a network is (`мрежа`, `удружење`, `савез`)."""
        raise NotImplementedError

    def value_of(self, intent: str, network_id: str) -> int | None:
        """The value the intent's answers compare (`joined` → `joined_year`, `size` → `members`…) for the network,
        if the file has it."""
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
        if e.names_city and any(t in IN for t in e.tokens[: e.mentions[0].start]):  # `Niš u NALED-u?`: is it in
            return Reading("membership", networks, e.mention_score, rule="names_only")
        return Reading("about", networks, e.mention_score, rule="names_only")

    def asked_again(self, e: Evidence) -> Reading | None:
        """`Када је основан СКГО, а када НАЛЕД?`: an opener, the question word and another network: the last
        question again, of that network, when its examples use the question word."""
        last = e.context.intent  # the opener may be gone: `Кад је основана СКГО а кад НАЛЕД` splits before `а`
        if not e.mentions or not e.asks_only or not last or not self.oracle.needs_network(last):
            return None
        if not self.oracle.explains(last, replace(e, tokens=e.asks_only)):  # `а када` fits `founded`, not `seat`
            return None
        networks = e.networks[: self.config.max_networks]
        return Reading(last, networks, e.mention_score, focus=e.focus, rule="asked_again")

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
        if not (intent == "membership" or (intent == "joined" and e.name_like)) or score < self.config.accept:
            return None  # `Када је Ниш приступио Eurocities?` too: we keep no such membership either way
        if e.near_name is not None:  # `da li je nis clan nalde` is a typo, never "not in our records"
            offers = tuple((i, e.near_name) for i in ("membership", "about", "joined"))
            return Reading(CLARIFY, (e.near_name,), score, suggestions=offers, rule="unknown_network")
        return Reading("membership", (), score, asked=e.unknown_name, rule="unknown_network")

    def ordered(self, e: Evidence) -> Reading | None:
        """`Поређајте мреже по години приступања`: a list of them in order of the year, each with its fact."""
        if e.mentions or not e.ordering or not self._about_networks(e) or e.unmarked_words or e.counting:
            return None  # `Колико их има и које су, редом?` counts them all: the list
        intent = IMPLIED_BY_DIRECTION.get(e.superlative or "") or self._comparable(e)
        among = self.oracle.offers()
        ranked = self.oracle.compare(intent, "oldest" if intent != "size" else "most", among)
        fact = self.oracle.fact_of_intent(intent)
        if not ranked or fact is None:
            return None
        without = tuple(network for network in among if network not in ranked)
        facts = (fact,) * len(ranked)
        return Reading("list", tuple(ranked), 1.0, facts=facts, without=without, rule="ordered")

    def compared(self, e: Evidence) -> Reading | None:
        """Across all networks with a superlative (`најстарија мрежа`, `којој је Ниш први приступио`), or
        between the networks named (`да ли је старији ECAD или AVEC`): ranked by the compared value."""
        named = e.networks if len(e.networks) >= 2 else e.context.named if not e.mentions else ()
        if len(named) >= 2:
            direction, among = e.superlative or e.comparative, list(named)
        elif (
            not e.mentions
            and e.superlative
            and (self._about_networks(e) or self._joining(e) or (e.followup_lead and e.context.intent in COMPARABLE))
            and not any(self.oracle.is_value(t) for t in e.tokens)  # `на Првој конференцији 1987`: a look-up
        ):
            direction, among = e.superlative, self.oracle.offers()
        else:
            return None
        if direction is None or e.unmarked_words:  # `најстарија лига на свету` is about the world
            return None
        intent = IMPLIED_BY_DIRECTION.get(direction) or self._comparable(e)
        ranked = self.oracle.compare(intent, direction, among)
        if not ranked:
            return None
        without = tuple(network for network in among if network not in ranked)
        return Reading(intent, tuple(ranked), 1.0, compared=direction, without=without, rule="compared")

    def by_value(self, e: Evidence) -> Reading | None:
        """`У које мреже је Ниш ушао после 2005?`, `Које су мреже основане пре 1990?`, `Које мреже имају више
        од 200 чланова?`: the networks whose value (the year of joining or founding, as the question says, or
        the number of members) is below or above the one asked, each with its fact."""
        direction = e.comparative
        if e.mentions or direction not in BELOW or not self._about_networks(e) or e.unmarked_words:
            return None
        by_count = direction in ("most", "fewest")
        numbers = [int(t) for t in e.tokens if t.isascii() and t.isdigit() and (by_count or len(t) == 4)]
        if len(numbers) != 1 or (by_count and self.oracle.is_value(str(numbers[0]))):
            return None  # `која мрежа окупља више од 1000 локалних власти`: the fact's own words, a look-up
        intent = "size" if by_count else self._comparable(e)
        fact = self.oracle.fact_of_intent(intent)
        among = self.oracle.offers()
        known = {n: value for n in among if (value := self.oracle.value_of(intent, n)) is not None}
        if fact is None or not known:
            return None
        below, limit = BELOW[direction], numbers[0]
        in_order = sorted(known, key=known.__getitem__, reverse=by_count)  # years first to last, most members first
        matched = [n for n in in_order if (known[n] < limit if below else known[n] > limit)]
        without = tuple(n for n in among if n not in known)
        if len(matched) == 1:  # `Која је једина основана после 2000?`: that one
            return Reading(intent, tuple(matched), 1.0, rule="by_value")
        shown = matched or in_order
        return Reading(
            "list",
            tuple(shown),
            1.0,
            facts=(fact,) * len(shown),
            without=without,
            none_matched=not matched,
            rule="by_value",
        )

    def by_role(self, e: Evidence) -> Reading | None:
        """`Ко председава Лигом историјских градова?`: the named network's fact that says who holds the role."""
        network = self._the_network(e)
        if network is None or not e.roles or "who" not in e.focus:
            return None
        intent = self._role_intent(e, network, e.roles)
        if intent is None:
            return None
        return Reading(intent, (network,), e.mention_score, focus=e.focus, rule="by_role")

    def role_not_kept(self, e: Evidence) -> Reading | None:
        """`Ко је председник НАЛЕД-а?`, `Kako se zove direktor ECAD-a?`: a role no fact of the network names
        (but who founded it, which its founding answer admits not to know): we do not keep that."""
        network = self._the_network(e)
        roles = [role for role in e.roles if role != "founder"]
        if network is None or not roles or self._role_intent(e, network, roles):
            return None
        intent, score = e.top
        if score >= self.config.accept and self.oracle.has_detail(intent, "who"):
            return None  # `ко стоји иза оснивања Energy Cities`: its founding answer says whom we do not know
        return self._fallback(replace(e, mentions=e.mentions or ()), "role_not_kept")

    def name_of(self, e: Evidence) -> Reading | None:
        """`Како се СКГО зове на енглеском?`, `Шта значи НАЛЕД?`: the network's names, then what it is."""
        asked = e.focus & NAME_FOCUS
        network = self._the_network(e)
        if network is None or not asked or asked == {"former"} or e.unmarked_words:
            return None  # `Kako se zove direktor ECAD-a?` asks for no name of ours
        intent, score = e.top
        strong = asked & STRONG_NAME_FOCUS or asked >= {"name", "former"}
        if intent not in ("about", FALLBACK) and score >= self.config.accept and not strong:
            return None  # `Kako se zove sajt NALED-a?` asks for the website
        networks = e.networks[: self.config.max_networks] or (network,)
        return Reading("about", networks, e.mention_score, focus=e.focus, rule="name_of")

    def identified_by_facts(self, e: Evidence) -> Reading | None:
        """A question that asks for a network by something it is known for (`чему је Ниш приступио 2007`, `ко
        је потписао Стокхолмску резолуцију`): the network whose fact holds the question's words; when several
        fit as well (`седиште у Београду`), or the question counts them, a list of them with those facts."""
        asking = e.identifying or e.asks_network
        nominal = e.kind_worded and not e.question_worded  # `mreža iz Švedske`: by a value alone (below)
        if e.mentions or not (asking or nominal or (e.roles and "who" in e.focus)):
            return None
        best: dict[str, Hit] = {}
        asked = max(1, len(self.oracle.search_words(None, e)))
        share = self.config.identify_share_who if e.roles and not asking else self.config.identify_share
        for hit in self.oracle.facts_of(None, e):
            if all(self.oracle.is_scope_word(word) for word in hit.matched):
                continue  # `која су од тих удружења из Србије`: a scope (by_scope), not a fact
            if not asking and e.roles and len(hit.matched) < share * asked:
                continue  # `ко је потписао Стокхолмску декларацију`: not quite what the fact says
            enough = len(hit.matched) >= max(self.config.identify_words, share * asked)
            if enough or self._by_value(e, hit):
                best.setdefault(hit.network_id, hit)
        ranked = sorted(best.values(), key=lambda hit: (-len(hit.matched), -hit.score))
        if not ranked:
            return None
        top = ranked[0]
        if top.score < (self.config.identify_value if self._by_value(e, top) else self.config.identify):
            return None
        enough = len(top.matched) >= max(self.config.identify_words, self.config.identify_share * asked)
        if not asking and not e.roles and not (enough or self._by_value(e, top)):
            return None  # `mreža iz Švedske`, `mreža sa sedištem u Francuskoj`: a kind and the fact's words
        if e.scopes and not any(top.network_id in self.oracle.of_scope(scope) for scope in e.scopes):
            return None  # `која организација се бави енергијом у Србији`: not an international one
        by_value = self._by_value(e, top)  # a value outranks a common word (`седиштем у Јапану`: Japan, not seat)
        close = [
            h
            for h in ranked
            if len(h.matched) == len(top.matched)
            and top.score < self.config.identify_lead * h.score
            and (self._by_value(e, h) or not by_value)
        ]
        if len(close) > 1 or e.counting:  # several fit as well (`седиште у Београду`): a list of them
            if len(close) > self.config.max_listed:
                return None
            networks, facts = tuple(h.network_id for h in close), tuple(h.fact for h in close)
            return Reading("list", networks, 1.0, facts=facts, rule="identified_by_facts")
        who = bool(e.roles) and "who" in e.focus
        role_fact = self.oracle.fact_with_role(top.network_id, e.roles) if who else None
        if not asking and e.roles and role_fact != top.fact:  # `ко је основао Урбан институт`: no fact says who
            return None
        if role_fact:  # who signed it, who financed it: the fact that says so
            intent = self.oracle.intent_of_fact(role_fact) or "about"
            return Reading(intent, (top.network_id,), 1.0, rule="identified_by_facts")
        fact = None if top.fact == "about" else top.fact
        return Reading("about", (top.network_id,), 1.0, fact=fact, rule="identified_by_facts")

    def by_scope(self, e: Evidence) -> Reading | None:
        """`Које су од тих мрежа националне?`: the networks of that scope (both named: grouped by scope); `које
        мреже имају седиште у иностранству`: those of the scope whose seat the file gives, with it."""
        nominal = e.kind_worded and not e.question_worded  # `samo nacionalne mreže`
        if e.mentions or not e.scopes or not (e.identifying or e.asks_network or nominal) or e.unmarked_words:
            return None
        seat = self._asks_for(e, "seat")
        if not self.oracle.explains("seat" if seat else "list", e, beyond=True):
            return None  # `Koje organizacije finansira USAID u Srbiji?`
        networks = tuple(network for scope in e.scopes for network in self.oracle.of_scope(scope))
        if seat:
            located = tuple(n for n in networks if self.oracle.fact_of(n, "seat"))
            return Reading("list", located, 1.0, facts=("seat",) * len(located), rule="by_scope")
        return Reading("list", networks, 1.0, scopes=e.scopes, rule="by_scope")

    def list_of_networks(self, e: Evidence) -> Reading | None:
        """`Колико мрежа има Ниш?`, `Набројте удружења у којима је Ниш`: every network, counted."""
        # `U koliko mreža je Niš trenutno član, prema zvaničnim podacima?`: Niš's membership, asked with a few
        # words nobody wrote, still asks for the list; without it they may narrow it (`организације за младе`)
        of_nis = (
            e.membership_worded
            and e.names_city
            and len(e.unmarked_words) <= MAX_WORDS_BESIDE_LIST
            and not self._describes_kind(e)
        )
        if e.mentions or not (e.identifying or e.listing) or (e.unmarked_words and not of_nis):
            return None
        if e.scopes or e.superlative or not (e.kind_worded or e.membership_worded):
            return None  # `Nabrojte opštine u Nišu` lists no networks
        if any(self.oracle.is_value(token) for token in e.tokens):  # `која асоцијација постоји од 1953`: that one
            return None
        known = replace(e, plain_tokens=tuple(t for t in e.plain_tokens if t not in e.unknown_words)) if of_nis else e
        if not self.oracle.explains("list", known, beyond=True):  # `Koje organizacije za mlade postoje u Nišu?`
            return None
        return Reading("list", (), 1.0, rule="list_of_networks")

    def is_member(self, e: Evidence) -> Reading | None:
        """The classifier reads joined or membership (its examples of the two share most words) and no word
        asks for a time: the question is whether Niš is a member (`Niš je u Energy Cities?`, `Ниш приступио
        ECAD-у?`).  The membership answer says since when, where the file knows."""
        since = "od" in e.tokens or any(len(t) == 4 and t.isdigit() for t in e.tokens)  # `Ниш у ЕКАД-у од?`
        if not e.mentions or e.asks_when or since or not e.names_city or e.unknown_words:
            return None
        two = [intent for intent, _ in e.ranked[:2]]
        if two[:1] not in (["joined"], ["membership"]) or "membership" not in two:
            return None
        score = sum(score for _, score in e.ranked[:2])
        if score < self.config.accept:
            return None
        networks = e.networks[: self.config.max_networks]
        return Reading("membership", networks, min(1.0, score) * e.mention_score, rule="is_member")

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
        if e.mentions or not (e.context.network or e.membership_worded):  # (before the costly rescoring)
            return None
        if (best := self._as_if_named(e, self.config.accept)) is None:
            return None
        intent, score = best
        network = e.context.network
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

    def _role_intent(self, e: Evidence, network: str, roles: Sequence[str]) -> str | None:
        """The intent of the network's fact that says who holds one of the roles, when the question asks about
        that fact: `Ко је потписао приступање ECAD-у?` asks who signed the joining, and the founding fact (21
        cities signed the Stockholm resolution) does not say that."""
        fact = self.oracle.fact_with_role(network, roles)
        intent = self.oracle.intent_of_fact(fact) if fact else None
        if intent is None:
            return None
        asked, score = e.top  # Niš's joining is Niš's act: no fact of the network says who did it
        if asked != intent and score >= self.config.accept and self.oracle.about_the_city(asked):
            return None
        return intent

    def _asks_for(self, e: Evidence, intent: str) -> bool:
        """Whether the intent is among the clause's two likeliest, as it is or as if a network were named."""
        return intent in {i for i, _ in (*e.ranked[:2], *self.oracle.rescore_with_network(e)[:2])}

    def _by_value(self, e: Evidence, hit: Hit) -> bool:
        """The fact holds a number or a name of the question (`2007`, `Безансона`) and every other word and
        number of it that no example uses: `Koje organizacije finansira USAID u Srbiji?` asks more than the
        fact says."""
        if not any(self.oracle.is_value(word) or self.oracle.is_topic(word) for word in hit.matched):
            return False
        searched = set(self.oracle.search_words(None, e))
        numbers = {word for word in searched if word.isdigit()}  # `konferencija o klimi 2025`: not the fact's year
        return (set(e.unexplained_words) & searched) | numbers <= set(hit.matched)

    def _the_network(self, e: Evidence) -> str | None:
        """The one network the clause names, or, naming none, the one the conversation is about."""
        if e.mentions:
            return e.networks[0] if len(e.networks) == 1 else None
        return e.context.network

    def _about_networks(self, e: Evidence) -> bool:
        """`која мрежа`, `од тих мрежа`, `мрежа`, or right after a list of them: the question is about our networks."""
        return (
            e.identifying
            or e.asks_network
            or e.kind_worded
            or e.context.intent in LISTING
            or (e.question_worded and not e.names_city and self._only_comparing(e))  # `која је најмлађа?`
        )

    def _describes_kind(self, e: Evidence) -> bool:
        """A word nobody wrote next to the kind of thing asked for describes it: `спортског савеза`, `mreže
        autobusa`, `организације за младе` (two words off)."""
        unknown = [i for i, t in enumerate(e.tokens) if t in e.unmarked_words]
        kinds = [i for i, t in enumerate(e.tokens) if self.oracle.is_kind(t)]
        return any(abs(i - k) <= 2 for i in unknown for k in kinds)

    def _only_comparing(self, e: Evidence) -> bool:
        """Besides the question words and the comparison, no word, or only those of the compared value's
        questions (`Које су основане после 1995?`); `која је најстарија црква` asks about churches."""
        return not e.plain_content or self.oracle.explains(self._comparable(e), e, beyond=True)

    def _joining(self, e: Evidence) -> bool:
        """`Где се Ниш најскорије учланио?`: about Niš joining, without `мрежа` in it."""
        best = self._as_if_named(e, self.config.accept)
        return e.names_city and best is not None and best[0] == "joined"

    def _comparable(self, e: Evidence) -> str:
        """The intent whose values a comparison ranks by: the question's own (`приступио` → joined, `основана`
        → founded), as the classifier reads it with a network in place; joined when it cannot tell."""
        for intent, _ in (*e.ranked[:2], *self.oracle.rescore_with_network(e)[:2]):
            if intent in COMPARABLE:
                return intent
        return "joined"

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
    Decider.asked_again,
    Decider.detail_of_last,
    Decider.unknown_network,
    Decider.ordered,
    Decider.compared,
    Decider.by_value,
    Decider.by_role,
    Decider.role_not_kept,
    Decider.name_of,
    Decider.list_of_networks,
    Decider.by_scope,
    Decider.identified_by_facts,
    Decider.is_member,
    Decider.answer,
    Decider.follow_up,
    Decider.fact_of_network,
    Decider.out_of_scope,
    Decider.ask_back,
    Decider.which_network,
)
