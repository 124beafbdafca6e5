"""The pictures on /staff: questions per day by outcome and by channel, and the answered share per week.

This module turns the counts into plain dataclasses (every coordinate, bar, tick, legend entry, title and
table row); bot/web/templates/staff_charts.html writes them down as inline SVG, escaped by tornado: no
script, nothing fetched, no `style=` (the page's Content-Security-Policy allows none of them), only SVG
presentation attributes such as `fill=`.  Each chart is an `<svg role="img">` named by its `<title>` and
described by its `<desc>` (the totals); a legend in words and a pattern per series (solid, stripes, dots)
mean colour is never the only clue, and every colour stands out 3:1 from the white it is drawn on.  Every
bar has a `<title>` (its tooltip), and the same numbers stand in a table under each chart (in a
`<details>`), for screen readers and keyboards.  Days are UTC days, like every other time on /staff.
`outcome_charts` reads the database: call it off the event loop.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bot.storage.questions import ANSWERED, CLARIFY, FALLBACK, TELEGRAM, WEB, DailyCount, read_daily_outcomes, utc_today

MIN_DAYS, MAX_DAYS = 7, 62  # bars per daily chart, whatever period staff ask for
MIN_WEEKS, MAX_WEEKS = 4, 26
WIDTH, HEIGHT = 700, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 34, 30
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
INK, GRID, PAPER = "#1b1b1b", "#c8ccd2", "#ffffff"


@dataclass(frozen=True)
class Series:
    """One series of a chart: its key, label, colour and pattern."""

    key: str
    label: str
    colour: str
    pattern: str  # solid | stripes | dots


OUTCOMES = (
    Series(ANSWERED, "одговорено", "#0b4f8a", "solid"),
    Series(CLARIFY, "питање назад", "#8a4b00", "stripes"),
    Series(FALLBACK, "без одговора", "#b3261e", "dots"),
)
CHANNELS = (Series(TELEGRAM, "Телеграм", "#0b4f8a", "solid"), Series(WEB, "сајт", "#6a3d9a", "stripes"))
SHARE_COLOUR = "#0b4f8a"


# What the template draws (every coordinate in the viewBox's units) ----------


@dataclass(frozen=True)
class Label:
    """A text placed on a chart."""

    x: float
    y: float
    text: str
    anchor: str = "middle"  # start | middle | end
    title: str = ""  # its tooltip, if it has one


@dataclass(frozen=True)
class Tick:
    """A line across a chart's plot at one value, with its label."""

    x1: float  # a line across the plot…
    x2: float
    y: float
    colour: str  # …the axis itself in ink
    label: Label  # its value


@dataclass(frozen=True)
class Segment:
    """One rectangle of a stacked bar."""

    x: float
    y: float
    width: float
    height: float
    fill: str  # a colour, or url(#…) of one of the chart's patterns
    title: str  # its tooltip
    outlined: bool  # in white, to part it from the next series


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its segments and the total over it."""

    title: str  # the whole bar's tooltip, or "" when its one segment says it all
    segments: Sequence[Segment]
    total: Label | None  # the number over the bar, where there is room for it


@dataclass(frozen=True)
class Pattern:
    """A fill pattern, so series differ without colour too."""

    id: str
    colour: str
    kind: str  # stripes | dots (the template draws the tile)


@dataclass(frozen=True)
class LegendEntry:
    """One entry of a chart's legend: its swatch and label."""

    x: float
    y: float
    size: float
    fill: str
    label: Label


@dataclass(frozen=True)
class Chart:
    """A picture and the table of its numbers; only its title and a sentence (no `rows`) if nothing is drawn."""

    id: str
    title: str
    description: str  # the totals in words: the picture's <desc>, or the sentence in its place
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()  # the first cell heads its row
    patterns: Sequence[Pattern] = ()
    ticks: Sequence[Tick] = ()
    bars: Sequence[Bar] = ()
    gaps: Sequence[Label] = ()  # "—" where a week had no question
    labels: Sequence[Label] = ()  # the days under the bars
    legend: Sequence[LegendEntry] = ()


def outcome_charts(data_dir: Path, days: float, today: date | None = None) -> list[Chart]:
    """The charts for the last `days` days (at least a week, at most `MAX_DAYS`; the share: by weeks), or one
    sentence when no question was counted in that time; staff_charts.html draws them."""
    today = today or utc_today()
    return build_charts(read_daily_outcomes(data_dir, _span(days, today), today), days, today)


