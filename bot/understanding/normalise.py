"""Stage 1: a message as folded tokens, cut into the questions it asks: the `Message` the stages read.

* `read` makes the `Message` of what is read of a text: its first `max_chars`
  characters, of those the first `max_words` words (each cut to
  `max_word_chars` letters), in at most `max_clauses` clauses.
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

Each piece of text is folded once; its tokens become a `Span`, which finds what
the lexicon says of them (question words, a follow-up opener, courtesy, focus)
once, for this stage and every later one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import islice

from bot.lexicon import Lexicon
from bot.phrases import consists_of, phrase_at
from bot.script import fold
from bot.thresholds import DEFAULT, Config
from bot.understanding.message import Clause, Message, Span, words_by_token

ASKING = frozenset({"question", "identify", "count", "list", "network"})  # tags (Lexicon.tags_in) of asking
CONJUNCTIONS = frozenset({"i", "a", "ili", "pa", "te", "ali", "al"})
BUT = frozenset({"ali", "al"})  # opens a question only where it asks of more than what was said before it
AND = "i"  # `деведесет и седме`: between two words of one number
THOUSAND = 1000  # `две хиљаде`: multiplies the words before it; the others add up
_SENTENCE_END = re.compile(r"(?<=[?!;\n])|(?<=\.)\s")
_ORDINAL_POINT = re.compile(r"\d\.\s*$")  # `2007.`, `21.`: a year or a day, written with a point
# `1990те`, `2007-ме`, `2009ој`: a year with its case ending said too (the hyphen is gone once folded); `1990-их`
# is the decade, as `деведесетих` is (`1990s`)
_YEAR_WITH_ENDING = re.compile(r"((?:1[89]|20)\d\d)(me|mi|ma|e|te|ta|ti|oj|toj|u|tu|om|ih|i|a)")
Correct = Callable[[str], str]  # a folded word → the word it is, its typo put right
# Parts of a sentence: `Шта је СКГО, чуо сам на вестима`, `За текст: …`, `Безансон – шта је то?` (a dash between
# spaces; `ECAD-у` and `21–22.` keep theirs).
_PART = re.compile(r"[,:]|\s[-–—]+\s")
_NOT_SPACES = re.compile(r"\S+")
_PLUS = re.compile(r"\s*[+&]\s*")


def read(text: str, lexicon: Lexicon, config: Config = DEFAULT, correct: Correct | None = None) -> Message:
    """The message of what is read of `text` (`config` bounds it: a message of any length costs little more than a
    plain question); `correct` puts a word with a typo right (`spelling.Speller`)."""
    text = text[: config.max_chars]
    cut = first_words(text, 2 * config.max_words)  # what clauses() then cuts exactly
    found = clauses(
        cut, lexicon, config.max_words, config.max_word_chars, config.max_clauses, correct, config.max_small_words
    )
    return Message(text, tuple(found))


def first_words(text: str, count: int) -> str:
    """The text up to its `count`-th run of non-spaces: a long message is not folded and split beyond it."""
    ends = [match.end() for match in islice(_NOT_SPACES.finditer(text), count)]
    return text[: ends[-1]] if len(ends) == count else text


def clauses(
    text: str,
    lexicon: Lexicon,
    max_words: int | None = None,
    max_word_chars: int = 0,
    max_clauses: int = DEFAULT.max_clauses,
    correct: Correct | None = None,
    max_small_words: int = DEFAULT.max_small_words,
) -> list[Clause]:
    """The questions a message asks, in order (at most `max_clauses`, and `max_words` words in all, each cut to
    `max_word_chars` letters when that is given)."""
    found = _clauses(text, lexicon, max_clauses, correct, max_small_words)
    if max_word_chars:
        found = [c.with_tokens(tuple(t[:max_word_chars] for t in c.tokens)) for c in found]
    if max_words is None:
        return found
    kept: list[Clause] = []
    left = max_words
    for clause in found:
        if left <= 0:
            break
        kept.append(clause.head(left))
        left -= len(clause.tokens)
    return kept


def _clauses(
    text: str, lexicon: Lexicon, max_clauses: int, correct: Correct | None, max_small_words: int
) -> list[Clause]:
    found: list[tuple[Clause, bool]] = []  # each clause, and whether its sentence asks anything
    for sentence in _sentences(text):
        pieces = _PART.split(sentence)
        segments = [(piece, Span(_tokens(piece, lexicon, correct), lexicon)) for piece in pieces]
        segments = _tags_folded([(piece, span) for piece, span in segments if span.tokens], lexicon, correct)
        if len(pieces) > 1 and not any("question" in span.tags for _, span in segments):  # one piece: as it is
            tokens = _tokens(sentence, lexicon, correct)
            segments = [(sentence, Span(tokens, lexicon))] if tokens else []
        sentence_asks = sentence.rstrip().endswith("?") or any(_asks(span) for _, span in segments)  # `sajt naleda?`
        for index, (piece, span) in enumerate(segments):
            parts = _split_questions(span, max_small_words)
            # (an opener asks the last question again where no question follows it in the sentence, or one that
            # adds with `и` (`а ECAD, и где му је седиште?` asks both); `а што се тиче AVEC-а, када је основан?`,
            # `and the League, kada?` only name what the question after them asks of)
            after = [following for _, following in segments[index + 1 :]]
            opens = not any(map(_questioned, after)) or after[0].tokens[0] in CONJUNCTIONS
            words = words_by_token(piece, len(span.tokens)) if len(parts) > 1 else []  # (the piece read once)
            for part in parts:
                text_of_part = piece if len(parts) == 1 else _text_of(part, piece, span, words)
                # (a part that is only courtesy asks nothing of its own: `…у Бриселу, је л тако?`)
                asks = (_questioned(part) and bool(part.core.tokens)) or (part.opener > 0 and opens)
                asks = asks or len(segments) == 1
                found.append((Clause(text_of_part, part, statement=not asks), sentence_asks))
    if any(sentence_asks for _, sentence_asks in found):  # `Чула сам да… у Истанбулу. Која је то мрежа била?`
        return [c if asks else replace(c, statement=True) for c, asks in found][:max_clauses]
    return [c for c, _ in found][:max_clauses]


def _tokens(text: str, lexicon: Lexicon, correct: Correct | None = None) -> tuple[str, ...]:
    """The folded words of a text, a word as some write it as the examples do (`kude` → `gde`, `dal` → `da li`,
    `dvije` → `dve`), and a number written in words as its digits, as the facts write it (`preko hiljadu` →
    `preko 1000`, `dve hiljade sedme` → `2007`, `1990те` → `1990`)."""
    spellings = lexicon.spellings
    # a typo put right where no spelling gives the word (`members` is `clanova`, not `member`)
    words = fold(_PLUS.sub(f" {AND} ", text)).split()  # (`kad je osnovan + koji je sajt`: `+` is `и`)
    folded = [token if token in spellings or correct is None else correct(token) for token in words]
    spelled = _respelled(folded, spellings, lexicon.spelling_pairs)
    years = [_year(found) if (found := _YEAR_WITH_ENDING.fullmatch(word)) else word for word in spelled]
    return tuple(_numbers_as_digits(years, lexicon))


def _respelled(tokens: list[str], spellings: dict[str, str], pairs: frozenset[str]) -> list[str]:
    """Each word, or two words together, as the examples write them (`kude` → `gde`, `de je` → `gde je`: `de`
    alone may be `de fakto`); `pairs`: the first words of the two-word spellings."""
    spelled: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        pair = f"{token} {tokens[index + 1]}" if token in pairs and index + 1 < len(tokens) else ""
        if pair in spellings:
            spelled.extend(spellings[pair].split())
            index += 2
            continue
        spelled.extend(spellings.get(token, token).split())
        index += 1
    return spelled


def _year(found: re.Match[str]) -> str:
    year, ending = found.groups()
    return f"{year}s" if ending == "ih" and year.endswith("0") else year


def _numbers_as_digits(tokens: list[str], lexicon: Lexicon) -> list[str]:
    """Each run of a number's words as one number (`_number_at`); a decade's word as the decade (`1990s`)."""
    numbers = lexicon.numbers
    if numbers.keys().isdisjoint(tokens):  # (most questions: no number's word at all)
        return tokens
    found: list[str] = []
    index = 0
    while index < len(tokens):
        end, value = _number_at(tokens, index, lexicon)
        if end > index:
            found.append(str(value))
            index = end
        else:
            found.append(numbers.get(tokens[index], tokens[index]))
            index += 1
    return found


def _number_at(tokens: list[str], start: int, lexicon: Lexicon) -> tuple[int, int]:
    """(end, value) of the number whose words begin at `start`, or (start, 0).  The words of `numbers` are one
    alone; those of `number_parts` (`dve`, `sedme`, `prva`) only with one of them (`prva mreža` is no number).
    Each part has fewer digits than the one before (`dve hiljade treće prvi put`: 2003, then `prvi`), `и` may
    stand between two (`devedeset i sedme`), and a thousand multiplies what came before it (`dve hiljade`)."""

    def value_of(index: int) -> int | None:
        token = tokens[index] if index < len(tokens) else ""
        digits = lexicon.numbers.get(token) or lexicon.number_parts.get(token) or ""
        return int(digits) if digits.isdigit() else None

    total = current = last = 0
    standalone = False
    index = end = start
    while index < len(tokens):
        value = value_of(index)
        if value is None:
            if tokens[index] == AND and last and value_of(index + 1) is not None:
                index += 1
                continue
            break
        if value == THOUSAND:
            if total:  # a second thousand begins another number
                break
            total, current = (current or 1) * THOUSAND, 0
        elif last and len(str(value)) >= len(str(last)):  # `pedeset šezdeset`, `treće prvi`: no longer one number
            break
        else:
            current += value
        last = value
        standalone = standalone or tokens[index] in lexicon.numbers
        index = end = index + 1
    return (end, total + current) if standalone else (start, 0)


def _tags_folded(segments: list[tuple[str, Span]], lexicon: Lexicon, correct: Correct | None) -> list[tuple[str, Span]]:
    """A piece that only asks which network (`…у Нишку Бању, која мрежа беше?`, `…, koja je to mreza`) asks it of
    the piece before it: the two are read as one."""
    folded: list[tuple[str, Span]] = []
    for piece, span in segments:
        if folded and _only_which_kind(span):
            joined = f"{folded[-1][0]} {piece}"
            folded[-1] = (joined, Span(_tokens(joined, lexicon, correct), lexicon))
        else:
            folded.append((piece, span))
    return folded


def _only_which_kind(span: Span) -> bool:
    """`која мрежа беше`, `koja je to organizacija`: a word asking which, a kind, and nothing but small words."""
    lexicon, tokens = span.lexicon, span.tokens
    kinds = [t for t in tokens if lexicon.is_kind(t)]
    which = phrase_at(tokens, 0, lexicon.identify_asking) is not None
    rest = [t for t in tokens[1:] if not (lexicon.is_kind(t) or lexicon.is_stopword(t) or t in lexicon.references)]
    return which and bool(kinds) and not rest


def _questioned(span: Span) -> bool:
    """A question word past the opener (`што` of `а што се тиче` opens a follow-up and asks nothing)."""
    return any(index >= span.opener for index in span.question_words)


def _asks(span: Span) -> bool:
    """A question word, `а` opening a follow-up, or `која`, `колико`, `набројте`: the words of a question."""
    return not ASKING.isdisjoint(span.tags) or span.opener > 0


def _sentences(text: str) -> list[str]:
    """The sentences of a message; a number's point followed by a small letter ends none (`2007. године`)."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if sentences and _ORDINAL_POINT.search(sentences[-1]) and piece[:1].islower():
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences


