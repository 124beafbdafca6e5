"""Which stored questions are the same question: a group key for each, found in near-constant time.

Staff read unanswered questions by group (`report`, /staff): `kad je nis usao u
eurocities`, `Када је Ниш ушао у Eurocities?` and `kada je nis usao u eurocitis`
are one question asked three times.  Two folded questions are the same when
rapidfuzz's token-set similarity reaches `SAME_GROUP`; the first of a group
leads it, and a question joins the most similar leader.

Comparing each question with every leader costs the square of their number (a
thousand long questions took minutes on /staff).  So leaders are indexed by a
few *anchor* words, the rarest they hold (and, for short questions, those words'
first and last four letters, so `eurocitis` meets `eurocities`), and a question
is compared only with the leaders that share an anchor with it, at most
`MAX_CANDIDATES` of them.  The bot gives each question its key as it is written
(`QuestionStore`, in the database's thread), so the pages only count keys.

Memory is bounded whatever is asked (issue 18): at most `MAX_LEADERS` leaders,
each kept as its first `LEADER_CHARS` folded characters with words cut to
`MAX_WORD_CHARS`; a forgotten leader leaves its anchors' postings and the word
counts, and texts asked again are remembered by a digest, not by their text.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, OrderedDict
from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.cache import Memo
from bot.script import fold

SAME_GROUP = 80  # token-set similarity (0–100) of folded texts that counts as the same question
ANCHORS = 6  # rarest words a question is indexed and looked up by
SHORT = 3  # a question of at most this many words is also indexed by its words' first and last letters
TYPO_WORD = 6  # …words of at least this length
ENDS = 4  # …that many letters at each end
MIN_WORD = 3  # shorter words (je, da, u, na) say nothing about which question it is
MAX_POSTINGS = 128  # newest leaders kept per anchor
MAX_CANDIDATES = 32  # leaders compared per question
MAX_LEADERS = 20_000  # the oldest are forgotten beyond this (a question then leads a group anew); ~40 MB
MAX_KNOWN_TEXTS = 100_000
LEADER_CHARS = 400  # of a leader's folded text, kept to compare with (questions run to 4,000)
MAX_WORD_CHARS = 30  # longer "words" are cut: nobody's network or verb is longer


def group_key(folded: str) -> str:
    """The key a group led by this folded text is stored under."""
    return hashlib.sha1(folded.encode("utf-8", "replace")).hexdigest()[:16]


def _folded(text: str) -> str:
    """The question as the grouper compares it: folded, words cut to MAX_WORD_CHARS, at most LEADER_CHARS."""
    return " ".join(word[:MAX_WORD_CHARS] for word in fold(text).split())[:LEADER_CHARS]


def _words(folded: str) -> set[str]:
    return {word for word in folded.split() if len(word) >= MIN_WORD}


class Leader:
    """A question that leads a group: its folded text, its words and the anchors it is indexed by."""

    __slots__ = ("anchors", "folded", "words")

    def __init__(self, folded: str, words: set[str], anchors: list[str]) -> None:
        self.folded, self.words, self.anchors = folded, tuple(words), tuple(anchors)


class Grouper:
    """Gives each question the key of its group; remembers the leaders it has seen (bounded)."""

    def __init__(self) -> None:
        self._leaders: OrderedDict[str, Leader] = OrderedDict()  # key -> the leader, oldest first
        self._postings: dict[str, list[str]] = {}  # anchor -> keys of leaders holding it, newest last (a list:
        # most anchors are rare words with one key, and a deque costs 600 bytes however short)
        self._frequency: Counter[str] = Counter()  # word -> how many leaders hold it
        self._known: Memo[bytes, str] = Memo(MAX_KNOWN_TEXTS)  # digest of a folded text -> its key (asked again)

    def key_of(self, text: str) -> str:
        folded = _folded(text)
        return self._known.get(_digest(folded), lambda _: self._group(folded))

    def learn(self, text: str, key: str) -> None:
        """A question already stored with its key (read back at start): lead its group when nothing does yet."""
        folded = _folded(text)
        if key not in self._leaders:
            words = _words(folded)
            self._index(key, Leader(folded, words, self._anchors(words)))
        self._known.put(_digest(folded), key)

    def memory_items(self) -> int:
        """How many things the grouper holds (leaders, postings, counted words, known texts): for the tests."""
        postings = sum(len(keys) for keys in self._postings.values())
        return len(self._leaders) + len(self._postings) + postings + len(self._frequency) + len(self._known)

    def __len__(self) -> int:
        return len(self._leaders)

    def _group(self, folded: str) -> str:
        """The key of the leader most like the text, or the text's own as it leads a new group."""
        words = _words(folded)
        anchors = self._anchors(words)
        return self._best_leader(folded, anchors) or self._lead(folded, words, anchors)

    def _best_leader(self, folded: str, anchors: Iterable[str]) -> str | None:
        shared = Counter(key for anchor in anchors for key in self._postings.get(anchor, ()) if key in self._leaders)
        best, best_score = None, 0.0
        for key, _ in shared.most_common(MAX_CANDIDATES):
            score = fuzz.token_set_ratio(folded, self._leaders[key].folded, score_cutoff=SAME_GROUP)
            if score > best_score:
                best, best_score = key, score
        return best

    def _lead(self, folded: str, words: set[str], anchors: list[str]) -> str:
        key = group_key(folded)
        self._index(key, Leader(folded, words, anchors))
        return key

    def _index(self, key: str, leader: Leader) -> None:
        self._leaders[key] = leader
        self._frequency.update(leader.words)
        for anchor in leader.anchors:
            keys = self._postings.setdefault(anchor, [])
            keys.append(key)
            if len(keys) > MAX_POSTINGS:
                del keys[0]
        while len(self._leaders) > MAX_LEADERS:
            self._forget(*self._leaders.popitem(last=False))

    def _forget(self, key: str, leader: Leader) -> None:
        for word in leader.words:
            self._frequency[word] -= 1
            if self._frequency[word] <= 0:
                del self._frequency[word]
        for anchor in leader.anchors:
            keys = self._postings.get(anchor)
            if keys is not None and key in keys:
                keys.remove(key)
            if not keys:
                self._postings.pop(anchor, None)

    def _anchors(self, words: set[str]) -> list[str]:
        """The rarest words among the leaders so far (ties: alphabetical, the same for every question), and for
        a short question each long word's first and last letters (a typo rarely touches both ends)."""
        frequency = self._frequency.get
        rarest = heapq.nsmallest(ANCHORS, words, key=lambda word: (frequency(word, 0), word))
        if len(words) > SHORT:
            return rarest
        ends = {end for word in rarest if len(word) >= TYPO_WORD for end in ("^" + word[:ENDS], word[-ENDS:] + "$")}
        return [*rarest, *sorted(ends)]


def _digest(folded: str) -> bytes:
    return hashlib.blake2b(folded.encode("utf-8", "replace"), digest_size=12).digest()