def build_charts(counts: Sequence[DailyCount], days: float, today: date) -> list[Chart]:
    shown = _clamp(math.ceil(days), MIN_DAYS, MAX_DAYS)
    daily = [today - timedelta(days=shown - 1 - i) for i in range(shown)]
    weeks = [_monday(today) - timedelta(weeks=_weeks(days) - 1 - i) for i in range(_weeks(days))]
    by_outcome: Counter[tuple[date, str]] = Counter()
    by_channel: Counter[tuple[date, str]] = Counter()
    for row in counts:
        if row.outcome in {s.key for s in OUTCOMES} and row.channel in {s.key for s in CHANNELS}:
            by_outcome[row.day, row.outcome] += row.count
            by_channel[row.day, row.channel] += row.count
    if not any(by_outcome[day, s.key] for day in {*daily, *_days_of(weeks, today)} for s in OUTCOMES):
        nothing = f"У последњих {shown} дана није забележено ниједно питање, па нема шта да се нацрта."
        return [Chart("chart-nothing", "Питања по данима", nothing)]
    return [
        _stacked(
            "chart-outcomes", f"Питања по данима и исходу, последњих {shown} дана (UTC)", daily, OUTCOMES, by_outcome
        ),
        _stacked(
            "chart-channels", f"Питања по данима и каналу, последњих {shown} дана (UTC)", daily, CHANNELS, by_channel
        ),
        _share("chart-share", f"Удео одговорених по недељама, последњих {len(weeks)} недеља", weeks, today, by_outcome),
    ]


# The charts ------------------------------------------------------------------


def _stacked(
    chart: str, title: str, days: list[date], series: Sequence[Series], values: Counter[tuple[date, str]]
) -> Chart:
    totals = {s.key: sum(values[day, s.key] for day in days) for s in series}
    whole = sum(totals.values())
    counted = ", ".join(f"{s.label} {totals[s.key]}" for s in series)
    summary = f"{days[0]} – {days[-1]}: {_questions(whole)}; {counted}."
    if not whole:
        return Chart(chart, title, summary)
    top = _nice(max(sum(values[day, s.key] for s in series) for day in days))
    scale = PLOT_HEIGHT / top
    slot = PLOT_WIDTH / len(days)
    width = max(1.0, slot * 0.7)
    bars, rows = [], []
    for i, day in enumerate(days):
        x, y = LEFT + i * slot + (slot - width) / 2, float(TOP + PLOT_HEIGHT)
        segments = []
        for s in series:
            if count := values[day, s.key]:
                y -= count * scale
                height, fill = _px(count * scale), _fill(chart, s)
                segments.append(Segment(_px(x), _px(y), _px(width), height, fill, f"{day}, {s.label}: {count}", True))
        total = sum(values[day, s.key] for s in series)
        parts = ", ".join(f"{s.label} {values[day, s.key]}" for s in series)
        label = Label(_px(x + width / 2), _px(y - 3), str(total)) if total and slot >= 18 else None
        bars.append(Bar(f"{day}: {_questions(total)} ({parts})", segments, label))
        rows.append([str(day), *(str(values[day, s.key]) for s in series), str(total)])
    columns = ["Дан", *(s.label for s in series), "укупно"]
    patterns = [Pattern(f"{chart}-{s.key}", s.colour, s.pattern) for s in series if s.pattern != "solid"]
    ticks, labels, legend = _axis(top, str), _day_labels(days, slot), _legend(chart, series)
    return Chart(chart, title, summary, columns, rows, patterns, ticks=ticks, bars=bars, labels=labels, legend=legend)


