"""Serbian word handling for matching: stop words, case-ending variants, and the phrase lists.

The word lists are content and live in `intents/language.yml`; this module
only knows what to do with them.  Serbian inflects nouns, so `Ниш`, `Ниша`,
`Нишу` or `лига`, `лиге`, `лиги` must meet in one form: every token is given
its *variants*, the token itself and the token with each known case ending
cut off (never shorter than `min_stem` letters), and its *stem*, the shortest
variant.  Two words match when their variants meet.

Phrases (courtesy, question words, focus words) are kept as tuples of folded
tokens, longest first, so `dobro vece` is found before `dobro`; each list of
them is a `Phrases` (`bot.phrases`, which also finds them in tokens).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.cache import Memo
from bot.phrases import NO_PHRASES, Phrase, Phrases, has_phrase, phrase_at, phrase_ending_at
from bot.thresholds import DEFAULT, Config


@dataclass(frozen=True)
class Lexicon:
    """The language's word lists from the intent files: stop words, case endings, courtesy and question words."""

    stopwords: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()  # longest first
    followup_markers: frozenset[str] = frozenset()
    courtesy: Phrases = NO_PHRASES
    question_words: Phrases = NO_PHRASES
    focus: dict[str, Phrases] = field(default_factory=dict)
    references: frozenset[str] = frozenset()
    identify_asking: Phrases = NO_PHRASES
    identify_kinds: frozenset[str] = frozenset()  # stems
    months: tuple[str, ...] = ()
    agent_markers: tuple[str, ...] = ()
    city: frozenset[str] = frozenset()  # the city's name and `grad`, as written (folded)
    membership_words: frozenset[str] = frozenset()  # stems
    indefinite: frozenset[str] = frozenset()  # `неки`, `неког`: a description follows, not a name
    network_asking: Phrases = NO_PHRASES  # `чему`, `чије`: the question asks which network
    count_asking: Phrases = NO_PHRASES  # `колико`: the question counts networks
    when_asking: Phrases = NO_PHRASES  # `када`, `од које године`: the question asks for a time
    list_asking: Phrases = NO_PHRASES  # `набројте`, `списак`: the question asks for a list
    orders: Phrases = NO_PHRASES  # `поређајте`, `хронолошки`: a list in order of a year
    renaming: Phrases = NO_PHRASES  # `променила име`, `преименована`: which network has a former name
    relations: Phrases = NO_PHRASES  # `посвећена`, `бави се`: how a network relates to a fact, not what it is
    negations: Phrases = NO_PHRASES  # `а не`: what follows is not asked for
    refusals: Phrases = NO_PHRASES  # `ме не занимају`, `прескочи`: the scope beside it is not asked for
    hypotheticals: Phrases = NO_PHRASES  # `ако`, `да Ниш није`, `требало`: a condition or a wish, beside `би`
    contrary: frozenset[str] = frozenset()  # stems: `напустио`, `угашена` say the fact ended or never was
    verb_endings: tuple[str, ...] = ()  # `-ла`, `-ена`: how a verb's participle ends (`затворена`)
    superlatives: dict[str, Phrases] = field(default_factory=dict)  # direction -> phrases
    centuries: dict[str, Phrases] = field(default_factory=dict)  # a century's first year -> phrases
    comparatives: dict[str, Phrases] = field(default_factory=dict)
    scopes: dict[str, Phrases] = field(default_factory=dict)  # national | international -> phrases
    negated_scopes: dict[str, Phrases] = field(default_factory=dict)  # the scope `нису српске` asks -> phrases
    roles: dict[str, Phrases] = field(default_factory=dict)  # chair, founder… -> phrases
    numbers: dict[str, str] = field(default_factory=dict)  # a number's word -> its digits (`hiljadu` -> `1000`)
    number_parts: dict[str, str] = field(default_factory=dict)  # `sedme` -> `7`, only beside a number's word
    spellings: dict[str, str] = field(default_factory=dict)  # a word as some write it -> as the examples do
    spelling_pairs: frozenset[str] = frozenset()  # the first words of the two-word spellings (`de` of `de je`)
    # the phrases of the lists above and of `focus`: words the bot knows the meaning of, though no example uses
    # them (`најстарија`, `у иностранству`)
    markers: Phrases = NO_PHRASES
    # the shortest stem a case ending may leave, and the shortest kind's stem a word may begin with (`config`)
    min_stem: int = DEFAULT.min_stem
    min_kind_prefix: int = DEFAULT.min_kind_prefix
    month_ending: int = DEFAULT.month_ending
    _cache: Memo[str, frozenset[str]] = field(default_factory=Memo, compare=False, repr=False)
    _kinds: Memo[str, bool] = field(default_factory=Memo, compare=False, repr=False)
    _stems: Memo[str, str] = field(default_factory=Memo, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        stopwords: Iterable[str],
        suffixes: Iterable[str],
        followup_markers: Iterable[str],
        courtesy: Iterable[str] = (),
        question_words: Iterable[str] = (),
        focus: dict[str, Sequence[str]] | None = None,
        references: Iterable[str] = (),
        identify_asking: Iterable[str] = (),
        identify_kinds: Iterable[str] = (),
        months: Iterable[str] = (),
        agent_markers: Iterable[str] = (),
        city: Iterable[str] = (),
        membership_words: Iterable[str] = (),
        indefinite: Iterable[str] = (),
        network_asking: Iterable[str] = (),
        count_asking: Iterable[str] = (),
        when_asking: Iterable[str] = (),
        list_asking: Iterable[str] = (),
        orders: Iterable[str] = (),
        renaming: Iterable[str] = (),
        relations: Iterable[str] = (),
        negations: Iterable[str] = (),
        refusals: Iterable[str] = (),
        contrary: Iterable[str] = (),
        hypotheticals: Iterable[str] = (),
        verb_endings: Iterable[str] = (),
        superlatives: dict[str, Sequence[str]] | None = None,
        centuries: dict[str, Sequence[str]] | None = None,
        comparatives: dict[str, Sequence[str]] | None = None,
        scopes: dict[str, Sequence[str]] | None = None,
        negated_scopes: dict[str, Sequence[str]] | None = None,
        roles: dict[str, Sequence[str]] | None = None,
        numbers: dict[str, Sequence[str]] | None = None,
        number_parts: dict[str, Sequence[str]] | None = None,
        spellings: dict[str, Sequence[str]] | None = None,
        config: Config = DEFAULT,
    ) -> Lexicon:
        """Build from folded word lists (`loader` folds what staff wrote); `config` gives the stems' lengths."""
        ordered = tuple(sorted(set(suffixes), key=lambda suffix: (-len(suffix), suffix)))
        lexicon = cls(
            frozenset(stopwords),
            ordered,
            frozenset(followup_markers),
            courtesy=_phrases(courtesy),
            question_words=_phrases(question_words),
            focus={name: _phrases(words) for name, words in (focus or {}).items()},
            references=frozenset(references),
            identify_asking=_phrases(identify_asking),
            months=tuple(months),
            agent_markers=tuple(agent_markers),
            indefinite=frozenset(word for phrase in indefinite for word in phrase.split()),
            network_asking=_phrases(network_asking),
            count_asking=_phrases(count_asking),
            when_asking=_phrases(when_asking),
            list_asking=_phrases(list_asking),
            orders=_phrases(orders),
            renaming=_phrases(renaming),
            # a relation is said of a network of any gender too: `proistekla`, `proisteklo` (`удружење`)
            relations=_phrases(_declined(tuple(relations), config.min_adjective_stem, (*ADJECTIVE_ENDINGS, "o"))),
            negations=_phrases(negations),
            refusals=_phrases(refusals),
            hypotheticals=_phrases(hypotheticals),
            verb_endings=tuple(verb_endings),
            superlatives=_phrase_map(superlatives),
            centuries=_phrase_map(centuries),
            comparatives=_phrase_map(comparatives),
            # (a scope's words are adjectives, said in every case and gender: `српске`, `српским`)
            scopes=_declined_map(scopes, config.min_adjective_stem),
            negated_scopes=_declined_map(negated_scopes, config.min_adjective_stem),
            roles=_phrase_map(roles),
            numbers={word: digits for digits, words in (numbers or {}).items() for word in words},
            number_parts={word: digits for digits, words in (number_parts or {}).items() for word in words},
            spellings={other: word for word, others in (spellings or {}).items() for other in others},
            spelling_pairs=frozenset(
                other.split()[0] for others in (spellings or {}).values() for other in others if " " in other
            ),
            min_stem=config.min_stem,
            min_kind_prefix=config.min_kind_prefix,
            month_ending=config.month_ending,
        )
        stemmed = (("identify_kinds", identify_kinds), ("membership_words", membership_words), ("contrary", contrary))
        for name, words in stemmed:
            object.__setattr__(lexicon, name, frozenset(lexicon.stem(word) for word in words))
        object.__setattr__(lexicon, "city", frozenset(word for phrase in city for word in phrase.split()))
        named = (
            lexicon.focus,
            lexicon.superlatives,
            lexicon.comparatives,
            lexicon.scopes,
            lexicon.roles,
            lexicon.centuries,
        )
        phrases = [p for groups in named for group in groups.values() for p in group]
        phrases += [*lexicon.network_asking, *lexicon.count_asking, *lexicon.list_asking, *lexicon.orders]
        phrases += [*lexicon.renaming, *lexicon.negations, *lexicon.refusals]  # `samo međunarodne, bez srpskih`
        phrases += [(word,) for word in membership_words]
        object.__setattr__(lexicon, "markers", _phrases(" ".join(phrase) for phrase in phrases))
        return lexicon

    def variants(self, token: str) -> frozenset[str]:
        """The token and the stems left by cutting each known ending off it."""
        return self._cache.get(token, self._variants)

    def _variants(self, token: str) -> frozenset[str]:
        forms = {token}
        for suffix in self.suffixes:
            if token.endswith(suffix) and len(token) - len(suffix) >= self.min_stem:
                forms.add(token[: -len(suffix)])
        return frozenset(forms)

    def stem(self, token: str) -> str:
        """One form for all inflections the suffix list knows: the shortest variant (`pristupanja` → `pristup`)."""
        return self._stems.get(token, self._stem)

    def _stem(self, token: str) -> str:
        return min(self.variants(token), key=lambda form: (len(form), form))

    def opener(self, tokens: Sequence[str]) -> int:
        """How many leading tokens open a follow-up (`а`, `а шта је са`), the longest marker first; 0: none."""
        for size in range(min(self._longest_marker, len(tokens)), 0, -1):
            if " ".join(tokens[:size]) in self.followup_markers:
                return size
        return 0

    @cached_property
    def written(self) -> frozenset[str]:
        """Every word a list writes (stop words, courtesy, relations, markers…), each a word of its own."""
        words: set[str] = set()
        for value in vars(self).values():
            groups = value.values() if isinstance(value, dict) else (value,)
            for group in groups:
                if isinstance(group, Phrases):
                    words |= group.words
                elif isinstance(group, (frozenset, tuple)) and all(isinstance(item, str) for item in group):
                    words |= {word for item in group for word in item.split()}
        return frozenset(words)

    @cached_property
    def reference_pairs(self) -> frozenset[tuple[str, ...]]:
        """The references of two words (`те асоцијације`, `тог удружења`), as word pairs."""
        return frozenset(tuple(reference.split()) for reference in self.references if " " in reference)

    @cached_property
    def _longest_marker(self) -> int:
        return max((len(marker.split()) for marker in self.followup_markers), default=0)

    def courtesy_bounds(self, tokens: Sequence[str]) -> tuple[int, int]:
        """(start, end) of what is left when greetings and thanks are set aside from both ends."""
        start, end = 0, len(tokens)
        changed = True
        while changed and start < end:
            changed = False
            phrase = phrase_at(tokens[:end], start, self.courtesy)
            if phrase:
                start += len(phrase)
                changed = True
            phrase = phrase_ending_at(tokens, start, end, self.courtesy)
            if phrase:
                end -= len(phrase)
                changed = True
        return start, end

    def is_stopword(self, token: str) -> bool:
        return token in self.stopwords

    def looks_like_a_verb(self, token: str) -> bool:
        """`затворена`, `банкротирала`, `заменио`: a participle's ending on a word longer than a stem."""
        return len(token) > self.min_stem + 1 and token.endswith(self.verb_endings)

    def is_membership_word(self, token: str) -> bool:
        """`члан`, `приступио`, `унутра` (and the kinds `мрежа`, `мреже`): the word's stem is a membership word's."""
        return self.stem(token) in self.membership_words

    def is_contrary(self, token: str) -> bool:
        """`napustio`, `ugašena`: the word says Niš left the network or it ended, the opposite of what a fact says."""
        return self.stem(token) in self.contrary

    def is_month(self, token: str) -> bool:
        """`мају`, `septembra`: a month's name plus a short case ending."""
        return any(token.startswith(m) and len(token) <= len(m) + self.month_ending for m in self.months)

    def is_kind(self, token: str) -> bool:
        """Whether the token names the kind of thing a network is (`мрежа`, `удружењима`, `организацијама`):
        its stem is a kind's, or it begins with a kind's stem of four letters or more (one suffix cut is not
        always enough: `организацијама` → `organizacij`, the kind's stem is `organizac`)."""
        return self._kinds.get(token, self._is_kind)

    def _is_kind(self, token: str) -> bool:
        return self.stem(token) in self.identify_kinds or any(
            len(kind) >= self.min_kind_prefix and token.startswith(kind) for kind in self.identify_kinds
        )

    def unmarked(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """The tokens no phrase of `markers` covers (`у иностранству` covers both its words, `у` alone nothing)."""
        covered = _covered(tokens, self.markers)
        return tuple(token for index, token in enumerate(tokens) if index not in covered)

    def relating(self, tokens: Sequence[str]) -> frozenset[str]:
        """The tokens a phrase of `relations` covers (`vuče korene`: both)."""
        return frozenset(tokens[index] for index in _covered(tokens, self.relations))

    def tags_in(self, tokens: Sequence[str]) -> frozenset[str]:
        """Which lists have a phrase in the tokens, found in one pass (evidence asks about twenty lists of every
        clause): `question`, `identify`, `count`, `when`, `list`, `network`, `order`, `renaming`, `negation`, and
        `superlative:<name>`, `comparative:<name>`, `role:<name>`, `focus:<name>`, `scope:<name>` for the named
        ones."""
        index, found = self._tag_index, set()
        for start, token in enumerate(tokens):
            for phrase, tag in index.get(token, ()):
                if tag not in found and (len(phrase) == 1 or tuple(tokens[start : start + len(phrase)]) == phrase):
                    found.add(tag)
        return frozenset(found)

    @cached_property
    def _tag_index(self) -> dict[str, tuple[tuple[Phrase, str], ...]]:
        lists = {
            "question": self.question_words,
            "identify": self.identify_asking,
            "count": self.count_asking,
            "when": self.when_asking,
            "list": self.list_asking,
            "network": self.network_asking,
            "order": self.orders,
            "renaming": self.renaming,
            "negation": self.negations,
        }
        for kind, named in (
            ("superlative", self.superlatives),
            ("century", self.centuries),
            ("comparative", self.comparatives),
            ("role", self.roles),
            ("focus", self.focus),
            ("scope", self.scopes),
        ):
            lists |= {f"{kind}:{name}": phrases for name, phrases in named.items()}
        index: dict[str, list[tuple[Phrase, str]]] = {}
        for tag, phrases in lists.items():
            for phrase in phrases:
                index.setdefault(phrase[0], []).append((phrase, tag))
        return {word: tuple(entries) for word, entries in index.items()}

    def found(self, tokens: Sequence[str], named: dict[str, Phrases]) -> list[str]:
        """The names in `named` (focus, roles, scopes…) whose phrases stand in the tokens, in `named`'s order."""
        return [name for name, phrases in named.items() if has_phrase(tokens, phrases)]


# An adjective's endings in every case and gender (folded): a scope written in one form (`internacionalne`) is
# found in all (`internacionalnih`, `internacionalnim`), so staff need not list each.  Not the neuter `-o`:
# `национално удружење` is one whose facts say which (`да ли је то нешто национално`), not a list.
ADJECTIVE_ENDINGS = ("ima", "ih", "im", "og", "om", "oj", "eg", "em", "a", "e", "i", "u")


def _covered(tokens: Sequence[str], phrases: Phrases) -> set[int]:
    """The indices of the tokens some phrase covers."""
    covered: set[int] = set()
    first = phrases.by_first_word
    if first.keys().isdisjoint(tokens):
        return covered
    for index, token in enumerate(tokens):
        if token in first and (phrase := phrase_at(tokens, index, phrases)):  # (a call only where one may start)
            covered.update(range(index, index + len(phrase)))
    return covered


def _declined(words: Sequence[str], min_stem: int, endings: Sequence[str] = ADJECTIVE_ENDINGS) -> list[str]:
    """The words, and every case of each one-word adjective among them whose stem has `min_stem` letters."""
    declined = list(words)
    for word in words:
        ending = next((e for e in endings if word.endswith(e) and " " not in word), None)
        if ending is not None and len(word) - len(ending) >= min_stem:
            declined += [word[: -len(ending)] + other for other in endings]
    return declined


def _phrase_map(named: dict[str, Sequence[str]] | None) -> dict[str, Phrases]:
    return {name: _phrases(words) for name, words in (named or {}).items()}


def _declined_map(named: dict[str, Sequence[str]] | None, min_stem: int) -> dict[str, Phrases]:
    return {name: _phrases(_declined(words, min_stem)) for name, words in (named or {}).items()}


def _phrases(texts: Iterable[str]) -> Phrases:
    phrases = {tuple(text.split()) for text in texts if text.split()}
    return Phrases(sorted(phrases, key=lambda p: (-len(p), p)))
