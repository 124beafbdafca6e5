"""The charts on /staff (bot/web/charts.py): drawn from what the bot recorded, and readable without the picture."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tornado.template import Loader

from bot.answering.compose import Answer
from bot.recording import Recorder, Stats
from bot.storage.database import Database
from bot.storage.questions import TELEGRAM, WEB, QuestionStore
from bot.web.charts import MAX_DAYS, MAX_WEEKS, PLOT_HEIGHT, Chart, outcome_charts
from bot.web.server import TEMPLATES

NOW = datetime.now(UTC).date()
TODAY = NOW - timedelta(days=(NOW.weekday() - 2) % 7)  # a Wednesday: its Monday is in the same week
MONDAY, LAST_WEEK = TODAY - timedelta(days=2), TODAY - timedelta(days=8)
ASKED = {  # day → (intent, channel, times)
    MONDAY: [
        ("joined", TELEGRAM, 5),
        ("clarify", TELEGRAM, 2),
        ("fallback", TELEGRAM, 1),
        ("seat", WEB, 3),
        ("fallback", WEB, 1),
    ],
    TODAY: [("joined", WEB, 4), ("clarify", WEB, 1), ("list", TELEGRAM, 2)],
    LAST_WEEK: [("fallback", TELEGRAM, 1), ("joined", TELEGRAM, 1)],  # not in the week of days, in the weeks
}
TITLED = re.compile(r"^(\d{4}-\d\d-\d\d), (.+): (\d+)$")


@contextmanager
def recorder(folder: Path, day: list[date]) -> Iterator[Recorder]:
    database = Database(folder)
    store = QuestionStore(database, today=lambda: day[0])
    database.open()
    try:
        yield Recorder(Stats(), store)
    finally:
        database.close()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    day = [TODAY]
    with recorder(folder, day) as recording:
        for asked_on, questions in ASKED.items():
            day[0] = asked_on
            for intent, channel, times in questions:
                for _ in range(times):
                    recording.note(Answer("питање", intent, None, 0.9, ()), time.perf_counter(), channel)
    return folder


def written(charts: list[Chart]) -> ET.Element:
    """The charts' markup, as /staff writes it with their template (well-formed, or this fails)."""
    return ET.fromstring(Loader(str(TEMPLATES)).load("staff_charts.html").generate(charts=charts))


def drawn(data_dir: Path, days: float) -> ET.Element:
    return written(outcome_charts(data_dir, days, TODAY))


@pytest.fixture(scope="module")
def charts(recorded: Path) -> ET.Element:
    return drawn(recorded, 7)


def chart(charts: ET.Element, name: str) -> ET.Element:
    found = charts.find(f".//svg[@aria-labelledby='chart-{name}-title']")
    assert found is not None
    return found


def table(charts: ET.Element, svg: ET.Element) -> list[list[str]]:
    """The rows (header included) of the table that follows the chart."""
    children = next(list(section) for section in charts.iter("section") if svg in list(section))
    details = children[children.index(svg) + 1]
    assert details.tag == "details" and details.find("summary") is not None
    found = details.find("table")
    assert found is not None and (found.findtext("caption") or "").strip()
    return [[cell.text or "" for cell in row] for row in found.iter("tr")]


def bars(svg: ET.Element) -> dict[tuple[str, str], tuple[int, float]]:
    """(day, series) → (the number in the bar's title, the bar's height)."""
    found = {}
    for rect in svg.iter("rect"):
        match = TITLED.match(rect.findtext("title") or "")
        if match:
            found[match[1], match[2]] = (int(match[3]), float(rect.get("height", "0")))
    return found


def test_bars_are_as_tall_as_their_counts_and_their_titles_and_table_say_the_same(charts: ET.Element) -> None:
    monday, today = MONDAY.isoformat(), TODAY.isoformat()
    svg = chart(charts, "outcomes")
    drawn = bars(svg)
    assert {key: count for key, (count, _) in drawn.items()} == {
        (monday, "одговорено"): 8,
        (monday, "питање назад"): 2,
        (monday, "без одговора"): 2,
        (today, "одговорено"): 6,
        (today, "питање назад"): 1,
    }
    scales = {height / count for count, height in drawn.values()}
    assert max(scales) - min(scales) < 0.01 and max(scales) * 12 <= PLOT_HEIGHT  # one scale; the tallest bar fits
    rows = table(charts, svg)
    assert rows[0] == ["Дан", "одговорено", "питање назад", "без одговора", "укупно"]
    assert len(rows) == 1 + 7 and rows[-1][0] == today
    assert [monday, "8", "2", "2", "12"] in rows and [today, "6", "1", "0", "7"] in rows
    assert [t.text for t in svg.iter("text") if t.get("text-anchor") == "end"] == ["0", "10", "20"]  # the scale
    assert "19 питања; одговорено 14, питање назад 3, без одговора 2" in (svg.findtext("desc") or "")


