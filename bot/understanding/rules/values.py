"""Rules that compute the answer from the networks' values: in order (`поређајте мреже по години
приступања`), the first or last of them or of those named (`која је мрежа најстарија`, `старији ECAD или
AVEC`), and those below or above a value (`у које мреже је Ниш ушао после 2005`)."""

from __future__ import annotations

from collections.abc import Callable

from bot.understanding.rules.base import RuleBase
from bot.understanding.types import NAME_FOCUS, YEAR_DIGITS, Evidence, Reading

# `пре 2008`, `после 2005`, `више од 200`: the comparatives that filter by a value, and whether they keep the
# values below it.
# `најновија по учлањењу Ниша`: the newest or oldest asked of Niš's joining is the latest or earliest joined
BY_JOINING = {"youngest": "latest", "oldest": "earliest"}
DECADE, CENTURY = 10, 100  # years
BELOW = {"earliest": True, "latest": False, "fewest": True, "most": False, "oldest": True, "youngest": False}
# `између 1990 и 1999`, `у периоду од 1990 до 1999`: the years from one to the other, both included (a bare
# `од 1990 до 1999` has no word of `between` in language.yml: not read as a range)
BETWEEN = "between"
THAN = "od"  # `старија од Energy Cities`: what a comparison is made with follows it
NAMED = NAME_FOCUS - {"former"}  # a name asked (`звала`), not only `пре`, which is also a comparison