def _split_questions(span: Span, max_small_words: int) -> list[Span]:
    """Cut before `i`/`a`/`ili`/`ali` when a question word follows, maybe after a few small words (`i na kojoj
    adresi`, `и из колико земаља`, `ал не знам од кад`), and each side says something."""
    tokens, lexicon = span.tokens, span.lexicon
    cuts = [
        i
        for i in range(1, len(tokens) - 1)
        if tokens[i] in CONJUNCTIONS
        and _asked_after(span, i, max_small_words)
        and (tokens[i] not in BUT or _says_more(span, i + 1))
    ]
    if not cuts:
        return [span]
    parts: list[Span] = []
    start = 0
    for index in cuts:
        head = Span(tokens[start:index], lexicon)
        if head.tokens and head.opener < len(head.tokens):  # an opener alone (`а шта је са`) asks nothing yet
            parts.append(head)
            start = index + 1
    parts.append(Span(tokens[start:], lexicon) if start else span)
    return _lend_rest(parts)


def _text_of(part: Span, piece: str, span: Span, words: list[tuple[str, int]]) -> str:
    """The user's own words of a part cut from `piece` (their capitals tell names: `где је седиште Лиге и колико…`),
    found by `words`, the piece's word of each of `span`'s tokens; its tokens when they cannot be found so (a part
    that borrowed the next one's words)."""
    size = len(part.tokens)
    for start in range(len(span.tokens) - size + 1) if words else ():
        if span.tokens[start : start + size] == part.tokens:
            first, last = words[start], words[start + size - 1]
            return piece[first[1] : last[1] + len(last[0])]
    return " ".join(part.tokens)


