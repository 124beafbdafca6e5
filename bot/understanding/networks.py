"""Stage 2: which networks a question names, however it is spelled or inflected.

Every name of a network (its Serbian name, original name, acronym, aliases)
is folded into a sequence of tokens.  A question names a network when such a
sequence stands in it, word after word, where two words are the same when

* their case-ending variants meet (`ecadu` ~ `ecad`, `ligi` ~ `liga`);
* a long word (six letters or more in the name) is within a small edit
  distance, swapped neighbours counting as one edit (`enrgy` ~ `energy`);
* a short one-word name (an acronym: five letters or fewer) has two neighbouring letters
  swapped (`ecda`, `nlaed`, `sgko`), the slip of a fast typist.  Any other change
  to a short name is not tolerated: `nalet` (a gust of wind), `avet` (a ghost),
  `skok` and `nato` are words of their own, not NALED, AVEC, SKGO.

A name half remembered counts too, as a weaker mention: its first and last
words (one more typo allowed) with most of the rest close by (`лига старих
градова`, `stalna konferencija opština`, `league of historic cities`), when the
first word belongs to that network's names alone (`европски` does not: `Европска
престоница културе` is no network of ours) and no other network fits equally.

A kind's word that begins one network's names only (`Лига`) names it beside another network named
(`ECAD или Лига`): alone it is any league (`Лига шампиона`).

`unknown_name` finds the words of a question that may be the name of a
network not in our records (`Да ли је Ниш члан Eurocities?`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.cache import Memo
from bot.knowledge import Knowledge
from bot.lexicon import Lexicon
from bot.script import fold_tokens
from bot.thresholds import DEFAULT, Config
from bot.understanding.message import Span
from bot.understanding.types import Mention


@dataclass(frozen=True)
class _Name:
    """One way of writing a network's name, as folded tokens."""

    network_id: str
    tokens: tuple[str, ...]


def swaps(word: str, min_length: int) -> set[str]:
    """The word with each pair of neighbouring letters swapped (`ecda` → `ceda`, `edca`, `ecad`), when it has
    `min_length` letters or more."""
    if len(word) < min_length:
        return set()
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)} - {word}


