"""However long or strange a message, the engine reads a bounded part of it (issue 18): the work any question
causes stays within a small multiple of a plain question's (measured in bench/worst_case.py, not here)."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from bot.engine import Engine
from bot.thresholds import DEFAULT
from bot.understanding.features import SLOT
from bot.understanding.normalise import clauses, first_words

LETTERS = "abcdefghijklmnoprstuvz"


def random_words(count: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 10))) for _ in range(count))


@pytest.fixture
def read_tokens(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token the classifier is given while a test's questions are answered."""
    seen: list[str] = []
    understanding = engine.understanding
    original = understanding.rank

    def rank(tokens: Sequence[str]) -> list[tuple[str, float]]:
        seen.extend(tokens)
        return original(tokens)

    monkeypatch.setattr(understanding, "rank", rank)
    monkeypatch.setattr(understanding.evidence, "rank", rank)
    monkeypatch.setattr(understanding.oracle, "rank", rank)
    return seen


def test_a_message_is_read_up_to_its_word_limit(engine: Engine) -> None:
    text = " ".join(["Шта је НАЛЕД"] * 100)
    parts = clauses(text, engine.understanding.lexicon, DEFAULT.max_words)
    assert sum(len(part.tokens) for part in parts) == DEFAULT.max_words
    assert first_words("a b c d e", 3) == "a b c" and first_words("a b", 3) == "a b"


def test_reading_stops_at_the_word_that_makes_too_many_unknown_ones(engine: Engine, read_tokens: list[str]) -> None:
    engine.answer(random_words(500))
    unknown = {token for token in read_tokens if token != SLOT and not engine.understanding.words.known(token)}
    assert 0 < len(unknown) <= DEFAULT.max_unknown_words


def test_a_known_question_before_the_noise_is_still_read(engine: Engine) -> None:
    answer = engine.answer("Када је Ниш приступио ECAD-у? " + random_words(300))
    assert answer.intent == "joined" and answer.network == "ecad"


def test_an_endless_word_is_read_by_its_beginning(engine: Engine, read_tokens: list[str]) -> None:
    engine.answer("naled" + "x" * 5000)
    assert read_tokens and max(len(token) for token in read_tokens) <= DEFAULT.max_word_chars


@pytest.mark.parametrize("words", [10, 23])
def test_the_longest_real_questions_are_read_whole(engine: Engine, words: int) -> None:
    """The bounds leave room: the longest labelled question has 23 words, at most 5 of them unknown."""
    text = [*("molim vas recite mi " * 10).split()[: words - 4], "kada", "je", "osnovan", "naled"]
    answer = engine.answer(" ".join(text))
    assert (answer.intent, answer.network) == ("founded", "naled")
