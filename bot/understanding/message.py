"""A message as the stages read it: made once by `normalise`, passed forward, each stage adding to it.

As in a Rasa pipeline, the text is folded and cut into tokens once; no later
stage or rule goes back to the text or scans the tokens for the same thing
again:

* `Message` – the text read, and its `Clause`s (the questions it asks, and the
  statements beside them);
* `Clause` – the user's words for one question and their folded tokens, as a
  `Span`; which words the user capitalised;
* `Span` – a run of a clause's tokens that a stage reads: the whole clause,
  its core without courtesy, the part from its question word on.  What the
  lexicon finds in a span (the lists whose phrases stand in it, its follow-up
  opener, its courtesy, its question words, its focus, the words no list
  gives a meaning) is found the first time a stage asks, and kept; the
  `networks` stage adds the names it finds (`mentions`), and `evidence` reads
  it all into the `Evidence` the rules decide on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from bot.lexicon import Lexicon
from bot.phrases import Phrase, consists_of, phrase_at
from bot.script import fold

if TYPE_CHECKING:
    from bot.understanding.types import Mention

_WORD = re.compile(r"[\w'’-]+")
_T = TypeVar("_T")


class once(Generic[_T]):
    """`functools.cached_property` without its lock (a message is read by one thread), which costs more than most
    of what a span finds: computed on first use, then an entry of the instance's `__dict__`."""

    def __init__(self, compute: Callable[[Any], _T]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type) -> once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> _T: ...
    def __get__(self, instance: object | None, owner: type) -> once[_T] | _T:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(eq=False)
class Span:
    """A run of folded tokens, and what the stages found in it."""

    tokens: tuple[str, ...]
    lexicon: Lexicon = field(repr=False)
    mentions: tuple[Mention, ...] | None = None  # the networks it names (`networks`), once they are looked for

    @once
    def tags(self) -> frozenset[str]:
        """The lists whose phrases stand in it (`Lexicon.tags_in`): `question`, `count`, `focus:who`…"""
        return self.lexicon.tags_in(self.tokens)

    @once
    def opener(self) -> int:
        """How many leading tokens open a follow-up (`а`, `а шта је са`); 0: none."""
        return self.lexicon.opener(self.tokens)

    @once
    def courtesy(self) -> tuple[int, int]:
        """(start, end) of what is left with greetings and thanks set aside from both ends."""
        return self.lexicon.courtesy_bounds(self.tokens)

    @once
    def core(self) -> Span:
        """The span without the courtesy around it (itself when there is none)."""
        start, end = self.courtesy
        return self if (start, end) == (0, len(self.tokens)) else Span(self.tokens[start:end], self.lexicon)

    @once
    def question_words(self) -> dict[int, Phrase]:
        """Where a question word stands: its index → the longest question phrase there."""
        question_words = self.lexicon.question_words
        first = question_words.by_first_word
        if first.keys().isdisjoint(self.tokens):
            return {}
        tokens = self.tokens
        found = ((i, phrase_at(tokens, i, question_words)) for i, token in enumerate(tokens) if token in first)
        return {index: phrase for index, phrase in found if phrase is not None}

    @once
    def only_question_words(self) -> bool:
        """After its opener, question words and nothing else (`а где?`)."""
        rest = self.tokens[self.opener :]
        return bool(rest) and consists_of(rest, self.lexicon.question_words)

    @once
    def focus(self) -> frozenset[str]:
        """What part of a fact it asks for: `who`, `where`, `month`, `day`… (the names in language.yml)."""
        return frozenset(name for name in self.lexicon.focus if f"focus:{name}" in self.tags)

    @once
    def unmarked(self) -> tuple[str, ...]:
        """Its tokens no list of language.yml gives a meaning (`Lexicon.unmarked`)."""
        return self.lexicon.unmarked(self.tokens)

    def head(self, size: int) -> Span:
        """Its first `size` tokens."""
        return self if size >= len(self.tokens) else Span(self.tokens[:size], self.lexicon)


@dataclass(frozen=True)
class Clause:
    """One question of a message: the user's own words and their folded tokens."""

    text: str
    span: Span
    statement: bool = False  # no question word, beside a part that has one: context only
    asks_which: bool = False  # a bare `Коју?` read with the statements before it: it asks which network they tell
    hypothetical: bool = False  # asks what would be, under a condition the message sets (`Да Ниш није…, да ли би…`)

    @property
    def tokens(self) -> tuple[str, ...]:
        return self.span.tokens

    def head(self, size: int) -> Clause:
        """The clause up to its `size`-th token."""
        return self if size >= len(self.tokens) else replace(self, span=self.span.head(size))

    def with_tokens(self, tokens: tuple[str, ...]) -> Clause:
        return self if tokens == self.tokens else replace(self, span=Span(tokens, self.span.lexicon))

    @once
    def _capitals(self) -> list[bool] | None:
        """Whether the user capitalised the word of each token; None when the words do not align with the tokens,
        or most are written in capitals (`KADA JE NIS…`, `ECAD SAJT`), or every one begins with a capital (`Kada Je
        Nis Usao`): then capitals tell nothing. A name in title case is no such message (`Da li je Niš član
        Organization of World Heritage Cities?`)."""
        words = [word for word, _ in words_by_token(self.text, len(self.tokens))]
        # (a word a spelling rewrites is a word of ours, capitalised or not: German `Sitz`, `Netzwerk`)
        spellings = self.span.lexicon.spellings
        flags = [word[:1].isupper() and fold(word) not in spellings for word in words]
        if len(flags) != len(self.tokens):
            return None
        if len(flags) >= 2 and 2 * sum(flags) > len(flags):  # (most words capitalised: are they shouted?)
            shouted = sum(len(word) > 1 and word.isupper() for word in words)
            if 2 * shouted > len(flags) or all(flags):
                return None
        return flags

    def capitals(self, tokens: tuple[str, ...]) -> list[bool] | None:
        """For each of `tokens` (a run of the clause's), whether the user capitalised its word; None when it
        cannot be told."""
        flags = self._capitals
        if flags is None:
            return None
        size = len(tokens)
        for offset in range(len(self.tokens) - size + 1):
            if self.tokens[offset : offset + size] == tokens:
                return flags[offset : offset + size]
        return None


@dataclass(frozen=True)
class Message:
    """What is read of one message: its text (cut to `max_chars`) and the clauses `normalise` found in it."""

    text: str
    clauses: tuple[Clause, ...]


def words_by_token(text: str, size: int) -> list[tuple[str, int]]:
    """For each of the `size` tokens `text` folds to, the user's word it comes from and that word's place in the
    text; [] when they do not align (a long message's clause is cut: past its tokens, no need to look)."""
    words: list[tuple[str, int]] = []
    for found in _WORD.finditer(text):
        words += [(found.group(), found.start())] * _token_count(found.group())
        if len(words) > size:
            return []
    return words if len(words) == size else []


def _token_count(word: str) -> int:
    """How many tokens the word folds to: one for a plain word in Latin letters (most), without folding it."""
    return 1 if word.isascii() and word.isalnum() else len(fold(word).split())
