"""Which stored questions are the same question: a group key for each, found in near-constant time.

Staff read unanswered questions by group (`report`, /staff): `kad je nis usao u
eurocities`, `Када је Ниш ушао у Eurocities?` and `kada je nis usao u eurocitis`
are one question asked three times.  Two folded questions are the same when
rapidfuzz's token-set similarity reaches `SAME_GROUP`; the first of a group
leads it, and a question joins the most similar leader.

Comparing each question with every leader costs the square of their number (a
thousand long questions took minutes on /staff).  So leaders are indexed by a
few *anchor* words, the rarest they hold (and, for short questions, those words
with one letter dropped, so `eurocitis` meets `eurocities`), and a question is
compared only with the leaders that share an anchor with it, at most
`MAX_CANDIDATES` of them.  The bot gives each question its key as it is written
(`QuestionStore`, in the database's thread), so the pages only count keys.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.script import fold

SAME_GROUP = 80  # token-set similarity (0–100) of folded texts that counts as the same question
ANCHORS = 6  # rarest words a question is indexed and looked up by
SHORT = 3  # a question of at most this many words is also indexed by its words with one letter dropped
TYPO_WORD = 5  # …words of at least this length
MIN_WORD = 3  # shorter words (je, da, u, na) say nothing about which question it is
MAX_POSTINGS = 128  # newest leaders kept per anchor
MAX_CANDIDATES = 32  # leaders compared per question
MAX_LEADERS = 50_000  # the oldest are forgotten beyond this (a question then leads a group anew)
MAX_KNOWN_TEXTS = 100_000


def group_key(folded: str) -> str:
    """The key a group led by this folded text is stored under."""
    return hashlib.sha1(folded.encode("utf-8", "replace")).hexdigest()[:16]


class Grouper:
    """Gives each question the key of its group; remembers the leaders it has seen (bounded)."""

    def __init__(self) -> None:
        self._leaders: OrderedDict[str, str] = OrderedDict()  # key -> folded text of the leader, oldest first
        self._postings: dict[str, deque[str]] = {}  # anchor -> keys of leaders holding it, newest last
        self._frequency: Counter[str] = Counter()  # word -> how many leaders hold it
        self._known: OrderedDict[str, str] = OrderedDict()  # folded text -> its key, for a question asked again

    def key_of(self, text: str) -> str:
        folded = fold(text)
        known = self._known.get(folded)
        if known is not None:
            return known
        words = {word for word in folded.split() if len(word) >= MIN_WORD}
        anchors = self._anchors(words)
        key = self._best_leader(folded, anchors) or self._lead(folded, words, anchors)
        self._remember(folded, key)
        return key

    def learn(self, text: str, key: str) -> None:
        """A question already stored with its key (read back at start): lead its group when nothing does yet."""
        folded = fold(text)
        if key not in self._leaders:
            words = {word for word in folded.split() if len(word) >= MIN_WORD}
            self._index(key, folded, words, self._anchors(words))
        self._remember(folded, key)

    def __len__(self) -> int:
        return len(self._leaders)

    def _best_leader(self, folded: str, anchors: Iterable[str]) -> str | None:
        shared = Counter(key for anchor in anchors for key in self._postings.get(anchor, ()) if key in self._leaders)
        best, best_score = None, 0.0
        for key, _ in shared.most_common(MAX_CANDIDATES):
            score = fuzz.token_set_ratio(folded, self._leaders[key], score_cutoff=SAME_GROUP)
            if score > best_score:
                best, best_score = key, score
        return best

    def _lead(self, folded: str, words: set[str], anchors: list[str]) -> str:
        key = group_key(folded)
        self._index(key, folded, words, anchors)
        return key

    def _index(self, key: str, folded: str, words: set[str], anchors: list[str]) -> None:
        self._leaders[key] = folded
        self._frequency.update(words)
        for anchor in anchors:
            self._postings.setdefault(anchor, deque(maxlen=MAX_POSTINGS)).append(key)
        while len(self._leaders) > MAX_LEADERS:
            _, forgotten = self._leaders.popitem(last=False)
            self._frequency.subtract({word for word in forgotten.split() if len(word) >= MIN_WORD})

    def _anchors(self, words: set[str]) -> list[str]:
        """The rarest words among the leaders so far (ties: alphabetical, the same for every question), and for
        a short question each word with one letter dropped."""
        frequency = self._frequency.get
        rarest = heapq.nsmallest(ANCHORS, words, key=lambda word: (frequency(word, 0), word))
        if len(words) > SHORT:
            return rarest
        dropped = {word[:i] + word[i + 1 :] for word in rarest if len(word) >= TYPO_WORD for i in range(len(word))}
        return [*rarest, *sorted(dropped - set(rarest))]

    def _remember(self, folded: str, key: str) -> None:
        self._known[folded] = key
        if len(self._known) > MAX_KNOWN_TEXTS:
            self._known.popitem(last=False)
