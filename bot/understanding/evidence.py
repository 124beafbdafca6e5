"""Gather what the earlier stages say about one clause into the `Evidence` the rules decide on.

Networks named (less an alias that runs into another body's name, `Стална
конференција УН`), the classifier's ranking with names and the kind noun beside
them masked, unknown words, the city or someone else as the subject, a name we
do not know (grown over its capitalised words, `Унија градова Дунава`), and the
small cues the rules use: a follow-up opener, only question words, `која мрежа`.
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
from bot.understanding.features import SLOT, masked
from bot.understanding.message import Clause, Span
from bot.understanding.networks import NetworkFinder, unknown_name
from bot.understanding.types import FALLBACK, IN, Context, Evidence, Mention
from bot.understanding.words import Words

_WORD = re.compile(r"[\w'’-]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Spelled as no Serbian word is (folded): w, x, y, q, a doubled consonant, an English ending.  A word nobody
# knows spelled so is another language's, a name even in lower case (`da li je nis cittaslow grad`).
_FOREIGN = re.compile(r"[wxyq]|([bcdfghklmnprstvz])\1|(ies|tion|ance|ence|ity|ship)$")

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
        self.one_network_writes = one_network_writes  # the facts of one network hold all these words
        self.config = config
        self._asking_words = words_of(lexicon.question_words, lexicon.identify_asking, lexicon.count_asking)
        self._scope_words = words_of(*lexicon.scopes.values())
        self._which = {phrase[0] for phrase in lexicon.identify_asking if len(phrase) == 1}
        self._reference_pairs = {tuple(r.split()) for r in lexicon.references if " " in r}
        self._focus_words = {phrase[0] for phrases in lexicon.focus.values() for phrase in phrases if len(phrase) == 1}

    def __call__(self, clause: Clause, span: Span, context: Context) -> Evidence:
        """The evidence of `span`, a run of the clause's tokens (the whole clause, its core, …)."""
        words, lexicon, tokens = self.words, self.lexicon, span.tokens
        capitals = clause.capitals(tokens)
        mentions = tuple(self._ours(span, capitals))
        inside = {i for m in mentions for i in range(m.start, m.end)}
        rest = [t for i, t in enumerate(tokens) if i not in inside]
        start, end = span.courtesy
        said = [t for i, t in enumerate(tokens) if i not in inside and start <= i < end]  # courtesy aside
        unexplained = tuple(t for t in said if words.is_content(t) and not words.explained(t))
        unknown = tuple(t for t in unexplained if not words.known(t))
        lead = span.opener
        names_city = any(t in lexicon.city for t in rest)
        strangers = tuple(
            tokens[i]
            for i in range(len(tokens))
            # (not a scope's word: `u Srbiji` says national, and is no other subject)
            if capitals is not None
            and i not in inside
            and tokens[i] not in self._scope_words
            and words.is_proper_noun(span, i, capitals)
        )
        other = bool(strangers)
        plain = span.unmarked
        inside_words = {tokens[i] for i in inside}
        tags = span.tags
        counting = "count" in tags and (any(lexicon.is_kind(t) for t in tokens) or context.intent == self.listing)
        ranked = self.rank(masked(tokens, self._with_kinds(tokens, mentions)))
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
            or (not mentions and names_city and "where" in span.focus and any(map(self._says_membership, rest))),
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
        """A run of words nothing explains, as a network not in our records (`да ли је Ниш члан Eurocities`)."""
        tokens, lexicon = evidence.tokens, self.lexicon

        def known(token: str) -> bool:
            if token in unknown:  # (a number in words is no name: `да ли је Ниш у шест мрежа`)
                return lexicon.is_membership_word(token) or token in lexicon.numbers or token in lexicon.number_parts
            # `Strong Cities Network`: a kind in a foreign name's language is part of the name; so is a foreign word
            # of our names where none of ours is named (`climate alliance`: AVEC's French name has `Alliance`)
            foreign = _foreign(token, self.config.foreign_letters)
            return not (foreign and (lexicon.is_kind(token) or self.finder.in_names(token)))

        # the longest run of words nothing explains, where membership is said right before it (`u NALAS-u`, `član
        # Europa Nostre`); else the words after `у мрежи` (`Gost iz Hirošime pita da li je Niš u mreži Mayors for
        # Peace`), else that run wherever it stands
        start, end = unknown_name(tokens, known, self.config.name_gap)
        placed_run = (
            start != end and start > 0 and (tokens[start - 1] in IN or lexicon.is_membership_word(tokens[start - 1]))
        )
        after_kind = False
        if not placed_run and (named := self._named_after_kind(tokens)) != (0, 0):
            (start, end), after_kind = named, True
        if start == end:
            return evidence
        start, end = self._whole_name(tokens, start, end, capitals)
        end = self._name_runs_on(tokens, start, end, capitals)
        if any(self.words.explained_only_by(FALLBACK, token) for token in tokens[start : end + 1]):
            return evidence  # `Šengen zonu`: a word (or the next) only questions out of scope use: no network
        if any(map(lexicon.is_kind, tokens[start:end])):  # `unesko mrezi kreativnih gradova`: the name goes on
            while end < len(tokens) and self.words.is_content(tokens[end]) and tokens[end] not in lexicon.city:
                end += 1
        if start > 0 and tokens[start - 1] in lexicon.indefinite:  # `неког спортског савеза` describes
            return evidence
        kind_before = start > 0 and lexicon.is_kind(tokens[start - 1])
        kind_after = end < len(tokens) and lexicon.is_kind(tokens[end])
        # a foreign word in lower case is a name where membership is asked of it (`nis u eurocities mrezi`,
        # `jel nis u climate alliance`), not wherever Niš is (`da li nis ima fitness centar`)
        foreign = any(_foreign(word, self.config.foreign_letters) for word in tokens[start : end + 1])
        placed = evidence.membership_worded or kind_before or kind_after or (start > 0 and tokens[start - 1] in IN)
        name_like = self._name_like(clause.text, tokens, start, capitals) or (foreign and placed)
        # `члан`, `приступио`, `у мрежи`, `X мрежи` say membership; `мрежа` elsewhere does not make any word a
        # name (`Коja је мрежа примила Ниш 2009?`, `Ima li Niš mrežu biciklističkih staza?`)
        in_kind = (
            kind_after
            or any(a in IN and lexicon.is_kind(b) for a, b in pairwise(tokens))
            # `u unesko mrezi`: the kind inside the run of words, after `u`
            or (start > 0 and tokens[start - 1] in IN and any(map(lexicon.is_kind, tokens[start:end])))
        )
        in_city = end - start == 1 and _uninflected_after_in(tokens, start, lexicon.city)
        member = in_kind or after_kind or evidence.membership_said or in_city  # (no mentions: `rest` is every token)
        name_like = name_like or in_city
        if not (evidence.names_city and (name_like or member)):
            return evidence  # only `да ли је Ниш члан X` can be about a network we do not know
        words = tokens[start:end]
        masked_name = [*tokens[: start - kind_before], SLOT, *tokens[end + kind_after :]]  # `ICLEI мрежи` is one name
        ranked = self.rank(masked_name)
        return replace(
            evidence,
            ranked=tuple(self._about_whom(ranked, evidence.names_city, other=False)),
            unknown_name=_original_words(clause.text, words, self.config.acronym_ending),
            near_name=self.finder.near_name(words),
            name_like=name_like,
        )

    def _named_after_kind(self, tokens: Sequence[str]) -> tuple[int, int]:
        """`да ли је Ниш у мрежи здравих градова`: the words after `у мрежи` name a network though each is known
        (`здравих` from an example, `градова` from our names), when one of them is in no name of ours (`у мрежи
        европских градова` asks of ours); as (start, end), (0, 0) when none."""
        lexicon, words = self.lexicon, self.words
        for index, (word, kind) in enumerate(pairwise(tokens)):
            if not lexicon.is_kind(kind) or word in lexicon.indefinite:  # `у некој мрежи за уштеду` describes
                continue
            # `у мрежи`, `члан Организације`, and a word between (`u Evropskoj mreži`, `u unesko mrezi`)
            before = [word, *tokens[index - 1 : index]]
            if not any(t in IN or (lexicon.is_membership_word(t) and not lexicon.is_kind(t)) for t in before):
                continue
            start = end = index + 2
            if start < len(tokens) and tokens[start] in self._asking_words:
                continue  # `мрежи чије је седиште у Стокхолму`, `u mreži koju je osnovalo 21 grad` describes one
            while end < len(tokens) and tokens[end] not in lexicon.city and tokens[end] not in self._asking_words:
                if not words.is_content(tokens[end]):  # one small word inside the name: `Mayors for Peace`
                    if not (end + 1 < len(tokens) and words.is_content(tokens[end + 1])):
                        break
                    end += 1
                end += 1
            beyond_names = [token for token in tokens[start:end] if not self.finder.in_names(token)]
            # (`у мрежи градова против наркоманије`, `…локалних самоуправа`: ours, in the words of its facts; not
            # `Организације градова светске баштине`, whose words two networks' facts share between them)
            if beyond_names and not self.one_network_writes(beyond_names):
                return (start if word in IN or lexicon.is_membership_word(word) else index), end  # `UNESCO mreži …`
        return 0, 0

    def _about_whom(self, ranked: Ranking, names_city: bool, other: bool) -> Ranking:
        """Questions about Niš itself (`about_nis`) drop out when they are about someone else: one naming a
        network must name Niš or `ми` (`Од које године ради ECAD?` asks when ECAD began), one naming none
        must not name another subject (`Којим организацијама припада Србија?`)."""

        def about_someone_else(intent: str) -> bool:
            if intent not in self.about_nis:
                return False
            return not names_city if self.needs_network(intent) else other

        return [(intent, score) for intent, score in ranked if not about_someone_else(intent)]

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

    def _whole_name(self, tokens: Sequence[str], start: int, end: int, capitals: list[bool] | None) -> tuple[int, int]:
        """Grow an unknown name over the capitalised words around it, and over one small word between
        two of them (`Унија градова Дунава`); never over the city, `члан`, `мрежа` or the first word."""
        if capitals is None:
            return start, end
        lexicon = self.lexicon

        def joinable(index: int) -> bool:
            return (
                0 < index < len(tokens)
                and tokens[index] not in lexicon.city
                and not lexicon.is_membership_word(tokens[index])
                and not lexicon.is_kind(tokens[index])
            )

        def capital(index: int) -> bool:
            return joinable(index) and capitals[index]

        while capital(start - 1) or (joinable(start - 1) and capital(start - 2)):
            start -= 1
        while capital(end) or (joinable(end) and capital(end + 1)):
            end += 1
        return start, end

    def _name_runs_on(self, tokens: Sequence[str], start: int, end: int, capitals: list[bool] | None) -> int:
        """`члан Савета европских општина и региона`, `приступио Споразуму градоначелника`: a name written with a
        capital right after a word of membership goes on over the words after it (one small word between two), to
        the end of the question or the city's name: a Serbian name capitalises only its first word."""
        lexicon, words = self.lexicon, self.words
        if capitals is None or start == 0 or not capitals[start]:
            return end
        if not (tokens[start - 1] in IN or lexicon.is_membership_word(tokens[start - 1])):
            return end
        asking = self._asking_words
        while end < len(tokens) and tokens[end] not in lexicon.city and tokens[end] not in asking:
            if words.is_content(tokens[end]):
                end += 1
            elif end + 1 < len(tokens) and words.is_content(tokens[end + 1]) and tokens[end + 1] not in asking:
                end += 2  # `општина и региона`
            else:
                break
        return end

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
            pair in self._reference_pairs for pair in pairwise(tokens)
        )

    def _says_membership(self, token: str) -> bool:
        """`члан`, `учлањен`, `приступио`: a word that says membership, not only the kind (`мрежа`)."""
        return self.lexicon.is_membership_word(token) and not self.lexicon.is_kind(token)

    def _name_like(self, text: str, tokens: Sequence[str], start: int, capitals: list[bool] | None) -> bool:
        """Capitals after the first word, Latin inside Cyrillic, or `mreža X`: how people write names (not `X
        mreža`: that is how they write adjectives, `poslednja mreža`)."""
        if start > 0 and self.lexicon.is_kind(tokens[start - 1]):
            # not `која је мрежа примила Ниш`: the kind is asked for, and the word after it says what it did
            before = [t for t in tokens[: start - 1] if not self.lexicon.is_stopword(t)]
            return not before or before[-1] not in self._which
        if capitals is not None and start > 0 and capitals[start]:
            return True
        written = [word for word in _WORD.findall(text) if fold(word) == tokens[start]]  # as the user wrote it
        if any(_acronym(word, text) for word in written):
            return True  # `Je li Niš u ICLEI?`: too many capitals for them to tell, but an acronym is a name
        cyrillic = len(_CYRILLIC.findall(text)) >= self.config.cyrillic_letters
        return cyrillic and any(not _CYRILLIC.search(word) for word in written)

    def _denied(self, tokens: Sequence[str], text: str) -> frozenset[str]:
        """The words right after a negation (`није члан`); not after the city's name written as one in Latin
        without diacritics (`nisu` is `Nišu`: `čemu služi nisu članstvo`; `нису` is only ever a negation)."""
        lexicon = self.lexicon
        plain = {fold(word) for word in _WORD.findall(text) if word.isascii()}
        return frozenset(
            tokens[i]
            for i in range(1, len(tokens))
            if (negation := phrase_ending_at(tokens, 0, i, lexicon.negations))
            and not (len(negation) == 1 and tokens[i - 1] in lexicon.city and tokens[i - 1] in plain)
        )

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

        for index in range(len(tokens)):
            phrase = phrase_at(tokens, index, asking)
            if phrase is None:
                continue
            near = [*kept(tokens[:index])[-window:], *kept(tokens[index + len(phrase) :])[:window]]
            if any(lexicon.is_kind(t) for t in near):  # `која мрежа`, `мрежа … која је то`
                return True
        return False


