"""Answers as Telegram messages: escaping, splitting under the limit, buttons."""

import pytest

from bot.answering.render import Section
from bot.loader import Bundle
from bot.script import Script
from bot.tg.format import (
    ask_data,
    card_keyboard,
    feedback_keyboard,
    networks_keyboard,
    parse_callback,
    section_html,
    split_messages,
    suggestions_keyboard,
    telegram_length,
)
from tests.support.fake_bot_api import _html_problem


def test_everything_from_the_files_is_escaped() -> None:
    html = section_html(Section("a < b & c > d", "Name <i>"))
    assert html == "<b>Name &lt;i&gt;</b>\na &lt; b &amp; c &gt; d"
    assert _html_problem(html) is None


def test_long_answers_split_at_paragraphs_under_the_limit() -> None:
    paragraphs = [f"{i} " + "слово " * 300 for i in range(10)]  # about 1,800 characters each
    messages = split_messages([Section("\n\n".join(paragraphs), "Наслов")])
    assert len(messages) > 1
    assert all(telegram_length(m.replace("<b>", "").replace("</b>", "")) <= 4096 for m in messages)
    assert messages[0].startswith("<b>Наслов</b>\n0 ")
    # no paragraph was cut: each message holds whole paragraphs
    bodies = [messages[0].removeprefix("<b>Наслов</b>\n"), *messages[1:]]
    assert sorted((p.split(" ")[0] for m in bodies for p in m.split("\n\n")), key=int) == [str(i) for i in range(10)]


def test_a_single_huge_line_is_cut_anyway() -> None:
    messages = split_messages([Section("😀" * 5000)])
    assert all(telegram_length(m) <= 4096 for m in messages) and "".join(messages) == "😀" * 5000


def test_callback_data_round_trip() -> None:
    assert parse_callback(ask_data("seat", "league-of-historical-cities")) == (
        "ask",
        "seat",
        "league-of-historical-cities",
    )
    assert parse_callback("n:ecad") == ("card", None, "ecad")
    assert parse_callback("garbage")[0] == "unknown"
    assert len(ask_data("membership", "x" * 80).encode()) <= 64


def plain_length(html: str) -> int:
    """What Telegram counts: the text without markup, entities unescaped."""
    import html as html_module

    return telegram_length(html_module.unescape(html.replace("<b>", "").replace("</b>", "")))


def test_telegram_counts_utf16_code_units() -> None:
    assert [telegram_length(t) for t in ("", "abc", "ћирилица", "😀", "a😀b")] == [0, 3, 8, 2, 4]


def test_quotes_stay_as_they_are_and_a_body_without_title_has_no_bold() -> None:
    assert section_html(Section("\"Циљ\" је 'исти'")) == "\"Циљ\" је 'исти'"
    assert split_messages([Section("\"Циљ\" & 'исти'", 'Мрежа "X"')]) == ['<b>Мрежа "X"</b>\n"Циљ" &amp; \'исти\'']


def test_sections_join_with_a_blank_line_and_paragraphs_are_kept() -> None:
    sections = [Section("први\n\nдруги", "А"), Section("трећи"), Section("четврти\nред", "Б")]
    assert split_messages(sections) == ["<b>А</b>\nпрви\n\nдруги\n\nтрећи\n\n<b>Б</b>\nчетврти\nред"]


def test_a_message_is_filled_exactly_to_the_limit_and_not_beyond() -> None:
    exact = split_messages([Section("a" * 10 + "\n\n" + "b" * 8)], limit=20)  # 10 + 2 + 8 = 20: fits
    assert exact == ["a" * 10 + "\n\n" + "b" * 8]
    over = split_messages([Section("a" * 10 + "\n\n" + "b" * 9)], limit=20)  # 21: the second goes on
    assert over == ["a" * 10, "b" * 9]


def test_a_long_paragraph_is_cut_between_lines_within_the_limit() -> None:
    lines = [f"{i:02d}" + "x" * 7 for i in range(6)]  # 9 characters each
    messages = split_messages([Section("\n".join(lines))], limit=22)
    assert messages == ["\n".join(lines[0:2]), "\n".join(lines[2:4]), "\n".join(lines[4:6])]
    assert all(plain_length(m) <= 22 for m in messages)


def test_a_line_too_long_for_any_message_is_cut_at_half_the_limit() -> None:
    messages = split_messages([Section("кратак\n" + "ж" * 25)], limit=12)
    assert messages[0] == "кратак" and all(plain_length(m) <= 12 for m in messages)
    cut = [part for m in messages[1:] for part in m.split("\n\n")]
    assert cut[:3] == ["ж" * 5] * 3 and "".join(cut) == "ж" * 25  # half the limit at a time, nothing lost


