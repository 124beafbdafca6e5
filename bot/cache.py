"""The one bounded cache of the bot's objects: the newest `limit` entries kept, the oldest forgotten first.

What each understanding stage works out about a word (its stems, the names it
may be a typo of, its features), the group key of each question text the
grouper has seen, the classifier trained last in this process: all are kept
in a `Memo`.  Questions bring unbounded new words and texts, and an attacker
brings them on purpose: unbounded, the word caches held over 300 MB after
20,000 questions of made-up words (issue 18).  A cache that stopped filling
when full kept that memory and cached no new word again; this one keeps the
newest, so the words citizens use keep their place.

A function whose results are worth keeping (a rendered text, a version's files,
an answer) uses functools.lru_cache instead; a `Memo` serves where the value is
worked out by the caller (`get(key, compute)`) or learnt elsewhere (`put`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")

WORDS_CACHED = 20_000  # per cache; each entry is a few hundred bytes


class Memo(Generic[Key, Value]):
    """`get(key, compute)`: the cached value, or `compute(key)`, kept."""

    def __init__(self, limit: int = WORDS_CACHED):
        self.limit = limit
        self._entries: OrderedDict[Key, Value] = OrderedDict()

    def get(self, key: Key, compute: Callable[[Key], Value]) -> Value:
        try:
            return self._entries[key]  # one look-up when found, as most are
        except KeyError:
            pass
        value = compute(key)
        self.put(key, value)
        return value

    def put(self, key: Key, value: Value) -> None:
        """Keep `value` for `key` (a key already kept keeps its place)."""
        entries = self._entries
        entries[key] = value
        if len(entries) > self.limit:
            entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
