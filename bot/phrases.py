"""Phrases of folded tokens and finding them in a question's tokens.

A phrase is a tuple of folded words (`("od", "kada")`); a list of them is a
`Phrases`, longest first, so `dobro vece` is found before `dobro`.  A
`Phrases` keeps the tables built for finding its phrases (by first word, by
length) on itself: they go with the lexicon that holds the list when a reload
replaces it (module dicts keyed by `id()` grew with every reload).  The
functions take any list of phrases; only a `Phrases` keeps its tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property

Phrase = tuple[str, ...]


class Phrases(tuple[Phrase, ...]):
    """A list of phrases, longest first, and the tables for finding them, built the first time they are asked
    for and kept on the list itself."""

    @cached_property
    def by_first_word(self) -> dict[str, tuple[Phrase, ...]]:
        """The phrases grouped by their first word, longest first."""
        return _first_words(self)

    @cached_property
    def by_length(self) -> tuple[tuple[int, frozenset[Phrase]], ...]:
        """The phrases grouped by their length, longest first."""
        return _lengths(self)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of the phrases."""
        return frozenset(word for phrase in self for word in phrase)


NO_PHRASES = Phrases()


def phrase_at(tokens: Sequence[str], start: int, phrases: Sequence[Phrase]) -> Phrase | None:
    """The longest of `phrases` that stands in `tokens` at `start`, if any."""
    if start >= len(tokens):
        return None
    for phrase in _by_first_word(phrases).get(tokens[start], ()):
        if tuple(tokens[start : start + len(phrase)]) == phrase:
            return phrase
    return None


def consists_of(tokens: Sequence[str], phrases: Sequence[Phrase]) -> bool:
    """Whether the tokens are nothing but phrases of the list, one after another (`а где`, `kada i zasto`… of
    the question words; no tokens: trivially)."""
    position = 0
    while position < len(tokens):
        phrase = phrase_at(tokens, position, phrases)
        if phrase is None:
            return False
        position += len(phrase)
    return True


def words_of(*groups: Iterable[Phrase]) -> frozenset[str]:
    """Every word of the phrases of the groups (`question_words`, `identify_asking`…); the stages build the sets
    they ask about for every clause once, with themselves."""
    return frozenset(word for group in groups for phrase in group for word in phrase)


def has_phrase(tokens: Sequence[str], phrases: Sequence[Phrase]) -> bool:
    """Whether one of `phrases` stands anywhere in `tokens` (asked of every clause many times: most often no
    first word of any phrase is among the tokens, which one set operation in C tells)."""
    index = _by_first_word(phrases)
    if index.keys().isdisjoint(tokens):
        return False
    for start, token in enumerate(tokens):
        for phrase in index.get(token, ()):
            if len(phrase) == 1 or tuple(tokens[start : start + len(phrase)]) == phrase:
                return True
    return False


def phrase_ending_at(tokens: Sequence[str], start: int, end: int, phrases: Sequence[Phrase]) -> Phrase | None:
    """The longest of `phrases` that ends in `tokens` at `end` and begins at `start` or later, if any."""
    for size, group in phrases.by_length if isinstance(phrases, Phrases) else _lengths(phrases):
        if end - size >= start and (phrase := tuple(tokens[end - size : end])) in group:
            return phrase
    return None


def _by_first_word(phrases: Sequence[Phrase]) -> dict[str, tuple[Phrase, ...]]:
    """The phrases grouped by their first word: kept with a `Phrases`, built afresh for any other list."""
    return phrases.by_first_word if isinstance(phrases, Phrases) else _first_words(phrases)


def _first_words(phrases: Sequence[Phrase]) -> dict[str, tuple[Phrase, ...]]:
    index: dict[str, list[Phrase]] = {}
    for phrase in phrases:  # already longest first
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(group) for word, group in index.items()}


def _lengths(phrases: Sequence[Phrase]) -> tuple[tuple[int, frozenset[Phrase]], ...]:
    sizes = sorted({len(phrase) for phrase in phrases}, reverse=True)
    return tuple((size, frozenset(p for p in phrases if len(p) == size)) for size in sizes)
