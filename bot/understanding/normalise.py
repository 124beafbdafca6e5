"""Stage 1: a message as folded tokens, cut into the questions it asks.

* `clauses` cuts a message at sentence ends (not at the point of a date,
  `у мају 2007. у који савез…`, `21. априла`), at commas, and before a
  conjunction that opens a new question (`Шта је НАЛЕД и где му је седиште?`
  asks two things); a part that is only question words borrows the rest of the
  next part (`Када и зашто је Ниш приступио…` asks `када је Ниш приступио…` and
  `зашто је Ниш приступио…`).  A part without a question word beside one with
  it is a statement (`Шта је СКГО, чуо сам на вестима`, `Мој професор каже да
  је Ниш у ECAD-у, од када је то?`), and so is a sentence without one beside a
  sentence with one (`Чула сам да је Ниш приступио некој мрежи у Истанбулу. Која
  је то мрежа била?`): it gives the question its context, not an answer of its
  own; when no part asks, the comma parts are read as one.
* `courtesy_bounds` sets aside greetings and thanks around a question.
* `focus_of` tells what part of a fact the question words ask for (who, where,
  which month, which day), for the answer to say when that part is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.lexicon import Lexicon, consists_of, has_phrase, phrase_at, phrase_ending_at
from bot.script import fold
from bot.understanding.config import DEFAULT

ASKING = frozenset({"question", "identify", "count", "list", "network"})  # tags (Lexicon.tags_in) of asking
CONJUNCTIONS = frozenset({"i", "a", "ili", "pa", "te"})
_SENTENCE_END = re.compile(r"(?<=[?!;\n])|(?<=\.)\s")
_ORDINAL_POINT = re.compile(r"\d\.\s*$")  # `2007.`, `21.`: a year or a day, written with a point
# Parts of a sentence: `Шта је СКГО, чуо сам на вестима`, `За текст: …`, `Безансон – шта је то?` (a dash between
# spaces; `ECAD-у` and `21–22.` keep theirs).
_PART = re.compile(r"[,:]|\s[-–—]+\s")


@dataclass(frozen=True)
class Clause:
    """One question of a message: the user's own words and their folded tokens."""

    text: str
    tokens: tuple[str, ...]
    statement: bool = False  # no question word, beside a part that has one: context only
    asks_which: bool = False  # a bare `Коју?` read with the statements before it: it asks which network they tell


def clauses(
    text: str,
    lexicon: Lexicon,
    max_words: int | None = None,
    max_word_chars: int = 0,
    max_clauses: int = DEFAULT.max_clauses,
) -> list[Clause]:
    """The questions a message asks, in order (at most `max_clauses`, and `max_words` words in all, each cut to
    `max_word_chars` letters when that is given)."""
    found = _clauses(text, lexicon, max_clauses)
    if max_word_chars:
        found = [replace(c, tokens=tuple(t[:max_word_chars] for t in c.tokens)) for c in found]
    if max_words is None:
        return found
    kept: list[Clause] = []
    left = max_words
    for clause in found:
        if left <= 0:
            break
        kept.append(clause if len(clause.tokens) <= left else replace(clause, tokens=clause.tokens[:left]))
        left -= len(clause.tokens)
    return kept


def _clauses(text: str, lexicon: Lexicon, max_clauses: int) -> list[Clause]:
    found: list[tuple[Clause, bool]] = []  # each clause, and whether its sentence asks anything
    for sentence in _sentences(text):
        segments = [(piece, fold(piece).split()) for piece in _PART.split(sentence)]
        segments = [(piece, tokens) for piece, tokens in segments if tokens]
        if not any(_has_question_word(tokens, lexicon) for _, tokens in segments):
            segments = [(sentence, fold(sentence).split())] if fold(sentence) else []
        sentence_asks = any(_asks(tokens, lexicon) for _, tokens in segments)
        for piece, tokens in segments:
            parts = _split_questions(tokens, lexicon)
            for part in parts:
                text_of_part = piece if len(parts) == 1 else " ".join(part)
                asks = _has_question_word(part, lexicon) or lexicon.opener(part) > 0 or len(segments) == 1
                found.append((Clause(text_of_part, tuple(part), statement=not asks), sentence_asks))
    if any(sentence_asks for _, sentence_asks in found):  # `Чула сам да… у Истанбулу. Која је то мрежа била?`
        return [c if asks else replace(c, statement=True) for c, asks in found][:max_clauses]
    return [c for c, _ in found][:max_clauses]


def _asks(tokens: list[str], lexicon: Lexicon) -> bool:
    """A question word, `а` opening a follow-up, or `која`, `колико`, `набројте`: the words of a question."""
    return not ASKING.isdisjoint(lexicon.tags_in(tokens)) or lexicon.opener(tokens) > 0


def _sentences(text: str) -> list[str]:
    """The sentences of a message; a number's point followed by a small letter ends none (`2007. године`)."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if sentences and _ORDINAL_POINT.search(sentences[-1]) and piece[:1].islower():
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def _has_question_word(tokens: list[str], lexicon: Lexicon) -> bool:
    return "question" in lexicon.tags_in(tokens)


def _split_questions(tokens: list[str], lexicon: Lexicon) -> list[list[str]]:
    """Cut before `i`/`a`/`ili` when a question word follows and each side says something."""
    parts: list[list[str]] = []
    start = 0
    for index in range(1, len(tokens) - 1):
        if tokens[index] in CONJUNCTIONS and phrase_at(tokens, index + 1, lexicon.question_words):
            head = tokens[start:index]
            if head and lexicon.opener(head) < len(head):  # an opener alone (`а шта је са`) asks nothing yet
                parts.append(head)
                start = index + 1
    parts.append(tokens[start:])
    return _lend_rest(parts, lexicon)


def _lend_rest(parts: list[list[str]], lexicon: Lexicon) -> list[list[str]]:
    """`kada` + `zasto je nis pristupio ligi` → `kada je nis pristupio ligi` + `zasto je nis pristupio ligi`."""
    result = []
    for index, part in enumerate(parts):
        if index + 1 < len(parts) and consists_of(part, lexicon.question_words):
            following = parts[index + 1]
            asked = _question_word_length(following, lexicon)
            part = [*part, *following[asked:]]
        result.append(part)
    return result


def _question_word_length(tokens: list[str], lexicon: Lexicon) -> int:
    phrase = phrase_at(tokens, 0, lexicon.question_words)
    return len(phrase) if phrase else 0


def courtesy_bounds(tokens: tuple[str, ...], lexicon: Lexicon) -> tuple[int, int]:
    """(start, end) of what is left when greetings and thanks are set aside from both ends."""
    start, end = 0, len(tokens)
    changed = True
    while changed and start < end:
        changed = False
        phrase = phrase_at(tokens[:end], start, lexicon.courtesy)
        if phrase:
            start += len(phrase)
            changed = True
        phrase = phrase_ending_at(tokens, start, end, lexicon.courtesy)
        if phrase:
            end -= len(phrase)
            changed = True
    return start, end


def focus_of(tokens: tuple[str, ...] | list[str], lexicon: Lexicon) -> frozenset[str]:
    """What part of a fact the question asks for: `who`, `where`, `month`, `day` (the names in language.yml)."""
    found = set()
    for name, phrases in lexicon.focus.items():
        if has_phrase(tokens, phrases):
            found.add(name)
    return frozenset(found)