def _share(chart: str, title: str, weeks: list[date], today: date, values: Counter[tuple[date, str]]) -> Chart:
    slot = PLOT_WIDTH / len(weeks)
    width = slot * 0.6
    bars, gaps, rows = [], [], []
    answered_all = asked_all = 0
    for i, monday in enumerate(weeks):
        week = _days_of([monday], today)
        answered = sum(values[d, ANSWERED] for d in week)
        asked = sum(values[d, s.key] for d in week for s in OUTCOMES)
        answered_all, asked_all = answered_all + answered, asked_all + asked
        share = f"{_percent(answered, asked)} %" if asked else "—"
        rows.append([f"од {monday}", str(asked), str(answered), share])
        x, centre = LEFT + i * slot + (slot - width) / 2, LEFT + (i + 0.5) * slot
        base = TOP + PLOT_HEIGHT
        if not asked:
            gaps.append(Label(_px(centre), base - 3, "—", title=f"недеља од {monday}: нема питања"))
            continue
        height = PLOT_HEIGHT * answered / asked
        label = f"недеља од {monday}: одговорено {answered} од {asked} ({share})"
        bar = Segment(_px(x), _px(base - height), _px(width), _px(height), SHARE_COLOUR, label, False)
        bars.append(Bar("", [bar], Label(_px(centre), _px(base - height - 3), share) if slot >= 34 else None))
    summary = (
        f"Недеље од {weeks[0]} до {weeks[-1]} (последња до {today}): одговорено {answered_all}"
        f" од {_questions(asked_all)}"
        + (f" ({_percent(answered_all, asked_all)} %)." if asked_all else ".")
        + " Ознака испод стубића је понедељак којим недеља почиње."
    )
    columns = ["Недеља", "питања", "одговорено", "удео одговорених"]
    ticks, labels = _axis(100, lambda v: f"{v} %"), _day_labels(weeks, slot)
    return Chart(chart, title, summary, columns, rows, ticks=ticks, bars=bars, gaps=gaps, labels=labels)


# Their pieces ----------------------------------------------------------------


def _axis(top: int, label: Callable[[int], str]) -> list[Tick]:
    """Grid lines and their values at 0, half (when it is a whole number) and `top`."""
    ticks = []
    for value in [0, top // 2, top] if top % 2 == 0 else [0, top]:
        y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top
        colour = INK if value == 0 else GRID
        ticks.append(Tick(LEFT, WIDTH - RIGHT, _px(y), colour, Label(LEFT - 6, _px(y + 4), label(value), "end")))
    return ticks


def _day_labels(days: list[date], slot: float) -> list[Label]:
    """`6.5.` under the bars, the last one always, as many as fit."""
    every = math.ceil(40 / slot)
    return [
        Label(_px(LEFT + (i + 0.5) * slot), HEIGHT - 12, f"{d.day}.{d.month}.")
        for i, d in enumerate(days)
        if (len(days) - 1 - i) % every == 0
    ]


def _legend(chart: str, series: Sequence[Series]) -> list[LegendEntry]:
    x, entries = LEFT, []
    for s in series:
        entries.append(LegendEntry(x, 8, 14, _fill(chart, s), Label(x + 20, 19, s.label, "start")))
        x += 20 + 7 * len(s.label) + 24
    return entries


def _fill(chart: str, series: Series) -> str:
    return series.colour if series.pattern == "solid" else f"url(#{chart}-{series.key})"


# Numbers and days ------------------------------------------------------------


def _span(days: float, today: date) -> int:
    """How many days back the charts reach: the daily ones, or the weekly one from its first Monday."""
    first_monday = _monday(today) - timedelta(weeks=_weeks(days) - 1)
    return max(_clamp(math.ceil(days), MIN_DAYS, MAX_DAYS), (today - first_monday).days + 1)


def _weeks(days: float) -> int:
    return _clamp(math.ceil(days / 7), MIN_WEEKS, MAX_WEEKS)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days_of(mondays: list[date], today: date) -> list[date]:
    """The days of those weeks up to `today`."""
    return [m + timedelta(days=i) for m in mondays for i in range(7) if m + timedelta(days=i) <= today]


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _nice(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least `value`: the top of the scale."""
    step = 1
    while True:
        for nice in (step, 2 * step, 5 * step):
            if nice >= value:
                return nice
        step *= 10


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole)


def _questions(count: int) -> str:
    """`1 питање`, `3 питања`, `5 питања` (Serbian counts the noun)."""
    if count % 10 == 1 and count % 100 != 11:
        return f"{count} питање"
    return f"{count} питања"


def _px(value: float) -> float:
    """A coordinate to two decimals, a whole one without them: `44`, `123.46`."""
    value = round(value, 2)
    return int(value) if value.is_integer() else value