class NetworkFinder:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon, config: Config = DEFAULT):
        self.lexicon = lexicon
        self.config = config
        self.names: list[_Name] = []
        # variant of a name's first word -> indexes into self.names
        self._by_first: dict[str, list[int]] = defaultdict(list)
        self._words: set[str] = set()  # every word of every name, for typo look-ups
        # variant of the first word of a network's own names -> the network (`лига` of `Лига историјских градова`,
        # `league` of its English name; not `конференција`, the first word of an alias of SKGO's)
        self._heads: dict[str, str] = {}
        for network in knowledge.networks:
            for name in network.own_names():
                for variant in lexicon.variants(next(iter(fold_tokens(name)), "")):
                    self._heads[variant] = network.id
            for name in network.names():
                tokens = tuple(fold_tokens(name))
                if not tokens:
                    continue
                index = len(self.names)
                self.names.append(_Name(network.id, tokens))
                for variant in lexicon.variants(tokens[0]):
                    self._by_first[variant].append(index)
                self._words.update(tokens)
        # Acronyms (one-word names of `acronym_length` letters or fewer) tolerate swapped letters only; every
        # other name word tolerates typos by its length.
        short = config.acronym_length
        self._acronyms = {n.tokens[0] for n in self.names if len(n.tokens) == 1 and len(n.tokens[0]) <= short}
        self._long_words = sorted(self._words - self._acronyms)
        self._close: Memo[str, frozenset[str]] = Memo()  # word -> name words it may be a typo of
        self._owners: dict[str, set[str]] = defaultdict(set)  # variant of a name word -> networks using it
        for known in self.names:
            for word in known.tokens:
                for variant in lexicon.variants(word):
                    self._owners[variant].add(known.network_id)

    def in_names(self, token: str) -> bool:
        """Whether some name of ours writes the word, in any case (`градова`, `европских`)."""
        return any(variant in self._owners for variant in self.lexicon.variants(token))

    def find(self, tokens: Sequence[str]) -> list[Mention]:
        """Mentions in order of appearance; overlapping names resolve to the longest, best one."""
        candidates: list[Mention] = []
        for start, token in enumerate(tokens):
            for name_index in self._names_starting_with(token):
                name = self.names[name_index]
                score = self._match_at(tokens, start, name.tokens)
                if score > 0:
                    candidates.append(Mention(name.network_id, start, start + len(name.tokens), score))
                elif partial := self._partial_at(tokens, start, name.tokens):
                    candidates.append(Mention(name.network_id, start, partial[0], partial[1]))
        found = _best_non_overlapping(_unambiguous(candidates))
        return sorted([*found, *self._paired(tokens, found)], key=lambda m: m.start) if found else found

    def _paired(self, tokens: Sequence[str], found: list[Mention]) -> list[Mention]:
        """A kind's word that begins one network's names only, standing alone beside another network named
        (`ECAD или Лига`, `lige ili energy cities`): that network, as a weaker mention.
        Alone it is any league (`Лига шампиона`, `лига за борбу против рака`)."""
        taken = {i for m in found for i in range(m.start, m.end)}
        named = {m.network_id for m in found}
        paired = []
        for index, token in enumerate(tokens):
            if index in taken or (owner := self._sole_owner(token)) is None or owner in named:
                continue
            if not self._stands_alone(tokens, index, found):
                continue  # `Лига шампиона`, `лига за борбу против рака`
            if any(self._between_only_joins(tokens, index, m) for m in found):
                paired.append(Mention(owner, index, index + 1, self.config.paired_name_score))
        return paired

    def lone_kind(self, tokens: Sequence[str]) -> Mention | None:
        """A kind's word that begins one network's names only, standing alone at the head of a follow-up (`а Лига,
        када…`, `and the League, kada?`): that network, as a weaker mention, for a conversation about another one.
        Not after a word that says which (`нека лига`, `која лига`). Or the last word, after a small word (`колико
        чланова има лига?` after ECAD: not ECAD's members)."""
        stop = self.lexicon.is_stopword
        before = tokens[-2] if len(tokens) > 1 else ""
        if stop(before) and before not in self.lexicon.indefinite and (owner := self._sole_owner(tokens[-1])):
            return Mention(owner, len(tokens) - 1, len(tokens), self.config.paired_name_score)
        for index, token in enumerate(tokens[: self.config.paired_reach + 1]):
            if not self.lexicon.is_kind(token):
                continue
            owner = self._sole_owner(token)
            if owner and all(map(stop, tokens[:index])) and self._stands_alone(tokens, index, []):
                return Mention(owner, index, index + 1, self.config.paired_name_score)
            return None
        return None

    def kind_alone(self, tokens: Sequence[str], capitals: Sequence[bool] | None) -> Mention | None:
        """A kind's word that begins one network's own name and no other's, with a capital inside the sentence
        (`capitalised_kind`) or, written small, anywhere but after a word that asks which, says some or counts
        (`sajt lige`, `ko predsedava ligom`; not `koja liga`, `neka liga`, `koliko liga`): that network, as a
        weaker mention. Whether every other word of the question is ours is the caller's to ask."""
        if capitals and (named := self.capitalised_kind(tokens, capitals)):
            return named
        asking = self.lexicon.identify_asking.by_first_word
        for index, token in enumerate(tokens):
            if (owner := self._own_head(token)) is None:
                continue
            start = index  # (past the stop words: `koja je liga` asks which league, as `koja liga` does)
            while start and self.lexicon.is_stopword(tokens[start - 1]):
                start -= 1
            before = tokens[start - 1] if start else ""
            counted = before in self.lexicon.count_asking.words  # `koliko liga ima Niš`: leagues counted
            if (
                before in asking
                or before in self.lexicon.indefinite
                or counted
                or (capitals and index and capitals[index - 1])
            ):
                return None  # (`koja liga`, `neka liga`, `Evropske lige`: another league)
            if mention := self._alone_at(tokens, index, owner):
                return mention
        return None

    def capitalised_kind(self, tokens: Sequence[str], capitals: Sequence[bool]) -> Mention | None:
        """A kind's word that begins one network's own name and no other network's names, written with a capital
        inside the sentence and standing alone (`где је седиште Лиге и колико има чланица`, `koliko članova ima
        Liga?`): that network, as a weaker mention. Not at the sentence's start, where every word has a capital,
        nor described (`Лига шампиона`, `Liga za zaštitu životinja`), nor an alias's first word (`Конференција`)."""
        for index in range(1, len(tokens)):
            if not capitals[index] or (index > 1 and capitals[index - 1]):  # (`АБА Лиги`: another name runs on)
                continue
            if (owner := self._own_head(tokens[index])) is None:
                continue  # (not `Конференција`, an alias's first word)
            if mention := self._alone_at(tokens, index, owner):
                return mention
        return None

    def _own_head(self, token: str) -> str | None:
        """The network whose own name (not an alias: `Конференција`) the kind's word begins, if only one's."""
        owner = self._sole_owner(token)
        return owner if owner is not None and owner in map(self._heads.get, self.lexicon.variants(token)) else None

    def _alone_at(self, tokens: Sequence[str], index: int, owner: str) -> Mention | None:
        """The owner's weaker mention where nothing describes the word at `index` (`_stands_alone`) or a verb
        follows it (`When was the League founded?`)."""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if self._stands_alone(tokens, index, []) or self.lexicon.looks_like_a_verb(after):
            return Mention(owner, index, index + 1, self.config.paired_name_score)
        return None

    def _sole_owner(self, token: str) -> str | None:
        """The network, if only one, whose names the kind's word begins (`Лига`: the League's)."""
        if not self.lexicon.is_kind(token):
            return None
        owners = {self.names[i].network_id for i in self._names_starting_with(token)}
        return owners.pop() if len(owners) == 1 else None

    def _stands_alone(self, tokens: Sequence[str], index: int, found: list[Mention]) -> bool:
        """Nothing after the word describes it: it ends the question, or a question word follows, or a stop word
        and then a question word, a network named or the end (`Лига или ECAD`; not `лига за борбу…`)."""
        words, starts = self.lexicon.question_words.words, {m.start for m in found}

        def free(at: int) -> bool:
            return at >= len(tokens) or tokens[at] in words or at in starts

        if free(index + 1):
            return True
        return self.lexicon.is_stopword(tokens[index + 1]) and free(index + 2)

    def _between_only_joins(self, tokens: Sequence[str], index: int, mention: Mention) -> bool:
        """Between the word at `index` and the mention stand at most `paired_reach` words, each a stop word or a
        question word (`или`, `а колико`)."""
        gap = tokens[mention.end : index] if index >= mention.end else tokens[index + 1 : mention.start]
        words = self.lexicon.question_words.words
        return len(gap) <= self.config.paired_reach and all(self.lexicon.is_stopword(t) or t in words for t in gap)

    def mentions(self, span: Span) -> tuple[Mention, ...]:
        """What `find` finds in the span, found once and kept on it: this stage's part of the message."""
        if span.mentions is None:
            span.mentions = tuple(self.find(span.tokens))
        return span.mentions

    def _partial_at(self, tokens: Sequence[str], start: int, name: tuple[str, ...]) -> tuple[int, float] | None:
        """(end, score) when a half-remembered form of `name` starts here."""
        words = [word for word in name if len(word) > 2]  # `i`, `za`, `of` carry nothing
        if len(words) < 2 or not self._loosely(tokens[start], words[0]) or not self._distinctive(words[0]):
            return None
        matched, end = 1, start + 1
        remaining = words[1:]
        for index in range(start + 1, min(len(tokens), start + len(name) + self.config.partial_reach)):
            found = next((word for word in remaining if self._loosely(tokens[index], word)), None)
            if found is not None:
                remaining.remove(found)
                matched, end = matched + 1, index + 1
        share = matched / len(words)
        if words[-1] in remaining or share < self.config.partial_share:
            return None
        return end, self.config.partial_score * share

    def _distinctive(self, word: str) -> bool:
        """Whether only one network's names use this word (in any inflection)."""
        networks = set().union(*(self._owners.get(variant, set()) for variant in self.lexicon.variants(word)))
        return len(networks) == 1

    def _loosely(self, word: str, expected: str) -> bool:
        """The word is the name's word, with one more typo than `word_similarity` allows for long words."""
        if self.word_similarity(word, expected) > 0:
            return True
        if expected in self._acronyms or min(len(word), len(expected)) < self.config.typo_min_length:
            return False
        edits = self.config.max_edits(min(len(word), len(expected))) + 1
        return min(OSA.distance(form, expected) for form in self.lexicon.variants(word)) <= edits

    def near_name(self, words: Sequence[str]) -> str | None:
        """The network whose name these words nearly are, beyond what `find` tolerates (`NALDEE`)."""
        text = " ".join(words)
        if len(text) < self.config.swap_min_length:
            return None
        for name in self.names:
            known = " ".join(name.tokens)
            if OSA.distance(text, known) <= max(1, self.config.max_edits(len(known))) + 1:
                return name.network_id
        return None

    def _names_starting_with(self, token: str) -> set[int]:
        found: set[int] = set()
        for word in self._close_words(token):
            for variant in self.lexicon.variants(word):
                found.update(self._by_first.get(variant, ()))
        return found

    def _close_words(self, token: str) -> frozenset[str]:
        """The token itself and the name words it may be a misspelling of (cached per word)."""
        return self._close.get(token, self._look_up_close)

    def _look_up_close(self, token: str) -> frozenset[str]:
        close = {token}
        if token in self._words:
            return frozenset(close)
        for variant in self.lexicon.variants(token):
            close.update(swaps(variant, self.config.swap_min_length) & self._acronyms)
        if len(token) >= self.config.typo_min_length:
            cutoff = self.config.max_edits(len(token))
            hits = process.extract(token, self._long_words, scorer=OSA.distance, score_cutoff=cutoff, limit=None)
            close.update(word for word, _, _ in hits)
        return frozenset(close)

    def _match_at(self, tokens: Sequence[str], start: int, name: tuple[str, ...]) -> float:
        if start + len(name) > len(tokens):
            return 0.0
        total = 0.0
        for offset, expected in enumerate(name):
            similarity = self.word_similarity(tokens[start + offset], expected)
            if similarity == 0:
                return 0.0
            total += similarity
        return total / len(name)

    def word_similarity(self, word: str, expected: str) -> float:
        """1.0 when the words are the same up to a case ending; less for a typo or a swap; 0 otherwise."""
        forms = self.lexicon.variants(word)
        if word == expected or forms & self.lexicon.variants(expected):
            return 1.0
        if expected in self._acronyms:
            swapped = any(expected in swaps(form, self.config.swap_min_length) for form in forms)
            return self.config.swapped if swapped else 0.0
        edits = self.config.max_edits(min(len(word), len(expected)))
        if edits == 0:
            return 0.0
        # a typo in the stem, plus maybe a case ending: compare against every variant of the word
        best = min(OSA.distance(form, expected, score_cutoff=edits + 1) for form in forms)
        return 1.0 - best / max(len(word), len(expected)) if best <= edits else 0.0


