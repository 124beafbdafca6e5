"""The name of a network not in our records, in a question about Niš's membership.

`Да ли је Ниш члан Eurocities?`, `jel nis u climate alliance`, `Да ли је Ниш члан
Савета европских општина и региона?`: the longest run of words nothing explains
(where membership is said right before it), else the words after `у мрежи`,
grown over the capitalised words around it (`Унија градова Дунава`) and, for a
Serbian name that capitalises its first word only, over the words after it. It
is a name where the question asks about Niš's membership of it and the words
look like one (capitals, an acronym, Latin inside Cyrillic, a foreign spelling,
`мрежа X`); never a described network (`у некој мрежи за уштеду`, `мрежи чије
је седиште у Стокхолму`), one whose words one of our networks' facts hold, or
one beside a word only out-of-scope questions use (`Šengen zonu`). The answer
quotes the name as the citizen wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

from bot.lexicon import Lexicon
from bot.phrases import words_of
from bot.script import fold
from bot.thresholds import DEFAULT, Config
from bot.understanding.features import SLOT
from bot.understanding.message import Clause
from bot.understanding.networks import NetworkFinder, unknown_name
from bot.understanding.types import IN, Evidence
from bot.understanding.words import Words

_WORD = re.compile(r"[\w'’-]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Spelled as no Serbian word is (folded): w, x, y, q, a doubled consonant, an English ending.  A word nobody
# knows spelled so is another language's, a name even in lower case (`da li je nis cittaslow grad`).
_FOREIGN = re.compile(r"[wxyq]|([bcdfghklmnprstvz])\1|(ies|tion|ance|ence|ity|ship)$")


@dataclass(frozen=True)
class UnknownName:
    """A network not in our records that a question names."""

    written: str  # as the citizen wrote it, an acronym without its case ending (`НАЛАС-у` → `НАЛАС`)
    masked: tuple[str, ...]  # the question's tokens with the name (and a kind beside it) as SLOT, to rank again
    near: str | None  # a network of ours the name is a typo of (`nalde`): never "not in our records" then
    name_like: bool  # written as names are (capitals, an acronym, Latin in Cyrillic, `мрежа X`)


class UnknownNames:
    """Finds the name of a network not in our records in a clause's evidence."""

    def __init__(
        self,
        lexicon: Lexicon,
        finder: NetworkFinder,
        words: Words,
        one_network_writes: Callable[[Sequence[str]], bool],
        config: Config = DEFAULT,
    ):
        self.lexicon = lexicon
        self.finder = finder
        self.words = words
        self.one_network_writes = one_network_writes  # the facts of one network hold all these words
        self.config = config
        self._asking_words = words_of(lexicon.question_words, lexicon.identify_asking, lexicon.count_asking)
        self._which = {phrase[0] for phrase in lexicon.identify_asking if len(phrase) == 1}

    def find(
        self, evidence: Evidence, clause: Clause, capitals: list[bool] | None, unknown: set[str]
    ) -> UnknownName | None:
        """A run of words nothing explains, as a network not in our records (`да ли је Ниш члан Eurocities`)."""
        tokens, lexicon = evidence.tokens, self.lexicon
        # `Da li je Niš član NALAS?`: an acronym none of ours, where membership places it, is a name, though a word
        # of ours is a typo away; not a word of ours in capitals for emphasis (`u koje mreze nis NIJE uclanjen`), nor
        # a place (`neke mreže iz SAD`)
        capitalised = {
            folded
            for word in _acronyms(clause.text)
            if (folded := fold(word))
            and not (lexicon.is_stopword(folded) or folded in self._asking_words or not lexicon.unmarked((folded,)))
        }
        acronyms = {
            token
            for before, token in pairwise(tokens)
            if token in capitalised and (before in IN or lexicon.is_membership_word(before))
        }

        def known(token: str) -> bool:
            if token in unknown:  # (a number in words is no name: `да ли је Ниш у шест мрежа`)
                return lexicon.is_membership_word(token) or token in lexicon.numbers or token in lexicon.number_parts
            if token in acronyms:
                return False
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
            return None
        start, end = self._whole_name(tokens, start, end, capitals)
        end = self._name_runs_on(tokens, start, end, capitals)
        if any(map(self.words.out_of_scope_only, tokens[start : end + 1])):
            return None  # `Šengen zonu`: a word (or the next) only questions out of scope use: no network
        if any(map(lexicon.is_kind, tokens[start:end])):  # `unesko mrezi kreativnih gradova`: the name goes on
            while end < len(tokens) and self.words.is_content(tokens[end]) and tokens[end] not in lexicon.city:
                end += 1
        if start > 0 and tokens[start - 1] in lexicon.indefinite:  # `неког спортског савеза` describes
            return None
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
            return None  # only `да ли је Ниш члан X` can be about a network we do not know
        words = tokens[start:end]
        written = _original_words(clause.text, words, self.config.acronym_ending, len(clause.tokens))
        # `ICLEI мрежи` is one name: the kind beside it is masked with it
        masked = (*tokens[: start - kind_before], SLOT, *tokens[end + kind_after :])
        return UnknownName(written, masked, self.finder.near_name(words), name_like)

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


def _original_words(text: str, folded_words: Sequence[str], ending: int, read: int) -> str:
    """The user's own spelling of the words that were folded to `folded_words`; an acronym without its case
    ending (`НАЛАС-у` is `НАЛАС`). Among the first `read` words: a long message's clause is cut there."""
    wanted = set(folded_words)
    written = list(islice(_WORD.finditer(text), read))
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


def _acronyms(text: str) -> list[str]:
    """The words `_acronym` finds in the text, the text looked at once (a long message has many words)."""
    if not any(c.islower() for c in text):
        return []
    return [word for word in _WORD.findall(text) if word[:2].isupper() and _in_capitals(word)]


def _acronym(word: str, text: str) -> bool:
    """`ICLEI`, `CEMR`, `НАЛАС-у`: two or more letters, all capitals (before a case ending's hyphen), in a message
    not written in capitals."""
    return _in_capitals(word) and any(c.islower() for c in text)


def _in_capitals(word: str) -> bool:
    letters = [c for c in re.split(r"[-–]", word)[0] if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
