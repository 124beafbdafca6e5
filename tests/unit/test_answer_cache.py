"""The engine's answer cache (BOT_ANSWER_CACHE) and the phrase lookups it sped up alongside."""

from __future__ import annotations

from bot.engine import CACHED_QUESTION_CHARS, DialogueState, Engine
from bot.loader import Bundle
from bot.phrases import phrase_ending_at
from bot.script import Script


def test_a_question_asked_again_in_the_same_context_is_answered_from_the_cache(bundle: Bundle, engine: Engine) -> None:
    cached = Engine(bundle, answer_cache=8)
    first = cached.answer("Шта је НАЛЕД?")
    assert cached.answer("Шта је НАЛЕД?") is first  # the very same answer, not understood again
    assert first == engine.answer("Шта је НАЛЕД?")  # and it is the answer the engine gives
    naled = DialogueState("naled", "about", Script.CYRILLIC)
    follow_up = cached.answer("А када је основан?", naled)
    assert follow_up.network == "naled" and cached.answer("А када је основан?") is not follow_up  # context counts
    assert cached.answer("А када је основан?", DialogueState("skgo", "about")).network == "skgo"


def test_the_cache_keeps_only_the_last_answers_and_no_long_questions(bundle: Bundle) -> None:
    cached = Engine(bundle, answer_cache=2)
    first = cached.answer("Шта је НАЛЕД?")
    cached.answer("Шта је СКГО?")
    cached.answer("Шта је AVEC?")
    assert cached.answer("Шта је НАЛЕД?") is not first  # pushed out by two newer ones
    long = "Шта је НАЛЕД? " + "молим " * (CACHED_QUESTION_CHARS // 6)
    assert cached.answer(long) is not cached.answer(long)
    plain = Engine(bundle)  # `ask` and `chat`: no cache
    assert plain.answer("Шта је НАЛЕД?") is not plain.answer("Шта је НАЛЕД?")


def test_a_phrase_ending_at_a_place_is_the_longest_that_fits() -> None:
    phrases = (("hvala", "vam", "puno"), ("hvala", "vam"), ("puno",), ("vam",))
    tokens = ("sta", "je", "naled", "hvala", "vam", "puno")
    assert phrase_ending_at(tokens, 0, 6, phrases) == ("hvala", "vam", "puno")
    assert phrase_ending_at(tokens, 4, 6, phrases) == ("puno",)  # the longer ones would start before 4
    assert phrase_ending_at(tokens, 0, 5, phrases) == ("hvala", "vam")
    assert phrase_ending_at(tokens, 0, 3, phrases) is None


def test_courtesy_is_set_aside_from_both_ends(engine: Engine) -> None:
    lexicon = engine.understanding.lexicon
    tokens = ("dobar", "dan", "sta", "je", "naled", "hvala", "unapred")
    start, end = lexicon.courtesy_bounds(tokens)
    assert tokens[start:end] == ("sta", "je", "naled")
    assert lexicon.courtesy_bounds(("hvala",)) == (1, 1)
