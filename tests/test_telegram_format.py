"""Answers as Telegram messages: escaping, splitting under the limit, buttons."""

from bot.answering.render import Section
from bot.tg.format import ask_data, parse_callback, section_html, split_messages, telegram_length
from tests.fake_bot_api import _html_problem


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
