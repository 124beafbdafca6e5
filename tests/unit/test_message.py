"""A message is read once: `normalise` folds and cuts it into clauses, and each later stage reads what their
spans found instead of going back to the text or scanning the tokens again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from bot.engine import Engine
from bot.lexicon import Lexicon
from bot.loader import Bundle
from bot.understanding import normalise
from bot.understanding.message import Span, once
from bot.understanding.networks import NetworkFinder


def test_a_message_holds_its_clauses_and_their_tokens(bundle: Bundle) -> None:
    message = normalise.read("Добар дан, шта је НАЛЕД и где му је седиште? Хвала", bundle.lexicon)
    assert message.text == "Добар дан, шта је НАЛЕД и где му је седиште? Хвала"
    assert [c.tokens for c in message.clauses] == [
        ("dobar", "dan"),
        ("sta", "je", "naled"),
        ("gde", "mu", "je", "sediste"),
        ("hvala",),
    ]
    assert [c.statement for c in message.clauses] == [True, False, False, True]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("deda je spominjao stalnu konferenciju gradova al ne znam od kad ona postoji", "ne znam od kad ona postoji"),
        ("nis je tada usao u neku mrezu a ja sam zaboravila koja je to bila", "ja sam zaboravila koja je to bila"),
        ("Od kada je Niš u Energy Cities i da li je još uvek član?", "da li je jos uvek clan"),
    ],
)
def test_a_conjunction_opens_a_question_across_the_small_words_before_its_question_word(
    bundle: Bundle, text: str, asked: str
) -> None:
    """`ali`, `а` or `и`, a few small words, then the question word: what follows asks, what comes before tells."""
    message = normalise.read(text, bundle.lexicon)
    assert len(message.clauses) == 2 and " ".join(message.clauses[1].tokens) == asked


def test_each_question_cut_from_a_sentence_keeps_the_users_words_and_their_capitals(bundle: Bundle) -> None:
    """`где је седиште Лиге и колико има чланица`: the first part is `где је седиште Лиге`, its capital on `Лиге`."""
    first, second = normalise.read("где је седиште Лиге и колико има чланица", bundle.lexicon).clauses
    assert (first.text, second.text) == ("где је седиште Лиге", "колико има чланица")
    assert first.capitals(first.tokens) == [False, False, False, True]


def test_a_conjunction_before_words_of_meaning_opens_no_question(bundle: Bundle) -> None:
    told, asked = normalise.read("nis je usao u ecad a posle mnogo godina i koja je to mreza", bundle.lexicon).clauses
    assert told.tokens[-4:] == ("a", "posle", "mnogo", "godina") and asked.tokens[0] == "koja"
    assert len(normalise.read("da li je nis u ecad i ligi", bundle.lexicon).clauses) == 1


def test_a_span_finds_what_the_lexicon_says_of_it_once_and_keeps_it(bundle: Bundle) -> None:
    span = Span(("dobar", "dan", "a", "gde", "je", "sediste", "hvala"), bundle.lexicon)
    assert span.courtesy == (2, 6)
    core = span.core
    assert core.tokens == ("a", "gde", "je", "sediste") and span.core is core
    assert core.opener == 1 and 1 in core.question_words and "focus:where" in core.tags
    assert core.focus == {"where"} and span.tags is span.tags
    plain = Span(("sta", "je", "naled"), bundle.lexicon)
    assert plain.core is plain  # no courtesy: the span itself, with what it found


def test_a_clause_knows_which_words_the_user_capitalised(bundle: Bundle) -> None:
    (clause,) = normalise.read("Da li je Niš član Unije gradova Dunava", bundle.lexicon).clauses
    assert clause.capitals(("unije", "gradova", "dunava")) == [True, False, True]
    (shouted,) = normalise.read("KADA JE NIS PRISTUPIO ECAD", bundle.lexicon).clauses
    assert shouted.capitals(shouted.tokens) is None  # all capitals tell nothing


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the lexicon scans tokens and the finder looks for names while a question is answered."""
    counted: Counter[str] = Counter()

    def counting(owner: type, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    for name in ("tags_in", "opener", "courtesy_bounds", "unmarked"):
        counting(Lexicon, name)
    counting(NetworkFinder, "find")
    return counted


def test_each_span_is_scanned_once_whatever_the_stages_and_rules_ask(engine: Engine, scans: Counter[str]) -> None:
    answer = engine.answer("Шта је НАЛЕД?")
    assert (answer.intent, answer.network) == ("about", "naled")
    assert scans == {"tags_in": 1, "opener": 1, "courtesy_bounds": 1, "unmarked": 1, "find": 1}


def test_a_message_of_several_parts_scans_each_part_once(engine: Engine, scans: Counter[str]) -> None:
    engine.answer("Добар дан, шта је НАЛЕД и где му је седиште? Хвала")
    # the two sentences' three pieces, and the two questions the middle one splits into
    assert scans["tags_in"] == 5
    assert scans["find"] == scans["courtesy_bounds"] == 4  # each clause once


def test_what_a_span_finds_is_computed_on_first_use_and_then_kept() -> None:
    """`once`, made here as the stages' spans make it: computed the first time it is asked, then read back."""
    computed: list[str] = []

    class Found:
        @once
        def words(self) -> tuple[str, ...]:
            """The words found."""
            computed.append("words")
            return ("sta", "je")

    found = Found()
    assert computed == [] and found.words == ("sta", "je") and found.words == ("sta", "je")
    assert computed == ["words"] and found.__dict__["words"] == ("sta", "je")
    assert Found.words.__doc__ == "The words found."  # (as functools.cached_property keeps it)


def test_a_scope_written_in_one_form_is_found_in_every_case_but_the_neuter_one() -> None:
    """`internacionalne` in language.yml finds `broj internacionalnih mreza`; `да ли је то нешто национално`
    asks about one network, and a short word is not declined into other words."""
    lexicon = Lexicon.build((), (), (), scopes={"international": ["internacionalne", "van srbije", "strog"]})
    found = set(lexicon.scopes["international"])
    assert {("internacionalnih",), ("internacionalnim",), ("internacionalnoj",), ("internacionalnu",)} <= found
    assert ("internacionalno",) not in found and ("van", "srbije") in found
    assert ("stroga",) not in found  # `strog`: a four-letter stem would make other words' forms


def test_a_word_as_some_write_it_is_read_as_the_examples_write_it(bundle: Bundle) -> None:
    """`spellings` in language.yml: `куде` is `где`, `дал` is `да ли` (two words), in either script."""
    lexicon = Lexicon.build((), (), (), spellings={"gde": ["kude"], "da li": ["dal"]})
    message = normalise.read("Дал је Ниш у СКГО, а куде им је седиште?", lexicon)
    tokens = [token for clause in message.clauses for token in clause.span.tokens]
    assert tokens[:2] == ["da", "li"] and "gde" in tokens and "kude" not in tokens and "dal" not in tokens
    assert "kude" in normalise.read("куде", Lexicon.build((), (), ())).clauses[0].span.tokens  # only when listed


def test_two_words_as_some_write_them_are_read_as_the_examples_write_them() -> None:
    """`де је` is `где је`; `де` alone is not (`де факто`), and a pair is only read where it stands together."""
    lexicon = Lexicon.build((), (), (), spellings={"gde je": ["de je"], "gde": ["kude"]})

    def tokens(text: str) -> list[str]:
        return [token for clause in normalise.read(text, lexicon).clauses for token in clause.span.tokens]

    assert tokens("Де је седиште НАЛЕД-а?")[:2] == ["gde", "je"]
    assert tokens("ђе је Ниш члан")[:2] == ["gde", "je"]
    assert tokens("de fakto je član")[:2] == ["de", "fakto"]
    assert tokens("ajde, kude je to")[:3] == ["ajde", "gde", "je"]
