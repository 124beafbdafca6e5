"""The speller puts a typo in a scope's word right, and leaves real words and every word something writes."""

from bot.understanding.spelling import Speller

LISTED = ["nacionalne", "medunarodne", "svetske", "inostrane"]
WRITTEN = {"svedske", "nacionalnom"}  # as the facts and examples write them


def speller() -> Speller:
    return Speller(LISTED, lambda word: word in WRITTEN)


def test_a_typo_in_a_scope_word_is_put_right() -> None:
    spell = speller()
    assert spell("nacioanlne") == "nacionalne"  # two letters swapped
    assert spell("nacinalne") == "nacionalne"  # one left out
    assert spell("medunarodnne") == "medunarodne"  # one added


def test_a_word_one_letter_changed_is_a_real_word_of_its_own() -> None:
    assert speller()("racionalne") == "racionalne"  # rational, not national


def test_a_word_something_writes_is_no_typo_however_near() -> None:
    assert speller()("svedskee") == "svedskee"  # near nothing listed
    written = Speller(["svetskee"], lambda word: word in WRITTEN)
    assert written("svedske") == "svedske"  # written by the facts: Sweden's


def test_short_words_numbers_and_words_near_two_stay() -> None:
    spell = speller()
    assert spell("stranee") == "stranee"  # seven letters: too short to tell
    assert spell("19900000") == "19900000"
    two = Speller(["nacionalne", "nacionalni"], lambda word: False)
    assert two("nacionaln") == "nacionaln"  # as near to two: which one is not known


def test_an_ijekavian_word_nothing_writes_is_read_as_the_ekavian_word_something_does() -> None:
    spell = Speller(LISTED, lambda word: word in {"predsedava", "umetnoscu", "delovanje", "gde", "koje"})
    assert spell("predsjedava") == "predsedava"
    assert spell("umjetnoscu") == "umetnoscu"
    assert spell("djelovanje") == "delovanje"  # one place of two: `nje` is no jat
    assert spell("gdje") == "gde"


def test_an_ijekavian_reading_needs_a_word_something_writes_and_a_consonant_before_it() -> None:
    spell = Speller(LISTED, lambda word: word in {"koje", "vreme", "objekat"})
    assert spell("vrijemena") == "vrijemena"  # `vremena` is written nowhere: left as it is
    assert spell("objekat") == "objekat"  # written as it is
    assert spell("projekti") == "projekti"  # `je` after a vowel: no jat
    assert spell("mojem") == "mojem"  # after a vowel `je` is no jat