def test_html_in_long_answers_is_escaped_in_every_part() -> None:
    messages = split_messages([Section("\n\n".join(["<a> & b"] * 6), "T&T")], limit=20)
    assert messages[0].startswith("<b>T&amp;T</b>\n&lt;a&gt; &amp; b")
    assert all(_html_problem(m) is None and plain_length(m) <= 20 for m in messages)
    assert sum(m.count("&lt;a&gt;") for m in messages) == 6


def test_the_networks_keyboard_has_a_button_per_network_in_the_script_asked(bundle: Bundle) -> None:
    networks = bundle.knowledge.networks
    cyrillic = networks_keyboard(networks, Script.CYRILLIC).inline_keyboard
    latin = networks_keyboard(networks, Script.LATIN).inline_keyboard
    assert [[b.callback_data for b in row] for row in cyrillic] == [[f"n:{n.id}"] for n in networks]
    ecad = next(row[0] for row in cyrillic if row[0].callback_data == "n:ecad")
    assert ecad.text == "ECAD – Европски градови против дрога"
    assert (
        next(row[0] for row in latin if row[0].callback_data == "n:ecad").text == "ECAD – Evropski gradovi protiv droga"
    )


def test_a_card_offers_the_other_questions_two_a_row(bundle: Bundle) -> None:
    naled = bundle.knowledge.by_id["naled"]
    labels = {"founded": "Када је основан?", "seat": "Где је седиште?", "size": "Колико има чланова?"}
    rows = card_keyboard(naled, labels, Script.LATIN).inline_keyboard
    assert [[(b.text, b.callback_data) for b in row] for row in rows] == [
        [("Kada je osnovan?", "a:founded:naled"), ("Gde je sedište?", "a:seat:naled")],
        [("Koliko ima članova?", "a:size:naled")],
    ]


def test_suggestions_are_one_button_each_that_asks_them() -> None:
    rows = suggestions_keyboard([("Где је седиште?", ("seat", "skgo")), ("Шта је СКГО?", ("about", "skgo"))])
    assert [[(b.text, b.callback_data) for b in row] for row in rows.inline_keyboard] == [
        [("Где је седиште?", "a:seat:skgo")],
        [("Шта је СКГО?", "a:about:skgo")],
    ]


def test_feedback_buttons_carry_the_vote_and_what_was_answered() -> None:
    (row,) = feedback_keyboard("seat", "naled", "👍", "👎").inline_keyboard
    assert [(b.text, b.callback_data) for b in row] == [("👍", "v:1:seat:naled"), ("👎", "v:0:seat:naled")]
    assert [parse_callback(str(b.callback_data)) for b in row] == [
        ("helpful", "seat", "naled"),
        ("unhelpful", "seat", "naled"),
    ]
    (no_network,) = feedback_keyboard("greeting", None, "+", "-").inline_keyboard
    assert [b.callback_data for b in no_network] == ["v:1:greeting:", "v:0:greeting:"]
    assert parse_callback("v:0:greeting:") == ("unhelpful", "greeting", None)


def test_feedback_data_too_long_for_telegram_keeps_the_intent_only() -> None:
    long_id = "n" * (64 - len("v:1:seat:")) + "x"  # one byte over the limit
    (row,) = feedback_keyboard("seat", long_id, "+", "-").inline_keyboard
    assert [b.callback_data for b in row] == ["v:1:seat:", "v:0:seat:"]
    fits = "n" * (64 - len("v:1:seat:"))  # exactly the limit
    (row,) = feedback_keyboard("seat", fits, "+", "-").inline_keyboard
    assert row[0].callback_data == f"v:1:seat:{fits}"


def test_ask_data_at_the_limit_is_kept_and_beyond_it_opens_the_card() -> None:
    fits = "n" * (64 - len("a:seat:"))
    assert ask_data("seat", fits) == f"a:seat:{fits}"
    assert ask_data("seat", fits + "x") == f"n:{fits}x"[:64]


@pytest.mark.parametrize(
    ("data", "parsed"),
    [
        ("n:ecad", ("card", None, "ecad")),
        ("n:", ("unknown", None, None)),
        ("a:seat:ecad", ("ask", "seat", "ecad")),
        ("a:seat:", ("ask", "seat", None)),  # a question of no network: the engine answers it, or refuses
        ("a:list:", ("ask", "list", None)),
        ("a::ecad", ("unknown", None, None)),
        ("a:seat:league:x", ("ask", "seat", "league:x")),
        ("v:1:seat:ecad", ("helpful", "seat", "ecad")),
        ("v:0:seat:ecad", ("unhelpful", "seat", "ecad")),
        ("v:2:seat:ecad", ("unknown", None, None)),
        ("v:1::ecad", ("unknown", None, None)),
        ("v:1:seat:a:b", ("helpful", "seat", "a:b")),
        ("V:1:seat:ecad", ("unknown", None, None)),
        ("x:seat:ecad", ("unknown", None, None)),
    ],
)
def test_callback_data_is_parsed_strictly(data: str, parsed: tuple[str, str | None, str | None]) -> None:
    assert parse_callback(data) == parsed
