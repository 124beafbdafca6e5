"""Gather what the earlier stages say about one clause into the `Evidence` the rules decide on.

Networks named (less an alias that runs into another body's name, `Стална
конференција УН`), the classifier's ranking with names and the kind noun beside
them masked, unknown words, the city or someone else as the subject, a name we
do not know (`unknown_names`), and the small cues the rules use: a follow-up
opener, only question words, `која мрежа`.
Capital letters are read from what the user wrote, when they tell anything.
What the lexicon finds in the clause (its phrase lists, opener, courtesy,
focus) is read from its `Span`, found there once for every stage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import pairwise

from bot.lexicon import Lexicon
from bot.phrases import phrase_at, phrase_ending_at, words_of
from bot.script import fold
from bot.thresholds import DEFAULT, Config
from bot.understanding.features import masked
from bot.understanding.message import Clause, Span
from bot.understanding.networks import NetworkFinder
from bot.understanding.types import WHERE, Context, Evidence, Mention
from bot.understanding.unknown_names import UnknownNames
from bot.understanding.words import Words

_WORD = re.compile(r"[\w'’-]+")

Ranking = list[tuple[str, float]]


class EvidenceBuilder:
    def __init__(
        self,
        lexicon: Lexicon,
        finder: NetworkFinder,
        rank: Callable[[Sequence[str]], Ranking],
        words: Words,
        about_nis: frozenset[str],
        needs_network: Callable[[str], bool],
        listing: str,
        one_network_writes: Callable[[Sequence[str]], bool],
        config: Config = DEFAULT,
    ):
        self.lexicon = lexicon
        self.finder = finder
        self.rank = rank  # the classifier's ranking of masked tokens (the pipeline's current model)
        self.words = words
        self.about_nis = about_nis
        self.needs_network = needs_network
        self.listing = listing  # the intent whose answer lists networks (`lists_networks`)
        self.unknown_names = UnknownNames(lexicon, finder, words, one_network_writes, config)
        self.config = config
        self._asking_words = words_of(lexicon.question_words, lexicon.identify_asking, lexicon.count_asking)
        self._scope_words = words_of(*lexicon.scopes.values())
        self._focus_words = {phrase[0] for phrases in lexicon.focus.values() for phrase in phrases if len(phrase) == 1}

    def __call__(self, clause: Clause, span: Span, context: Context) -> Evidence:
        """The evidence of `span`, a run of the clause's tokens (the whole clause, its core, …)."""
        words, lexicon, tokens = self.words, self.lexicon, span.tokens
        capitals = clause.capitals(tokens)
        mentions = tuple(self._ours(span, capitals))
        if not mentions and context.network and (lone := self.finder.lone_kind(tokens)):
            mentions = (lone,) if lone.network_id != context.network else ()  # `а Лига, када…` after ECAD
        elif not mentions and (named := self.finder.kind_alone(tokens, capitals)):
            capital = bool(capitals and capitals[named.start])  # (`Лига` inside a sentence names it)
            ours = self._all_ours(span, tokens) and (capital or self._asks_of_it(named, tokens))
            mentions = (named,) if ours else ()
        inside = {i for m in mentions for i in range(m.start, m.end)}
        rest = [t for i, t in enumerate(tokens) if i not in inside]
        start, end = span.courtesy
        said = [t for i, t in enumerate(tokens) if i not in inside and start <= i < end]  # courtesy aside
        unexplained = tuple(t for t in said if words.is_content(t) and not words.explained(t))
        unknown = tuple(t for t in unexplained if not words.known(t))
        lead = span.opener
        stranger_at = [
            i
            for i in range(len(tokens))
            # (not a scope's word: `u Srbiji` says national, and is no other subject)
            if capitals is not None
            and i not in inside
            and tokens[i] not in self._scope_words
            and words.is_proper_noun(span, i, capitals)
        ]
        strangers = tuple(tokens[i] for i in stranger_at)
        # (`мој град Лесковац`, `naš Leskovac`: a small word for the city names the stranger after it, not Niš; `Niš
        # Mitglied` still names Niš)
        names_city = any(
            t in lexicon.city and not (i + 1 in stranger_at and capitals and not capitals[i])
            for i, t in enumerate(tokens)
            if i not in inside
        )
        other = bool(strangers)
        plain = span.unmarked
        inside_words = {tokens[i] for i in inside}
        tags = span.tags
        counting = "count" in tags and (any(lexicon.is_kind(t) for t in tokens) or context.intent == self.listing)
        ranked = self.rank(masked(tokens, self._with_kinds(tokens, mentions) or self._referred(tokens, context)))
        evidence = Evidence(
            tokens=tokens,
            mentions=mentions,
            ranked=tuple(self._about_whom(ranked, names_city, other)),
            focus=span.focus,
            unknown_words=unknown,
            unmarked_words=tuple(t for t in unknown if t in plain),
            plain_tokens=plain,
            unexplained_words=unexplained,
            filler_only=all(words.is_filler(t) for t in rest[lead:] if t),
            opener=lead,
            only_question_words=span.only_question_words,
            asks_only=self._asks_only(tokens, lead, inside),
            identifying=self._identifying(tokens)
            or counting
            or (clause.asks_which and any(lexicon.is_kind(t) for t in rest)),
            # `где је Ниш примљен на 14. конференцији`: where Niš joined is which network, when none is named
            asks_network="network" in tags
            or (not mentions and names_city and WHERE in span.focus and any(map(self._says_membership, rest))),
            counting=counting,
            asks_when="when" in tags,
            listing="list" in tags,
            ordering="order" in tags,
            renaming="renaming" in tags,
            relating=lexicon.relating(tokens),
            negated="negation" in tags,
            denied=self._denied(tokens, clause.text) if "negation" in tags else frozenset(),
            kind_worded=any(lexicon.is_kind(t) for t in rest),
            question_worded="question" in tags,
            plain_content=tuple(
                t for t in plain if t not in inside_words and t not in self._asking_words and words.is_content(t)
            ),
            superlative=self._superlative(tokens, tags, capitals),
            comparative=next((name for name in lexicon.comparatives if f"comparative:{name}" in tags), None),
            scopes=_asserted(span),
            scope_worded=any(tag.startswith("scope:") for tag in tags),
            roles=tuple(name for name in lexicon.roles if f"role:{name}" in tags),
            membership_worded=any(map(lexicon.is_membership_word, rest)),
            membership_said=any(self._says_membership(t) for t in rest),
            refers_back=self._refers_back(tokens),
            contrary=any(map(lexicon.is_contrary, tokens)),
            hypothetical=clause.hypothetical,
            which_worded="identify" in tags,
            century=next((int(tag.partition(":")[2]) for tag in tags if tag.startswith("century:")), None),
            names_other="name" in span.focus and self._names_other(tokens, inside),
            names_city=names_city,
            strangers=strangers,
            content_words=tuple(t for t in rest if words.is_content(t)),
            context=context,
        )
        return evidence if mentions else self._with_unknown_name(evidence, clause, capitals, set(unknown))

    def _with_unknown_name(
        self, evidence: Evidence, clause: Clause, capitals: list[bool] | None, unknown: set[str]
    ) -> Evidence:
        """A network not in our records (`да ли је Ниш члан Eurocities`), and the question ranked again without
        its name."""
        found = self.unknown_names.find(evidence, clause, capitals, unknown)
        if found is None:
            return evidence
        ranked = self.rank(found.masked)
        return replace(
            evidence,
            ranked=tuple(self._about_whom(ranked, evidence.names_city, other=False)),
            unknown_name=found.written,
            near_name=found.near,
            name_like=found.name_like,
        )

    def _about_whom(self, ranked: Ranking, names_city: bool, other: bool) -> Ranking:
        """Questions about Niš itself (`about_nis`) drop out when they are about someone else: one naming a
        network must name Niš or `ми` (`Од које године ради ECAD?` asks when ECAD began), one naming none
        must not name another subject (`Којим организацијама припада Србија?`)."""

        def about_someone_else(intent: str) -> bool:
            if intent not in self.about_nis:
                return False
            return not names_city if self.needs_network(intent) else other

        return [(intent, score) for intent, score in ranked if not about_someone_else(intent)]

    def _all_ours(self, span: Span, tokens: Sequence[str]) -> bool:
        """Every word one we know and none only out-of-scope questions use, in no question for a name: the
        question may be about the League (`где је седиште Лиге`; not `Koliko klubova igra u Ligi?`, `Kako se zove
        gradonačelnik Kjota koji vodi Ligu?`)."""
        words = self.words
        return "name" not in span.focus and all(
            words.known(t) and not words.out_of_scope_only(t) for t in tokens if words.is_content(t)
        )

    def _asks_of_it(self, kind: Mention, tokens: Sequence[str]) -> bool:
        """`седиште Лиге`, `sajt lige`, `ko predsedava ligom`, `zbog čega je Niš u ligi`: a word we know or the city
        asks something of the kind's word, and none describes it (`šta je liga` asks what a league is; `ta japanska
        liga` is described)."""
        words, lexicon, before = self.words, self.lexicon, tokens[kind.start - 1] if kind.start else ""
        role = any(before in phrases.words for phrases in lexicon.roles.values())  # `predsedava ligom`
        plain = not before or lexicon.is_stopword(before)
        if not plain and (before in self._scope_words or not (words.explained(before) or role)):
            return False  # (`evropske lige`: a scope describes another league)
        asking = self.lexicon.question_words.words
        return any(
            (words.is_content(t) and t not in asking) or t in lexicon.city  # `зашто је Ниш у лиги`
            for i, t in enumerate(tokens)
            if not kind.start <= i < kind.end
        )

    def _ours(self, span: Span, capitals: list[bool] | None) -> list[Mention]:
        """The span's mentions, less those that run on into another capitalised word: `Стална конференција УН`
        is another body's name that begins like one of our aliases."""
        mentions = self.finder.mentions(span)
        if capitals is None:
            return list(mentions)
        starts, size = {m.start for m in mentions}, len(span.tokens)
        return [
            m
            for m in mentions
            if not (m.end < size and m.end not in starts and self.words.is_proper_noun(span, m.end, capitals))
        ]

    def _referred(self, tokens: Sequence[str], context: Context) -> list[Mention]:
        """`те асоцијације`, `тог удружења` in a conversation about a network: it stands for that network's name, to
        the classifier too (`Da li je Niš član te asocijacije?` asks membership, not the list of them all)."""
        if context.network is None:
            return []
        pairs = self.lexicon.reference_pairs
        return [
            Mention(context.network, i, i + 2, 1.0)
            for i in range(len(tokens) - 1)
            if (tokens[i], tokens[i + 1]) in pairs
        ][:1]

    def _with_kinds(self, tokens: Sequence[str], mentions: Sequence[Mention]) -> list[Mention]:
        """Mentions grown over a kind noun right beside them (`мрежи ECAD`, `Energy Cities asocijacija`):
        the noun only says what the network is, and must not pull towards `list`."""
        grown = []
        for mention in mentions:
            start, end = mention.start, mention.end
            if start > 0 and self.lexicon.is_kind(tokens[start - 1]):
                start -= 1
            if end < len(tokens) and self.lexicon.is_kind(tokens[end]):
                end += 1
            grown.append(replace(mention, start=start, end=end))
        return grown

    def _names_other(self, tokens: Sequence[str], inside: set[int]) -> bool:
        """`Kako se zove gradonačelnik Kjota…`, `kako se zove sajt`: the word a name is asked of (after `како се
        зове`, `име`…, past the small words) is neither a network named nor the kind of thing a network is."""
        lexicon, phrases = self.lexicon, self.lexicon.focus.get("name")
        if not phrases:
            return False
        for index in range(len(tokens)):
            phrase = phrase_at(tokens, index, phrases)
            if phrase is None:
                continue
            after = index + len(phrase)
            while after < len(tokens) and lexicon.is_stopword(tokens[after]):
                after += 1
            if after < len(tokens):
                token = tokens[after]  # (not a word of the name itself: `шта значе та слова`, `оригинални назив`)
                ours = after in inside or lexicon.is_kind(token) or token in self._focus_words
                return not ours and self.words.is_content(token)
            return False
        return False

    def _superlative(self, tokens: Sequence[str], tags: frozenset[str], capitals: list[bool] | None) -> str | None:
        """The superlative the clause asks (`најстарија`, `прва`); not one that begins a name written with a capital
        inside the sentence (`на Првој светској конференцији историјских градова`)."""
        lexicon = self.lexicon
        for name, phrases in lexicon.superlatives.items():
            if f"superlative:{name}" not in tags:
                continue
            at = [i for i in range(len(tokens)) if phrase_at(tokens, i, phrases)]
            if capitals is None or any(i == 0 or not capitals[i] for i in at):
                return name
        return None

    def _refers_back(self, tokens: Sequence[str]) -> bool:
        """`њој`, `та мрежа`: a word or two of `references`."""
        return not self.lexicon.references.isdisjoint(tokens) or any(
            pair in self.lexicon.reference_pairs for pair in pairwise(tokens)
        )

    def _says_membership(self, token: str) -> bool:
        """`члан`, `учлањен`, `приступио`: a word that says membership, not only the kind (`мрежа`)."""
        return self.lexicon.is_membership_word(token) and not self.lexicon.is_kind(token)

    def _denied(self, tokens: Sequence[str], text: str) -> frozenset[str]:
        """The words right after a negation (`није члан`), through the stop words to the first other word (`није
        из Кјота`); not after the city's name written as one in Latin without diacritics (`nisu` is `Nišu`: `čemu
        služi nisu članstvo`; `нису` is only ever a negation)."""
        lexicon = self.lexicon
        plain = {fold(word) for word in _WORD.findall(text) if word.isascii()}
        denied: set[str] = set()
        for i in range(1, len(tokens)):
            negation = phrase_ending_at(tokens, 0, i, lexicon.negations)
            if not negation or (len(negation) == 1 and tokens[i - 1] in lexicon.city and tokens[i - 1] in plain):
                continue
            end = i
            while end + 1 < len(tokens) and lexicon.is_stopword(tokens[end]):
                end += 1
            denied.update(tokens[i : end + 1])
        return frozenset(denied)

    def _asks_only(self, tokens: Sequence[str], lead: int, inside: set[int]) -> tuple[str, ...]:
        """After the opener and but the names: the question words, when nothing else there means anything."""
        rest = [t for i, t in enumerate(tokens) if i >= lead and i not in inside]
        asking = self.lexicon.question_words.words
        words = self.words
        if not all(t in asking or words.is_filler(t) or not words.is_content(t) for t in rest):
            return ()
        return tuple(t for t in rest if t in asking)

    def _identifying(self, tokens: Sequence[str]) -> bool:
        """`која мрежа …`, `колико удружења …`: an asking word with the kind of thing asked for close after it
        (counted without the words of a scope and the stop words between: `које су домаће, националне
        асоцијације`, `које су од тих шест мрежа`)."""
        asking = self.lexicon.identify_asking
        if asking.by_first_word.keys().isdisjoint(tokens):  # (most questions: no asking word at all)
            return False
        lexicon, window = self.lexicon, self.config.identify_window

        def kept(part: Sequence[str]) -> list[str]:
            return [t for t in part if t not in self._scope_words and not lexicon.is_stopword(t)]

        first = asking.by_first_word
        for index, token in enumerate(tokens):
            phrase = phrase_at(tokens, index, asking) if token in first else None
            if phrase is None:
                continue
            near = [*kept(tokens[:index])[-window:], *kept(tokens[index + len(phrase) :])[:window]]
            if any(lexicon.is_kind(t) for t in near):  # `која мрежа`, `мрежа … која је то`
                return True
        return False


