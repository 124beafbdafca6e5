"""Property-based tests (hypothesis) on folding and the engine.

The examples are derandomized so CI is repeatable; the speed of the worst inputs
is measured in `bench/engine_bench.py`, not asserted here (timed tests flake).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.engine import Answer, Engine
from bot.loader import Bundle, load_bundle
from bot.script import Script, fold

BUNDLE: Bundle = load_bundle()[0]
ENGINE = Engine(BUNDLE)
REPEATABLE = settings(derandomize=True, suppress_health_check=[HealthCheck.too_slow], deadline=None)

# Serbian Cyrillic and its Latin, written out here (not with the code's own transliteration), and the way
# people type Latin without diacritics.
CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"
LATIN = ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r", "s", "t",
         "ć", "u", "f", "h", "c", "č", "dž", "š"]  # fmt: skip
PAIRS = list(zip(CYRILLIC, LATIN, strict=True))
TO_LATIN = {**dict(PAIRS), **{cyr.upper(): lat.capitalize() for cyr, lat in PAIRS}}
WITHOUT_DIACRITICS = str.maketrans({"č": "c", "ć": "c", "š": "s", "ž": "z", "Č": "C", "Ć": "C", "Š": "S", "Ž": "Z"})


def latin(text: str) -> str:
    return "".join(TO_LATIN.get(char, char) for char in text)


def has_cyrillic(text: str) -> bool:
    return any(char.lower() in CYRILLIC for char in text)


CYRILLIC_EXAMPLES = sorted(e.text for e in BUNDLE.intents.examples if has_cyrillic(e.text) and "{network}" in e.text)
CYRILLIC_NAMES = sorted(name for network in BUNDLE.knowledge.networks for name in network.names() if has_cyrillic(name))
serbian_letters = st.sampled_from("абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШčćžšđČĆŽŠĐ")
messy_text = st.text(st.one_of(st.characters(), serbian_letters, st.sampled_from(" ?!.,-\n\t<>&")), max_size=5000)


@REPEATABLE
@given(messy_text)
@example("ECAD " * 1000)
@example("Када је Ниш приступио НАЛЕД-у? " * 160)
@example("<b>&amp;</b>😀\u0000\u200b" * 500)
def test_any_text_gets_an_answer(text: str) -> None:
    answer = ENGINE.answer(text)
    assert isinstance(answer, Answer) and answer.text.strip()
    assert answer.intent in BUNDLE.intents.responses


@REPEATABLE
@given(messy_text)
def test_folding_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@REPEATABLE
@given(st.sampled_from(CYRILLIC_EXAMPLES), st.sampled_from(CYRILLIC_NAMES), st.sampled_from(["", "?", " ?", "!"]))
def test_a_question_and_its_latin_transliteration_are_understood_alike(example: str, name: str, end: str) -> None:
    question = example.replace("{network}", name).rstrip("?") + end
    cyrillic = ENGINE.answer(question)
    for typed in (latin(question), latin(question).translate(WITHOUT_DIACRITICS).replace("đ", "dj")):
        answer = ENGINE.answer(typed)
        assert (answer.intent, answer.network) == (cyrillic.intent, cyrillic.network), typed
        assert answer.script is Script.LATIN
    assert cyrillic.script is Script.CYRILLIC