def _says_more(span: Span, start: int) -> bool:
    """Past `start`, a word beside the question words and stop words, or one that points back (`ал не знам од кад
    она постоји`); not `ECAD je osnovan u Stokholmu ali kada?`, which asks when of what it said."""
    lexicon = span.lexicon
    asking = {i + k for i, phrase in span.question_words.items() for k in range(len(phrase))}
    timing = lexicon.when_asking.words  # (`али које године?`: the year it said nothing of)
    return any(
        token in lexicon.references or not (i in asking or token in timing or lexicon.is_stopword(token))
        for i, token in enumerate(span.tokens)
        if i >= start
    )


def _asked_after(span: Span, index: int, max_small_words: int) -> bool:
    """A question word after the conjunction at `index`, maybe after small words (`i na kojoj adresi`, `ali ne znam
    od kad`, `a ja sam zaboravila koja je`)."""
    asked, tokens = span.question_words, span.tokens
    after = index + 1
    while (
        after not in asked
        and after < len(tokens)
        and after - index <= max_small_words
        and span.lexicon.is_stopword(tokens[after])
    ):
        after += 1
    return after in asked


def _lend_rest(parts: list[Span]) -> list[Span]:
    """`kada` + `zasto je nis pristupio ligi` → `kada je nis pristupio ligi` + `zasto je nis pristupio ligi`."""
    result = []
    for index, part in enumerate(parts):
        if index + 1 < len(parts) and consists_of(part.tokens, part.lexicon.question_words):
            following = parts[index + 1]
            asked = following.question_words.get(0, ())
            part = Span((*part.tokens, *following.tokens[len(asked) :]), part.lexicon)
        result.append(part)
    return result
