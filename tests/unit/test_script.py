"""Script detection, folding for matching and Latin rendering."""

import pytest

from bot.script import (
    Script,
    detect_script,
    fold,
    fold_tokens,
    in_script,
    script_in_conversation,
    to_cyrillic,
    to_latin,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Када је Ниш приступио ECAD-у?", "kada je nis pristupio ecadu"),
        ("kad je nis usao u ecad", "kad je nis usao u ecad"),
        ("Šta je NALED-a?", "sta je naleda"),
        ("Ђорђе Djordje Dorde", "dorde dorde dorde"),
        ("ЉУБАВ, Њива; Џеп!", "ljubav njiva dzep"),
        ("Меѓународните мрежи, ќе, Ѕвезда", "medunarodnite mrezi ce dzvezda"),  # Macedonian: one word each
        ("Коя мрежа, щом, Йоан", "koja mreza stom joan"),  # Russian and Bulgarian letters: not dropped
        ("Énergie-Cités", "energiecites"),
        ("  ECAD-у  ", "ecadu"),
        ("🙂 zdravo & ok!", "zdravo ok"),  # emoji and punctuation are not words
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_is_idempotent() -> None:
    for text in ["Када је Ниш приступио ECAD-у?", "Énergie-Cités", "ЂОРЂЕ", "a-b-c d'e"]:
        assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Када је Ниш приступио ECAD-у?", Script.CYRILLIC),
        ("kada je Niš pristupio ECAD-u", Script.LATIN),
        ("Шта је Energy Cities?", Script.CYRILLIC),
        ("a ECAD?", Script.LATIN),
        ("a ж", Script.CYRILLIC),  # as many Cyrillic letters as Latin: Cyrillic
        ("ab ж", Script.LATIN),
        ("abcdef жж", Script.LATIN),  # fewer than three Cyrillic letters among more Latin ones
        ("abcdef жжж", Script.CYRILLIC),  # three are enough
        ("\u0400\u0400\u0400 xyz", Script.CYRILLIC),  # the first and the last letter of the Cyrillic block
        ("\u04ff\u04ff\u04ff xyz", Script.CYRILLIC),
    ],
)
def test_detect_script(text: str, script: Script) -> None:
    assert detect_script(text) is script


def test_one_cyrillic_letter_keeps_a_cyrillic_conversation_cyrillic() -> None:
    assert script_in_conversation("А Energy Cities?", Script.CYRILLIC) is Script.CYRILLIC  # `А`: Cyrillic
    assert script_in_conversation("A Energy Cities?", Script.CYRILLIC) is Script.LATIN  # `A`: Latin
    assert script_in_conversation("ECAD?", Script.CYRILLIC) is Script.CYRILLIC  # an acronym alone: as before
    assert script_in_conversation("A ECAD?", Script.CYRILLIC) is Script.CYRILLIC
    assert script_in_conversation("ECAD?", Script.LATIN) is Script.LATIN
    assert script_in_conversation("а ж", Script.LATIN) is Script.CYRILLIC  # as detect_script says
    assert script_in_conversation("ab ж", Script.LATIN) is Script.LATIN


def test_detect_script_without_letters_keeps_the_default() -> None:
    assert detect_script("🙂 123 ?", default=Script.LATIN) is Script.LATIN
    assert detect_script("🙂 123 ?") is Script.CYRILLIC


def test_to_latin_keeps_latin_names_and_urls() -> None:
    assert to_latin("Сајт ECAD-а: https://www.ecad.net") == "Sajt ECAD-a: https://www.ecad.net"


def test_to_latin_writes_all_caps_digraphs_in_caps() -> None:
    assert to_latin("ЉУБАВ Љубав ЊЕГОШ ЏАК") == "LJUBAV Ljubav NJEGOŠ DŽAK"


def test_to_cyrillic_suggests_the_cyrillic_spelling_of_serbian_latin() -> None:
    assert (
        to_cyrillic("Evropski gradovi protiv droga, Niš, džep, ljubav")
        == "Европски градови против дрога, Ниш, џеп, љубав"
    )


def test_in_script_renders_staff_text_in_the_script_asked() -> None:
    assert in_script("Седиште је у Нишу.", Script.LATIN) == "Sedište je u Nišu."
    assert in_script("Седиште је у Нишу.", Script.CYRILLIC) == "Седиште је у Нишу."


def test_fold_tokens_are_the_words_of_the_folded_text() -> None:
    assert fold_tokens("Шта је НАЛЕД-у, Ђорђе?") == ["sta", "je", "naledu", "dorde"]
