"""The speller puts a typo in a word of the lists right, and leaves every word something writes."""

from bot.understanding.spelling import Speller

LISTED = ["nacionalne", "medunarodne", "svetske", "najstarija"]
WRITTEN = {"svedske", "nacionalnom"}  # as the facts and examples write them


def speller() -> Speller:
    return Speller(LISTED, lambda word: word in WRITTEN)


def test_a_typo_in_a_listed_word_is_put_right() -> None:
    spell = speller()
    assert spell("nacioanlne") == "nacionalne"  # two letters swapped
    assert spell("nacinalne") == "nacionalne"  # one left out
    assert spell("medunardne") == "medunarodne"


def test_a_word_something_writes_is_no_typo_however_near() -> None:
    assert speller()("svedske") == "svedske"  # Sweden's, one letter from `svetske` (the world's)


def test_short_words_numbers_and_words_near_none_or_two_stay() -> None:
    spell = speller()
    assert spell("srbske") == "srbske"  # six letters: too short to tell
    assert spell("1990te") == "1990te"
    assert spell("kolikoooo") == "kolikoooo"  # near no listed word
    two = Speller(["nacionalne", "nacionalni"], lambda word: False)
    assert two("nacionalnu") == "nacionalnu"  # as near to two: which one is not known