def _asserted(span: Span) -> tuple[str, ...]:
    """The scopes whose phrases stand in the span, not right after a negation (`националне, а не међународне`)
    nor right beside a refusal (`домаће ме не занимају`, `не занимају ме домаће`, `прескочи домаће`). One scope
    negated alone (not refused: that asks for no list) asks for the scope `negated_scopes` gives its words: `koje
    mreze nisu srpske` for the international ones; `Које мреже нису европске?` for none (the Serbian ones are
    European too)."""
    tokens, lexicon = span.tokens, span.lexicon
    found: list[str] = []
    negated: list[str] = []
    refusals: list[str] = []
    for name, phrases in lexicon.scopes.items():
        if f"scope:{name}" not in span.tags:
            continue
        for index in range(len(tokens)):
            phrase = phrase_at(tokens, index, phrases)
            if phrase is None:
                continue
            after = index + len(phrase)
            after += after < len(tokens) and lexicon.is_kind(tokens[after])  # `домаће мреже ме не занимају`
            negation = phrase_ending_at(tokens, 0, index, lexicon.negations) is not None
            refused = (
                phrase_ending_at(tokens, 0, index, lexicon.refusals) is not None  # `не занимају ме домаће`
                or phrase_at(tokens, after, lexicon.refusals) is not None  # `домаће ме не занимају`
            )
            if not (negation or refused):
                found.append(name)
                break
            if refused:
                refusals.append(name)
            else:  # `koje mreze nisu srpske`: the international ones
                negated += [asked for asked, words in lexicon.negated_scopes.items() if phrase in words]
    if not found and not refusals and len(set(negated)) == 1:
        return (negated[0],)
    return tuple(found)