class ValueRules(RuleBase):
    def ordered(self, e: Evidence) -> Reading | None:
        """`Поређајте мреже по години приступања`: a list of them in order of the year, each with its fact."""
        if e.mentions or not e.ordering or not self._about_networks(e) or e.unmarked_words or e.counting:
            return None  # `Колико их има и које су, редом?` counts them all: the list
        intent = self.roles.implied_by(e.superlative or "") or self._comparable(e)
        if e.membership_said and not e.names_city:  # `по години приступања`: joining, whoever's networks they are
            intent = self.roles.joining
        among = self.oracle.offers()
        counted = "most" in self.roles.compared.get(intent, ())  # counts run most first, years oldest first
        ranked = self.oracle.compare(intent, "most" if counted else "oldest", among)
        fact = self.oracle.fact_of_intent(intent)
        if not ranked or fact is None:
            return None
        without = tuple(network for network in among if network not in ranked)
        facts = (fact,) * len(ranked)
        return Reading(self.roles.listing, tuple(ranked), 1.0, facts=facts, without=without, rule="ordered")

    def compared(self, e: Evidence) -> Reading | None:
        """Across all networks with a superlative (`најстарија мрежа`, `којој је Ниш први приступио`), or
        between the networks named (`да ли је старији ECAD или AVEC`) or just listed (`Које су домаће?` – `а
        која је од њих старија?`): ranked by the compared value."""
        # `Koja od domaćih mreža je starija?`: the comparative of a scope's networks asks which of them is
        # (not `koje medjunarodne mreze imaju preko 200 clanova`: a comparison with a number is a filter)
        superlative = e.superlative
        if not superlative and e.comparative and e.scopes and e.comparative != BETWEEN:
            superlative = None if any(t.isdigit() for t in e.tokens) else e.comparative
        named = e.networks if len(e.networks) >= 2 else e.context.named if not e.mentions else ()
        last = e.context.network
        with_last = len(e.networks) == 1 and bool(e.comparative) and bool(last) and last != e.networks[0]
        if with_last:
            named = (last or "", e.networks[0])  # `Da li je stariji od ECAD-a?` after AVEC: AVEC against ECAD
        # `од њих`, `од тих`: `а која је од њих старија?`; or a comparative alone after two networks asked in turn
        # (`када је основан СКГО` – `а НАЛЕД` – `који је старији`)
        if not named and not e.mentions and (e.asks_network or (e.comparative and e.which_worded)):
            named = e.context.listed  # the last list's networks (none after a list of them all)
        if len(named) >= 2:  # `između` is no direction to rank by: `veza između ECAD i AVEC` compares nothing
            comparative = e.comparative if e.comparative != BETWEEN else None
            direction, among = e.superlative or comparative, list(named)
        elif (
            not e.mentions
            and superlative
            and (
                self._about_networks(e)
                or self._joining(e)
                or (e.followup_lead and (e.context.intent or "") in self.roles.compared)
            )
            # `на Првој конференцији 1987`: a look-up; `највећа у Београду`: among those seated there (not computed)
            and not any(self.oracle.is_value(t) or self.oracle.is_shared_place(t) for t in e.tokens)
            and not self._said_in_a_fact(e)
        ):
            direction, among = superlative, self.oracle.offers()
            if e.scopes:  # `Која је од међународних мрежа најкасније основана?`: among those of the scope
                among = [n for n in among if any(n in self.oracle.of_scope(scope) for scope in e.scopes)]
        else:
            return None
        if direction is None or e.unmarked_words:  # `најстарија лига на свету` is about the world
            return None
        # the question is about joining, as the classifier reads it, or as the last question was (`Кад је Ниш
        # приступио ECAD-у?` – `А Лиги историјских градова, раније или касније?`)
        # (or a superlative alone: `Kojoj mreži je Niš prvo pristupio?` – `a poslednje?` is the last joined)
        bare = len(e.content_words) <= 1
        asked_before = e.context.intent if (with_last or bare) and e.context.intent in self.roles.compared else None
        joining = e.ranked and e.ranked[0][0] == self.roles.joining and not self._of_kind(e)
        if direction in BY_JOINING and (joining or asked_before == self.roles.joining):
            direction = BY_JOINING[direction]
        intent = self.roles.implied_by(direction) or self._comparable(e)
        if asked_before and direction in self.roles.compared.get(asked_before, ()):
            intent = asked_before
        if direction not in self.roles.compared.get(intent, ()):
            return None  # responses.yml has no sentence for that comparison of that intent
        ranked = self.oracle.compare(intent, direction, among)
        if not ranked:
            return None
        if len(named) >= 2 and len(ranked) < 2:  # `А НАЛЕД-у пре или после?`: one value is unknown, so no winner:
            return Reading(intent, tuple(among), 1.0, rule="compared")  # each network's fact, which says so
        without = tuple(network for network in among if network not in ranked)
        return Reading(intent, tuple(ranked), 1.0, compared=direction, without=without, rule="compared")

    def _of_kind(self, e: Evidence) -> bool:
        """`најстарија организација од мрежа Ниша`: `oldest` right beside the kind of thing is that thing's age,
        not Niš's membership, however much the rest reads as joining."""
        tokens = e.tokens
        return any(
            self.oracle.is_comparison_word(tokens[i]) and self.oracle.is_kind(tokens[i + 1])
            for i in range(len(tokens) - 1)
        )

    def by_decade(self, e: Evidence) -> Reading | None:
        """`Које су мреже основане деведесетих?`: the networks whose year (of founding or of joining, as the
        question says) falls in that decade, each with its fact; only one (`мрежа из педесетих`, of whichever
        year has one there when the question does not say): that network, by that fact. A century likewise
        (`основане у двадесетом веку`, `у овом веку`)."""
        said = [t for t in e.tokens if len(t) == 5 and t.endswith("s") and t[:4].isdigit()]
        decades = [int(t[:-1]) for t in said]
        # a century (`у двадесетом веку`, `у овом веку`) is read the same way, a hundred years long
        # (`деведесетих година прошлог века`: the decade, which the century only places)
        placed = bool(decades) and all(e.century <= d < e.century + CENTURY for d in decades if e.century)
        century = None if placed else e.century
        spans = [(decade, DECADE) for decade in decades] + ([(century, CENTURY)] if century else [])
        # the decade is no word nobody wrote, though no fact says `осамдесетих`
        if e.mentions or len(spans) != 1 or not self._about_networks(e) or set(e.unmarked_words) - set(said):
            return None
        if e.negated:  # `која није основана педесетих`: not those
            return None
        start, length = spans[0]

        def in_decade(value: int) -> bool:
            return start <= value < start + length

        intent = self._comparable(e)
        if not self._says_which_value(e):  # `мрежа из педесетих`: the year, of joining or of founding, in it
            holding = [i for i in self.roles.compared if any(in_decade(v) for v in self._known(i).values())]
            intent = holding[0] if len(holding) == 1 else intent
        return self._those_where(intent, in_decade, "by_decade", look_up=True)

    def by_value(self, e: Evidence) -> Reading | None:
        """`У које мреже је Ниш ушао после 2005?`, `Које су мреже основане пре 1990?`, `Које мреже имају више
        од 200 чланова?`: the networks whose value (the year of joining or founding, as the question says, or
        the number of members) is below or above the one asked, each with its fact."""
        direction = e.comparative
        if e.mentions or (direction not in BELOW and direction != BETWEEN) or not self._about_networks(e):
            return None
        if e.unmarked_words or any(map(self.oracle.is_comparison_word, e.denied)):
            return None  # `Које мреже нису старије од 2000?`: the others, which the bot does not compute
        by_count = direction in ("most", "fewest")
        numbers = [int(t) for t in e.tokens if t.isascii() and t.isdigit() and (by_count or len(t) == 4)]
        quoted = direction == "most" and bool(numbers) and self.oracle.is_value(str(numbers[0]))
        if len(numbers) != (2 if direction == BETWEEN else 1) or (by_count and quoted):
            return None  # `која мрежа окупља више од 1000 локалних власти`: the fact's own words, a look-up
        # (`мање од 300 чланова` is no fact's words: NALED's says `око 300`)
        intent = self.roles.implied_by(direction) or self._comparable(e)  # `више од 200`: the one counting members
        if direction == BETWEEN:
            first, last = sorted(numbers)
            return self._those_where(intent, lambda value: first <= value <= last, "by_value")
        below, limit = BELOW[direction], numbers[0]
        keeps = (lambda value: value < limit) if below else (lambda value: value > limit)
        return self._those_where(intent, keeps, "by_value", most_first=by_count)

    def than_named(self, e: Evidence) -> Reading | None:
        """`Које мреже су основане пре НАЛЕД-а?`, `koja mreza je starija od Energy Cities`: those whose value (the
        year of founding or joining, the number of members) is below or above the named network's."""
        direction = e.comparative
        if len(e.networks) != 1 or direction not in BELOW or not (e.identifying or e.which_worded or e.listing):
            return None
        if any(t.isdigit() for t in e.tokens) or e.negated or e.unmarked_words or e.focus & NAMED:
            return None  # (`koja se mreža zvala pre Energy Cities` asks a name: `pre` is `former` there)
        # the comparison stands right before the name (`пре НАЛЕД-а`, `старија од Energy Cities`): compared with it
        start, tokens = e.mentions[0].start, e.tokens
        before = start - 1 - (start > 1 and tokens[start - 1] == THAN)
        if before < 0 or not self.oracle.is_comparison_word(tokens[before]):
            return None
        intent = self.roles.implied_by(direction) or self._comparable(e)
        if direction not in self.roles.compared.get(intent, ()):
            return None
        value = self.oracle.value_of(intent, e.networks[0])
        if value is None:
            return None
        keeps = (lambda v: v < value) if BELOW[direction] else (lambda v: v > value)
        return self._those_where(intent, keeps, "than_named", most_first=direction in ("most", "fewest"))

    def by_year_none_has(self, e: Evidence) -> Reading | None:
        """`Која мрежа је основана 1993?`: a look-up by a year that no fact of any network holds
        (`identified_by_facts` finds those that do), where every network's year is known: none fits, and each
        network's year shows it (not `čemu je Niš pristupio 2010`: three joining years are not kept)."""
        years = [t for t in e.tokens if len(t) == YEAR_DIGITS and t.isdigit()]
        if e.mentions or len(years) != 1 or e.comparative or e.superlative or e.negated or e.unmarked_words:
            return None
        if not (e.identifying or e.asks_network) or not self._says_which_value(e):
            return None
        # (of our networks, in words our questions use: not `ко је освојио лигу шампиона 2023`, `koji tim je
        # osnovan 1923`)
        intent, year = self._comparable(e), int(years[0])
        if (
            e.unknown_words
            or any(map(self.oracle.is_out_of_scope_word, e.tokens))
            or not self.oracle.explains(intent, e)
        ):
            return None
        if any(self.oracle.in_facts(network, years[0]) for network in self.oracle.offers()):
            return None  # a fact says it (`основана 1994`, `у децембру 2020`): a look-up, not ours
        if len(self._known(intent)) < len(self.oracle.offers()):
            return None  # `čemu je Niš pristupio 2010`: three joining years are not kept; one may be 2010
        return self._those_where(intent, lambda value: value == year, "by_year_none_has", look_up=True)

    def _those_where(
        self, intent: str, keeps: Callable[[int], bool], rule: str, most_first: bool = False, look_up: bool = False
    ) -> Reading | None:
        """The networks whose value of the intent's fact `keeps` takes, years first to last (or most members
        first): the one, or a list of them with that fact, saying which have no value; none kept, all of them."""
        fact = self.oracle.fact_of_intent(intent)
        among = self.oracle.offers()
        known = self._known(intent)
        if fact is None or not known:
            return None
        in_order = sorted(known, key=known.__getitem__, reverse=most_first)
        matched = [n for n in in_order if keeps(known[n])]
        if len(matched) == 1 and look_up:  # `мрежа из педесетих`: a look-up by a year, answered as by a fact
            return Reading(self.roles.describing, tuple(matched), 1.0, fact=fact, rule=rule)
        # `Која је једина основана после 2000?`: that one; but where some network has no such value (`у коју
        # мрежу је Ниш ушао пре 2005`), the one we know of is not the only one there may be: a list, saying so
        if len(matched) == 1 and len(known) == len(among):
            return Reading(intent, tuple(matched), 1.0, rule=rule)
        shown = matched or in_order
        return Reading(
            self.roles.listing,
            tuple(shown),
            1.0,
            facts=(fact,) * len(shown),
            without=tuple(n for n in among if n not in known),
            none_matched=not matched,
            rule=rule,
        )

    def _known(self, intent: str) -> dict[str, int]:
        """Our networks that have a value of the intent's fact (the year of joining, of founding…), with it."""
        return {n: value for n in self.oracle.offers() if (value := self.oracle.value_of(intent, n)) is not None}

    def _says_which_value(self, e: Evidence) -> bool:
        """Whether the classifier reads the question itself as about a compared value (`основане`, `приступио`)."""
        return any(intent in self.roles.compared for intent, _ in e.ranked[:2])

    def _about_networks(self, e: Evidence) -> bool:
        """`која мрежа`, `од тих мрежа`, `мрежа`, or right after a list of them: the question is about our networks."""
        return (
            e.identifying
            or e.asks_network
            or e.kind_worded
            or e.context.intent == self.roles.listing
            or (e.question_worded and not e.names_city and self._only_comparing(e))  # `која је најмлађа?`
            or (len(e.content_words) <= 1 and not e.names_city and self._only_comparing(e))  # `а најстарија?`
            # `у које се Ниш учланио после 2005`, `koja je poslednja u koju je Niš ušao`: which Niš is in
            or (e.which_worded and e.membership_said and e.names_city)
            or (e.listing and e.membership_said)  # `хронолошки списак чланстава`
        )

    def _only_comparing(self, e: Evidence) -> bool:
        """Besides the question words and the comparison, no word, or only those of the compared value's
        questions (`Које су основане после 1995?`); `која је најстарија црква` asks about churches, `koja je
        najveća opština u Srbiji` about municipalities (a topic's word right after the comparison)."""
        tokens, oracle = e.tokens, self.oracle
        if any(oracle.is_comparison_word(tokens[i - 1]) and oracle.is_topic(tokens[i]) for i in range(1, len(tokens))):
            return False
        return not e.plain_content or oracle.explains(self._comparable(e), e, beyond=True)

    def _joining(self, e: Evidence) -> bool:
        """`Где се Ниш најскорије учланио?`: about Niš joining, without `мрежа` in it."""
        best = self._as_if_named(e, self.config.accept)
        return e.names_city and best is not None and best[0] == self.roles.joining

    def _comparable(self, e: Evidence) -> str:
        """The intent whose values a comparison ranks by: the question's own (`приступио` → joined, `основана`
        → founded), as the classifier reads it with a network in place; joined when it cannot tell."""
        for intent, _ in (*e.ranked[:2], *self.oracle.rescore_with_network(e)[:2]):
            if intent in self.roles.compared:
                return intent
        return self.roles.joining