def _asserted(span: Span) -> tuple[str, ...]:
    """The scopes whose phrases stand in the span, not right after a negation (`националне, а не међународне`)
    nor right beside a refusal (`домаће ме не занимају`, `не занимају ме домаће`, `прескочи домаће`). A scope
    negated does not ask for the other: `Које мреже нису европске?` does not ask for the Serbian ones."""
    tokens, lexicon, found = span.tokens, span.lexicon, []
    for name, phrases in lexicon.scopes.items():
        if f"scope:{name}" not in span.tags:
            continue
        for index in range(len(tokens)):
            phrase = phrase_at(tokens, index, phrases)
            if phrase is None:
                continue
            after = index + len(phrase)
            after += after < len(tokens) and lexicon.is_kind(tokens[after])  # `домаће мреже ме не занимају`
            denied = (
                phrase_ending_at(tokens, 0, index, lexicon.negations) is not None
                or phrase_ending_at(tokens, 0, index, lexicon.refusals) is not None  # `не занимају ме домаће`
                or phrase_at(tokens, after, lexicon.refusals) is not None  # `домаће ме не занимају`
            )
            if not denied:
                found.append(name)
                break
    return tuple(found)


def _original_words(text: str, folded_words: Sequence[str], ending: int) -> str:
    """The user's own spelling of the words that were folded to `folded_words`; an acronym without its case
    ending (`НАЛАС-у` is `НАЛАС`)."""
    wanted = set(folded_words)
    written = list(_WORD.finditer(text))
    at = [i for i, found in enumerate(written) if fold(found.group()) in wanted]
    if not at:
        return " ".join(folded_words)
    # every word from the first to the last of them, as written: `Унесковој мрежи креативних градова` (the
    # folded `мрежи` is `mreze`, a spelling of the examples')
    picked = [found.group() for found in written[at[0] : at[-1] + 1]]
    picked[-1] = _without_ending(picked[-1], ending)
    return " ".join(picked)