def test_channels_are_drawn_the_same_way(charts: ET.Element) -> None:
    monday, today = MONDAY.isoformat(), TODAY.isoformat()
    svg = chart(charts, "channels")
    assert {key: count for key, (count, _) in bars(svg).items()} == {
        (monday, "Телеграм"): 8,
        (monday, "сајт"): 4,
        (today, "Телеграм"): 2,
        (today, "сајт"): 5,
    }
    assert [monday, "8", "4", "12"] in table(charts, svg)


def test_the_answered_share_is_drawn_per_week(charts: ET.Element) -> None:
    svg = chart(charts, "share")
    shares = {}
    for rect in svg.iter("rect"):
        title = rect.findtext("title") or ""
        if title.startswith("недеља од"):
            shares[title] = float(rect.get("height", "0"))
    this_week, last_week = MONDAY.isoformat(), (MONDAY - timedelta(days=7)).isoformat()
    assert shares == {
        f"недеља од {last_week}: одговорено 1 од 2 (50 %)": pytest.approx(PLOT_HEIGHT / 2, abs=0.01),
        f"недеља од {this_week}: одговорено 14 од 19 (74 %)": pytest.approx(PLOT_HEIGHT * 14 / 19, abs=0.01),
    }
    rows = table(charts, svg)
    assert rows[0] == ["Недеља", "питања", "одговорено", "удео одговорених"] and len(rows) == 1 + 4
    assert rows[-2:] == [[f"од {last_week}", "2", "1", "50 %"], [f"од {this_week}", "19", "14", "74 %"]]
    assert rows[1][1:] == ["0", "0", "—"]


def test_each_chart_is_named_described_and_not_told_by_colour_alone(charts: ET.Element) -> None:
    ids = [element.get("id") for element in charts.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    for svg in charts.iter("svg"):
        assert svg.get("role") == "img"
        title = svg.find(f"title[@id='{svg.get('aria-labelledby')}']")
        description = svg.find(f"desc[@id='{svg.get('aria-describedby')}']")
        assert title is not None and (title.text or "").strip() and description is not None and description.text
        patterns = {p.get("id") for p in svg.iter("pattern")}
        for element in svg.iter():
            assert element.get("style") is None and element.tag not in ("script", "image", "foreignObject")
            fill = element.get("fill", "")
            if fill.startswith("url("):
                assert fill[5:-1] in patterns  # a pattern of this very chart
    for name, labels in [
        ("outcomes", ["одговорено", "питање назад", "без одговора"]),
        ("channels", ["Телеграм", "сајт"]),
    ]:
        svg = chart(charts, name)
        assert all(label in [t.text for t in svg.iter("text")] for label in labels)  # a legend in words
        fills = [rect.get("fill", "") for rect in svg.iter("rect") if rect.get("stroke") == "#1b1b1b"]  # its swatches
        assert len(fills) == len(labels) == len(set(fills))
        assert any(fill.startswith("url(") for fill in fills)  # a pattern, not only another colour
    for table_ in charts.iter("table"):
        assert all(th.get("scope") in ("col", "row") for th in table_.iter("th"))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_colours_stand_out_from_the_white_they_are_drawn_on(charts: ET.Element) -> None:
    for svg in charts.iter("svg"):
        for element in svg.iter():
            fill = element.get("fill", "")
            if element.tag == "text":
                assert contrast(fill, "#ffffff") >= 4.5
            elif element.tag == "rect" and fill.startswith("#") and fill != "#ffffff":
                assert contrast(fill, "#ffffff") >= 3, fill  # WCAG 1.4.11, graphical objects


def test_no_questions_give_a_sentence_instead_of_empty_charts(tmp_path: Path) -> None:
    for folder in (tmp_path / "nothing yet", tmp_path):
        if folder == tmp_path:  # a database with one question, long before the period shown
            with recorder(tmp_path, [TODAY - timedelta(days=60)]) as recording:
                recording.note(Answer("питање", "joined", None, 0.9, ()), time.perf_counter(), WEB)
        fragment = drawn(folder, 7)
        assert fragment.find(".//svg") is None and fragment.find(".//table") is None
        assert "није забележено ниједно питање" in (fragment.findtext(".//p") or "")


def test_a_long_period_is_drawn_with_a_bounded_number_of_bars(recorded: Path) -> None:
    fragment = drawn(recorded, 3650)
    assert len(table(fragment, chart(fragment, "outcomes"))) == 1 + MAX_DAYS
    assert len(table(fragment, chart(fragment, "share"))) == 1 + MAX_WEEKS


def test_texts_are_escaped_by_the_template_not_taken_as_markup() -> None:
    title, sentence, cell = '<script>alert("x")</script> & co', "1 < 2", "<b>3</b>"
    for rows in ([], [[cell]]):  # the sentence in place of a picture, then a picture and its table
        fragment = written([Chart("chart-x", title, sentence, [cell], rows)])
        assert fragment.find(".//script") is None and fragment.find(".//b") is None
        texts = [element.text for element in fragment.iter()]
        assert title in texts and sentence in texts and (cell in texts) == bool(rows)