def unknown_name(
    tokens: Sequence[str], is_known: Callable[[str], bool], gap: int = DEFAULT.name_gap
) -> tuple[int, int]:
    """The longest run of words the bot has no meaning for, as (start, end); (0, 0) when none.

    Such a run in a membership question is the name of a network not in our
    records (`da li je nis clan covenant of mayors`); single letters do not count,
    up to `gap` known words between two unknown ones do (`Унија градова Дунава`, `covenant of mayors`).
    """

    def unknown_at(index: int) -> bool:
        return 0 <= index < len(tokens) and len(tokens[index]) > 1 and not is_known(tokens[index])

    best = (0, 0)
    start = None
    for index in range(len(tokens) + 1):
        joins = start is not None and any(unknown_at(index + step) for step in range(1, gap + 1))
        unknown = unknown_at(index) or joins
        if unknown and start is None:
            start = index
        elif not unknown and start is not None:
            if index - start > best[1] - best[0]:
                best = (start, index)
            start = None
    return best


def _unambiguous(candidates: list[Mention]) -> list[Mention]:
    """Drop weaker (partial) mentions where two networks fit the same words equally well."""
    result = []
    for mention in candidates:
        rivals = [
            other
            for other in candidates
            if other.network_id != mention.network_id
            and (other.start, other.end) == (mention.start, mention.end)
            and other.score >= mention.score
        ]
        if not rivals or mention.score >= 1.0:
            result.append(mention)
    return result


def _best_non_overlapping(candidates: list[Mention]) -> list[Mention]:
    """Prefer longer, then better-scored mentions; drop any that overlap a preferred one."""
    chosen: list[Mention] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), -m.score, m.start)):
        if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.start)
