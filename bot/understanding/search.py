"""Stage 4b: which facts of the knowledge file a question's words point at (BM25).

Used when the words, not a name, identify the network (`Која мрежа окупља
локалне власти у Србији?`) and when a question about a named network uses
words the examples never taught but one of its facts contains (`Ко председава
Лигом историјских градова?` → the seat fact says who chairs it).  Every fact is
a document of stemmed content words; the index is rebuilt with the engine, so
it follows every reload.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge import Knowledge
from bot.lexicon import Lexicon
from bot.script import fold_tokens

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Hit:
    network_id: str
    fact: str  # the fact's key: about, joined, seat…
    score: float
    matched: tuple[str, ...]  # the question's stems found in the fact


@dataclass(frozen=True)
class _Document:
    network_id: str
    fact: str
    counts: Counter[str]
    length: int


class FactIndex:
    def __init__(self, knowledge: Knowledge, lexicon: Lexicon):
        self.lexicon = lexicon
        self.documents = [
            _Document(network.id, key, Counter(stems), len(stems))
            for network in knowledge.networks
            for key, fact in network.facts.items()
            if (stems := self.stems(fold_tokens(fact.text)))
        ]
        frequency: Counter[str] = Counter(stem for d in self.documents for stem in d.counts)
        total = len(self.documents)
        self.idf = {stem: math.log(1 + (total - df + 0.5) / (df + 0.5)) for stem, df in frequency.items()}
        self.average_length = sum(d.length for d in self.documents) / max(1, total)

    def stems(self, tokens: Iterable[str]) -> list[str]:
        return [self.lexicon.stem(t) for t in tokens if len(t) > 1 and not self.lexicon.is_stopword(t)]

    def knows(self, stem: str) -> bool:
        return stem in self.idf

    def search(self, tokens: Sequence[str], network_id: str | None = None) -> list[Hit]:
        """Facts ranked by how well they hold the question's words (only `network_id`'s when given)."""
        query = set(self.stems(tokens))
        hits = []
        for document in self.documents:
            if network_id is not None and document.network_id != network_id:
                continue
            matched = tuple(sorted(stem for stem in query if stem in document.counts))
            if not matched:
                continue
            norm = K1 * (1 - B + B * document.length / self.average_length)
            score = sum(
                self.idf[stem] * document.counts[stem] * (K1 + 1) / (document.counts[stem] + norm) for stem in matched
            )
            hits.append(Hit(document.network_id, document.fact, score, matched))
        return sorted(hits, key=lambda hit: -hit.score)
