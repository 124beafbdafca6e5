"""Stage 4b: which facts of the knowledge file a question's words point at (BM25).

Used when the words, not a name, identify the network (`Која мрежа окупља
локалне власти у Србији?`) and when a question about a named network uses
words the examples never taught but one of its facts contains (`Ко председава
Лигом историјских градова?` → the seat fact says who chairs it).  Every fact is
a document of stemmed content words; the index is rebuilt with the engine, so
it follows every reload.  Words meet through their case-ending variants
(`настала` and `настао` share `nasta`), as names do in `networks`.  A
network's `topics` (words citizens use for what it is about) count as one more
document, found as its description (`about`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge import Knowledge
from bot.lexicon import Lexicon
from bot.script import fold_tokens
from bot.thresholds import DEFAULT

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Hit:
    """A fact that matched a question's words, with its score and the words it matched."""

    network_id: str
    fact: str  # the fact's key: about, joined, seat…
    score: float
    matched: tuple[str, ...]  # the question's words found in the fact


@dataclass(frozen=True)
class _Document:
    """One fact's words as the search counts them."""

    network_id: str
    fact: str
    counts: Counter[str]  # variant -> how many of the fact's words have it
    length: int


_WORD = re.compile(r"[\w'’-]+")
# A foreign name as a citizen may spell it (`Besançon`, `Kyoto`, `Stockholm`) against the fact's Serbian
# (`Безансон`, `Кјото`, `Стокхолм`): both read by their sound, foreign letters as Serbian writes them, and
# `c`/`s`/`z` alike (folding has already dropped the cedilla of `ç`); `n` before `b` as it is said
# (`Истанбул`, `Istambul`).
_SOUNDS: tuple[tuple[str, str], ...] = (
    ("sch", "s"),
    ("ck", "k"),
    ("kh", "k"),
    ("ch", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("nb", "mb"),
)
_SOUNDS += (("qu", "kv"), ("q", "k"), ("w", "v"), ("x", "ks"), ("y", "j"), ("c", "s"), ("z", "s"))
_DOUBLE = re.compile(r"(.)\1+")


# `97`, `'97`, `97me`, `97-e`: a year of the last century said in two digits, as citizens write it (a smaller
# number is more often a count, `21 град`, `30 земаља`, than a year of this one)
_SHORT_YEAR = re.compile(r"([4-9]\d)(?:me|e|te|ih|i|a)?")


def sound(word: str) -> str:
    """A folded word as it sounds, for names spelled in foreign letters: `besanconu`, `bezansonu` → `besansonu`."""
    for letters, spoken in _SOUNDS:
        word = word.replace(letters, spoken)
    return _DOUBLE.sub(r"\1", word)


_HARD_C = re.compile(r"c(?=[aou])")


def sounds(word: str) -> set[str]:
    """How a word a citizen wrote may sound: `c` is `s` in French (`Besançon`), and `k` before a, o, u in
    Italian, Spanish or English (`Cosenza` is `Козенца`)."""
    return {sound(word), sound(_HARD_C.sub("k", word))}


_SENTENCE_START = re.compile(r"(?:^|[.!?;:]\s+|\(|–\s+)$")


def _values(text: str) -> list[str]:
    """The folded numbers and names of a fact's text: digits, acronyms, and capitalised words not opening a
    sentence.
    Not a month (`у мају`): tried as a value, it made a question confidently wrong that had been refused."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        opens = _SENTENCE_START.search(text[: match.start()]) is not None
        if word.isdigit() or _acronym(word) or (word[:1].isupper() and not opens):
            found.extend(fold_tokens(word))
    return found


DAY = "dan"  # a day number's mark in the index: `21. априла` is `21dan`, which `21 град` does not meet


def _day_positions(words: Sequence[str], lexicon: Lexicon) -> set[int]:
    """Which of the words are the day of a date: a number of one or two digits with a month among the two words
    after it that are not numbers (`21–22. априла`, `9. маја`); not an ordinal before anything else (`14.
    Конференцији`)."""
    days = set()
    for index, word in enumerate(words):
        if word.isdigit() and len(word) <= 2:
            following = (w for w in words[index + 1 : index + 3] if not w.isdigit())
            if any(lexicon.is_month(t) for w in following for t in fold_tokens(w)[:1]):
                days.add(index)
    return days


def with_days_marked(text: str, lexicon: Lexicon) -> str:
    """The text with the day numbers of its dates marked (`21–22. априла` → `21dan–22dan. априла`): a day is not
    the count a question may give (`Коју мрежу је основао 21 град?` is ECAD's 21 cities, not SKGO's 21 April),
    and is no value a network is known by."""
    matches = list(_WORD.finditer(text))
    for index in sorted(_day_positions([m.group() for m in matches], lexicon), reverse=True):
        end = matches[index].end()
        text = text[:end] + DAY + text[end:]
    return text


def days_marked(tokens: Sequence[str], lexicon: Lexicon) -> list[str]:
    """A question's words with the days of its dates marked as the index marks them (`21. и 22. априла`)."""
    kept = [t for t in tokens if not lexicon.is_stopword(t)]  # `21. и 22.`: the `и` between
    days = {kept[i] for i in _day_positions(kept, lexicon)}
    return [t + DAY if t in days else t for t in tokens]


def _acronym(word: str) -> bool:
    """`(МЕГА)`, `УСАИД`: a name wherever it stands, however often an example (a lesson) uses it."""
    return len(word) > 1 and word.isupper()


class FactIndex:
    def __init__(
        self,
        knowledge: Knowledge,
        lexicon: Lexicon,
        min_sounded: int = DEFAULT.min_sounded,
        min_derived: int = DEFAULT.min_derived,
        short_name: int = DEFAULT.short_name,
    ):
        self.lexicon = lexicon
        self.short_name = short_name
        self.min_sounded = min_sounded  # a shorter name sounds like too many other words
        self.documents: list[_Document] = []
        # variants of the numbers and proper names that only one network's facts write (`2007`, `Кјото`, `УСАИД`),
        # and of the words some networks' topics use (`енергија`)
        owners: dict[str, set[str]] = {}
        topic_owners: dict[str, set[str]] = {}
        topic_words: list[frozenset[str]] = []  # each topic word's variants
        place_owners: dict[str, set[str]] = {}  # the seat's city and country only
        self.place_names: set[str] = set()  # …as they are written (the nominative: `beograd`)
        strong_owners: dict[str, set[str]] = {}  # the seat's city and country (`Француска`), acronyms (`МЕГА`)
        word_owners: dict[str, set[str]] = {}  # every word the facts are searched by
        self.sounded: dict[str, str] = {}  # a name's variant by its sound (`kjot`), to the fact's spelling
        for network in knowledge.networks:
            for key, fact in network.facts.items():
                text = with_days_marked(fact.text, lexicon)
                for variant in (v for word in _values(text) for v in lexicon.variants(word)):
                    owners.setdefault(variant, set()).add(network.id)
                    if not variant.isdigit() and len(variant) >= self.min_sounded:
                        self.sounded.setdefault(sound(variant), variant)
                for word in (w for w in _WORD.findall(fact.text) if _acronym(w) and not w.isdigit()):
                    for variant in (v for folded in fold_tokens(word) for v in lexicon.variants(folded)):
                        strong_owners.setdefault(variant, set()).add(network.id)
                for variant in self._add(network.id, key, text):
                    word_owners.setdefault(variant, set()).add(network.id)
            for place in (network.seat_city, network.seat_country):
                for variant in (v for word in fold_tokens(place or "") for v in lexicon.variants(word)):
                    strong_owners.setdefault(variant, set()).add(network.id)
                    place_owners.setdefault(variant, set()).add(network.id)
                self.place_names.update(fold_tokens(place or ""))
            if network.topics:  # what it is about, in a citizen's words: found as its description
                self._add(network.id, "about", " ".join(network.topics))
                for word in (w for t in network.topics for w in fold_tokens(t)):
                    topic_words.append(lexicon.variants(word))
                    for variant in lexicon.variants(word):
                        topic_owners.setdefault(variant, set()).add(network.id)
        self.values = {variant for variant, networks in owners.items() if len(networks) == 1}
        # a strong value names its network even where the examples use the word (`Француској`)
        self.strong_values = {variant for variant, networks in strong_owners.items() if len(networks) == 1}
        # a seat several networks share (`Београд`) names them all: `које мреже су смештене у Београду`
        self.shared_places = {variant for variant, networks in place_owners.items() if len(networks) > 1}
        # a topic of a few networks points at those few (`баштина`: AVEC and the League, a list of both)
        # (not a word most networks' facts use in any of its forms: `стари градови` makes neither `градова` nor
        # `градови` a topic)
        many = len(knowledge.networks)
        common = {v for v, networks in word_owners.items() if 2 * len(networks) > many}
        self.topic_words = {
            v
            for variants in topic_words
            if variants.isdisjoint(common)
            for v in variants
            if len(topic_owners[v]) < many
        }
        scope_words = {w for phrases in lexicon.scopes.values() for p in phrases for w in p}
        scope_variants = {v for word in scope_words for v in lexicon.variants(word)}
        self.values -= scope_variants  # `у Србији` says a scope, not a network
        self.topic_words -= scope_variants
        frequency: Counter[str] = Counter(variant for d in self.documents for variant in d.counts)
        total = len(self.documents)
        self.idf = {variant: math.log(1 + (total - df + 0.5) / (df + 0.5)) for variant, df in frequency.items()}
        self.average_length = sum(d.length for d in self.documents) / max(1, total)
        # the facts' words by their beginnings of `min_derived` letters or more (a shorter stem begins too many
        # other words): what a word of the same root no fact writes may be (`реформу` → `реформисана`)
        self.derived: dict[str, set[str]] = {}
        for variant in self.idf:
            for end in range(min_derived, len(variant)):
                self.derived.setdefault(variant[:end], set()).add(variant)

    def _add(self, network_id: str, fact: str, text: str) -> Counter[str]:
        """Index the text as one of the network's documents; its words' variants, counted (none: not added). A
        word written with a hyphen counts by its parts too (`евро-медитеранских`: `медитеранских`)."""
        words = self.content(fold_tokens(text))
        parts = [p for w in _WORD.findall(text) if "-" in w.strip("-") for p in fold_tokens(w.replace("-", " "))]
        counts = Counter(variant for word in (*words, *self.content(parts)) for variant in self.lexicon.variants(word))
        if words:
            self.documents.append(_Document(network_id, fact, counts, len(words)))
        return counts

    def forms(self, word: str) -> frozenset[str]:
        """The word's variants; for a word no fact writes, also the fact's spelling of a name it sounds like
        (`Kyotu` → `kjotu`, `kjot`) and the fact's longer words that begin with its own stem (`reformu` →
        `reformisana`; not `stvara` → `stvaralaštvo`, nor `Makedoniji` by `makedon` → `Makedonskoj`)."""
        variants = self.lexicon.variants(word)
        if year := _SHORT_YEAR.fullmatch(word):
            return variants | {"19" + year.group(1)}
        if word.isdigit() or len(word) < self.min_sounded or not self.idf.keys().isdisjoint(variants):
            return variants
        spelled = {self.sounded[key] for v in variants for key in sounds(v) if key in self.sounded}
        stem = max((v for v in variants if v != word), key=len, default=None)  # `reformu` → `reform`
        derived = self.derived.get(stem, set()) if stem else set()
        return variants | spelled | derived if spelled or derived else variants

    def content(self, tokens: Iterable[str]) -> list[str]:
        return [t for t in tokens if len(t) > 1 and not self.lexicon.is_stopword(t)]

    def is_value(self, word: str) -> bool:
        """Whether a fact writes the word as a number or a name (`2007`, `Истанбулу`): one such word alone can
        point at a network, where one common word (`члан`) cannot. A name of three letters only as written:
        `Тур` (Tours) is no `туре` (tours of duty)."""
        return any(self._as_named(word, value) for value in self.values.intersection(self.forms(word)))

    def is_strong_value(self, word: str) -> bool:
        """Whether the word is one network's seat city or country (`USAID`, which the examples use too, is not:
        `Koje organizacije finansira USAID u Srbiji?` asks about more than NALED)."""
        return any(self._as_named(word, value) for value in self.strong_values.intersection(self.forms(word)))

    def is_shared_place(self, word: str) -> bool:
        """Whether the word is the seat (city or country) of several networks, in a case that places something
        there (`у Београду`, `из Београда`, `београдске`); not the name as a subject (`Чији је члан Београд?` asks
        about the city)."""
        if word in self.place_names:
            return False
        return any(self._as_named(word, value) for value in self.shared_places.intersection(self.forms(word)))

    def _as_named(self, word: str, value: str) -> bool:
        return len(value) > self.short_name or value.isdigit() or word == value

    def is_topic(self, word: str) -> bool:
        """Whether some networks' `topics` use the word, not all of them (`енергија`, `баштина`): it points at
        those networks as a name does."""
        return not self.topic_words.isdisjoint(self.forms(word))

    def knows(self, word: str) -> bool:
        return any(variant in self.idf for variant in self.forms(word))

    def one_network_writes(self, tokens: Sequence[str]) -> bool:
        """Whether the facts of one network, together, hold every one of the words (`градова против наркоманије`
        is ECAD's; `градова светске баштине` takes words of two networks, and is neither's)."""
        wanted = set(self.content(tokens))
        found: dict[str, set[str]] = {}
        for hit in self.search(tokens):
            found.setdefault(hit.network_id, set()).update(hit.matched)
        return bool(wanted) and any(wanted <= matched for matched in found.values())

    def search(self, tokens: Sequence[str], network_id: str | None = None) -> list[Hit]:
        """Facts ranked by how well they hold the question's words (only `network_id`'s when given).

        Each question word scores once, by its best variant; `matched` lists the words found.
        """
        asked = dict(zip(days_marked(tokens, self.lexicon), tokens, strict=True))  # `21dan` was asked as `21`
        words = sorted(set(self.content(asked)))
        forms = [(asked[word], self.forms(word)) for word in words]  # once per question, not once per fact
        hits = []
        for document in self.documents:
            if network_id is not None and document.network_id != network_id:
                continue
            norm = K1 * (1 - B + B * document.length / self.average_length)
            score, matched = 0.0, []
            for word, variants in forms:
                best = max(
                    (
                        self.idf[v] * document.counts[v] * (K1 + 1) / (document.counts[v] + norm)
                        for v in variants
                        if v in document.counts
                    ),
                    default=0.0,
                )
                if best:
                    score += best
                    matched.append(word)
            if matched:
                hits.append(Hit(document.network_id, document.fact, score, tuple(matched)))
        return sorted(hits, key=lambda hit: -hit.score)