def _without_ending(word: str, ending_letters: int) -> str:
    """`НАЛАС-у` → `НАЛАС`, `CEMR-a` → `CEMR`: an acronym's case ending after a hyphen; other words as written."""
    stem, dash, ending = word.rpartition("-")
    acronym = stem.isupper() and len(stem) > 1
    return stem if dash and acronym and ending.islower() and len(ending) <= ending_letters else word


_LOCATIVE = re.compile(r"(?:u|[^aeiou]i)$")


def _uninflected_after_in(tokens: Sequence[str], index: int, city: frozenset[str]) -> bool:
    """`jel nis u iclei`, `nis u cemr?`: after `Niš u` a Serbian noun takes the locative (`у Шумадији`, `у
    плусу`, `у суперлиги`); a word of four letters or more that does not is a name, an acronym said as written."""
    word = tokens[index]
    placed = index >= 2 and tokens[index - 1] in IN and tokens[index - 2] in city
    return placed and len(word) >= 4 and word.isalpha() and not _LOCATIVE.search(word)


def _foreign(word: str, letters: int) -> bool:
    """`cittaslow`, `eurocities`, `alliance` (after `climate`): spelled as no Serbian word is."""
    return len(word) >= letters and word.isascii() and word.isalpha() and bool(_FOREIGN.search(word))


def _acronym(word: str, text: str) -> bool:
    """`ICLEI`, `CEMR`, `НАЛАС-у`: two or more letters, all capitals (before a case ending's hyphen), in a message
    not written in capitals."""
    letters = [c for c in re.split(r"[-–]", word)[0] if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and any(c.islower() for c in text)
