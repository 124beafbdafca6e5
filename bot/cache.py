"""A bounded memo for per-word look-ups: the newest `limit` entries, the oldest forgotten first.

The understanding caches what it works out about each word (its stems, the
names it may be a typo of, its features).  Questions bring unbounded new words,
and an attacker brings them on purpose: unbounded, these caches held over
300 MB after 20,000 questions of made-up words (issue 18).  A cache that stopped
filling when full kept that memory and cached no new word again; this one keeps
the newest, so the words citizens use keep their place.
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
        entries = self._entries
        try:
            return entries[key]  # one look-up when found, as most are
        except KeyError:
            pass
        value = entries[key] = compute(key)
        if len(entries) > self.limit:
            entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
