"""The pictures on /staff: questions per day by outcome and by channel, and the answered share per week.

Drawn here as inline SVG markup: no script, nothing fetched, no `style=` (the
page's Content-Security-Policy allows none of them), only SVG presentation
attributes such as `fill=`.  Each chart is an `<svg role="img">` named by its
`<title>` and described by its `<desc>` (the totals); a legend in words and a
pattern per series (solid, stripes, dots) mean colour is never the only clue,
and every colour stands out 3:1 from the white it is drawn on.  Every bar has a
`<title>` (its tooltip), and the same numbers stand in a table under each chart
(in a `<details>`), for screen readers and keyboards.  Days are UTC days, like
every other time on /staff.  `outcome_charts` reads the database: call it off
the event loop.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from bot.storage.questions import (
    ANSWERED,
    CLARIFY,
    FALLBACK,
    TELEGRAM,
    WEB,
    DailyCount,
    read_daily_outcomes,
    utc_today,
)

MIN_DAYS, MAX_DAYS = 7, 62  # bars per daily chart, whatever period staff ask for
MIN_WEEKS, MAX_WEEKS = 4, 26
WIDTH, HEIGHT = 700, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 34, 30
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
INK, GRID, PAPER = "#1b1b1b", "#c8ccd2", "#ffffff"
TEXT = f'font-family="sans-serif" font-size="11" fill="{INK}"'
MIDDLE = f'text-anchor="middle" {TEXT}'


@dataclass(frozen=True)
class Series:
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


def outcome_charts(data_dir: Path, days: float, today: date | None = None) -> str:
    """The charts for the last `days` days (at least a week, at most `MAX_DAYS`; the share: by weeks) as an HTML
    fragment, or a sentence when no question was counted in that time."""
    today = today or utc_today()
    return render_charts(read_daily_outcomes(data_dir, _span(days, today), today), days, today)


def render_charts(counts: Sequence[DailyCount], days: float, today: date) -> str:
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
        return f'<div class="charts"><section><h2>Питања по данима</h2><p>{nothing}</p></section></div>'
    return (
        '<div class="charts">'
        + _stacked(
            "chart-outcomes", f"Питања по данима и исходу, последњих {shown} дана (UTC)", daily, OUTCOMES, by_outcome
        )
        + _stacked(
            "chart-channels", f"Питања по данима и каналу, последњих {shown} дана (UTC)", daily, CHANNELS, by_channel
        )
        + _share(
            "chart-share", f"Удео одговорених по недељама, последњих {len(weeks)} недеља", weeks, today, by_outcome
        )
        + "</div>"
    )


# The charts ------------------------------------------------------------------


def _stacked(
    chart: str, title: str, days: list[date], series: Sequence[Series], values: Counter[tuple[date, str]]
) -> str:
    totals = {s.key: sum(values[day, s.key] for day in days) for s in series}
    whole = sum(totals.values())
    summary = f"{days[0]} – {days[-1]}: {_questions(whole)}; " + ", ".join(f"{s.label} {totals[s.key]}" for s in series)
    if not whole:
        return f"<section><h2>{escape(title)}</h2><p>{escape(summary)}.</p></section>"
    top = _nice(max(sum(values[day, s.key] for s in series) for day in days))
    scale = PLOT_HEIGHT / top
    slot = PLOT_WIDTH / len(days)
    width = max(1.0, slot * 0.7)
    bars = []
    for i, day in enumerate(days):
        x, y = LEFT + i * slot + (slot - width) / 2, float(TOP + PLOT_HEIGHT)
        parts = [f"{s.label} {values[day, s.key]}" for s in series]
        total = sum(values[day, s.key] for s in series)
        bar = [f"<g><title>{day}: {_questions(total)} ({escape(', '.join(parts))})</title>"]
        for s in series:
            if count := values[day, s.key]:
                y -= count * scale
                bar.append(
                    f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(count * scale)}"'
                    f' fill="{_fill(chart, s)}" stroke="{PAPER}" stroke-width="0.75">'
                    f"<title>{day}, {escape(s.label)}: {count}</title></rect>"
                )
        if total and slot >= 18:  # the total over the bar, where there is room for it
            bar.append(f'<text x="{_n(x + width / 2)}" y="{_n(y - 3)}" {MIDDLE}>{total}</text>')
        bars.append("".join(bar) + "</g>")
    body = _axis(top, str) + "".join(bars) + _day_labels(days, slot) + _legend(chart, series)
    table = _table(
        title,
        ["Дан", *(s.label for s in series), "укупно"],
        [[str(d), *(str(values[d, s.key]) for s in series), str(sum(values[d, s.key] for s in series))] for d in days],
    )
    svg = _svg(chart, title, summary + ".", _patterns(chart, series) + body)
    return f"<section><h2>{escape(title)}</h2>{svg}{table}</section>"


def _share(chart: str, title: str, weeks: list[date], today: date, values: Counter[tuple[date, str]]) -> str:
    slot = PLOT_WIDTH / len(weeks)
    width = slot * 0.6
    bars, rows = [], []
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
            bars.append(
                f'<text x="{_n(centre)}" y="{base - 3}" {MIDDLE}>—<title>недеља од {monday}: нема питања</title></text>'
            )
            continue
        height = PLOT_HEIGHT * answered / asked
        label = f"недеља од {monday}: одговорено {answered} од {asked} ({share})"
        bars.append(
            f'<g><rect x="{_n(x)}" y="{_n(base - height)}" width="{_n(width)}" height="{_n(height)}"'
            f' fill="{SHARE_COLOUR}"><title>{label}</title></rect>'
            + (f'<text x="{_n(centre)}" y="{_n(base - height - 3)}" {MIDDLE}>{share}</text>' if slot >= 34 else "")
            + "</g>"
        )
    summary = (
        f"Недеље од {weeks[0]} до {weeks[-1]} (последња до {today}): одговорено {answered_all}"
        f" од {_questions(asked_all)}"
        + (f" ({_percent(answered_all, asked_all)} %)." if asked_all else ".")
        + " Ознака испод стубића је понедељак којим недеља почиње."
    )
    body = _axis(100, lambda v: f"{v} %") + "".join(bars) + _day_labels(weeks, slot)
    table = _table(title, ["Недеља", "питања", "одговорено", "удео одговорених"], rows)
    return f"<section><h2>{escape(title)}</h2>{_svg(chart, title, summary, body)}{table}</section>"


# SVG and HTML pieces ---------------------------------------------------------


def _svg(chart: str, title: str, description: str, body: str) -> str:
    return (
        f'<svg role="img" aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart}-title">{escape(title)}</title><desc id="{chart}-desc">{escape(description)}</desc>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>{body}</svg>'
    )


def _axis(top: int, label: Callable[[int], str]) -> str:
    """Grid lines and their values at 0, half (when it is a whole number) and `top`."""
    ticks = [0, top // 2, top] if top % 2 == 0 else [0, top]
    lines = []
    for value in ticks:
        y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top
        colour = INK if value == 0 else GRID
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y)}" y2="{_n(y)}" stroke="{colour}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{_n(y + 4)}" text-anchor="end" {TEXT}>{label(value)}</text>'
        )
    return "".join(lines)


def _day_labels(days: list[date], slot: float) -> str:
    """`6.5.` under the bars, the last one always, as many as fit."""
    every = math.ceil(40 / slot)
    return "".join(
        f'<text x="{_n(LEFT + (i + 0.5) * slot)}" y="{HEIGHT - 12}" {MIDDLE}>{d.day}.{d.month}.</text>'
        for i, d in enumerate(days)
        if (len(days) - 1 - i) % every == 0
    )


def _legend(chart: str, series: Sequence[Series]) -> str:
    x, items = LEFT, []
    for s in series:
        items.append(
            f'<rect x="{x}" y="8" width="14" height="14" fill="{_fill(chart, s)}" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{x + 20}" y="19" {TEXT}>{escape(s.label)}</text>'
        )
        x += 20 + 7 * len(s.label) + 24
    return "".join(items)


def _patterns(chart: str, series: Sequence[Series]) -> str:
    shapes = {
        "stripes": '<rect x="0" y="0" width="2" height="6" fill="#ffffff"/>',
        "dots": '<circle cx="3" cy="3" r="1.2" fill="#ffffff"/>',
    }
    defs = [
        f'<pattern id="{chart}-{s.key}" width="6" height="6" patternUnits="userSpaceOnUse"'
        + (' patternTransform="rotate(45)"' if s.pattern == "stripes" else "")
        + f'><rect width="6" height="6" fill="{s.colour}"/>{shapes[s.pattern]}</pattern>'
        for s in series
        if s.pattern in shapes
    ]
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(chart: str, series: Series) -> str:
    return series.colour if series.pattern == "solid" else f"url(#{chart}-{series.key})"


def _table(caption: str, columns: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>{"".join(f"<td>{escape(v)}</td>" for v in row[1:])}</tr>'
        for row in rows
    )
    return (
        f"<details><summary>Бројеви у табели</summary><table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


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


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
