"""Charts drawn on the server as SVG: geometry here, markup in
templates/community/moderation/_chart_*.html, no script and nothing from another site.

A chart is a frozen dataclass of shapes in viewBox units. The SVG scales to the width it is
given (CSS), so a phone at 390 px sees the whole chart without scrolling sideways; the viewBox
is narrow (360 units) so its words stay readable there. Every chart has a title and a
description for screen readers, and the page puts a table of the same figures beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 360
# Room for the y axis' numbers on the left, and for the day labels below.
COLUMN_LEFT = 30
COLUMN_BOTTOM = 22
TOP = 8
RIGHT = 6
COLUMN_HEIGHT = 180
# Horizontal bars: room for the row's label above its bars.
ROW_LABEL = 18
BAR = 16
BAR_GAP = 3
ROW_GAP = 10
VALUE_ROOM = 90
MAX_DAY_LABELS = 7


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    series: str
    # What the bar means, in words (its tooltip, and a check for tests).
    label: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Chart:
    """Everything one SVG shows; `key` makes its ids unique on the page."""

    key: str
    title: str
    desc: str
    width: float
    height: float
    bars: tuple[Rect, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...]
    # (series, words) for the legend, shown as HTML beside the chart.
    legend: tuple[tuple[str, str], ...]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def day_words(day: date) -> str:
    """A day as a chart's label: "1 Dec"."""
    return f"{day.day} {day:%b}"


def _round(value: float) -> float:
    return round(value, 2)


def daily_columns(
    *,
    key: str,
    title: str,
    desc: str,
    days: Sequence[date],
    series: Sequence[tuple[str, str, Sequence[int]]],
) -> Chart:
    """Columns per day, one per series side by side ((series, words, counts per day)), with a
    y axis from zero and at most seven day labels, evenly spaced."""
    plot_width = WIDTH - COLUMN_LEFT - RIGHT
    top_value = nice_ceiling(max((max(values, default=0) for _, _, values in series), default=0))
    slot = plot_width / max(1, len(days))
    bar_width = slot * 0.8 / max(1, len(series))
    bottom = TOP + COLUMN_HEIGHT
    bars = []
    for d, day in enumerate(days):
        for s, (name, words, values) in enumerate(series):
            value = values[d]
            height = COLUMN_HEIGHT * value / top_value
            bars.append(
                Rect(
                    x=_round(COLUMN_LEFT + d * slot + slot * 0.1 + s * bar_width),
                    y=_round(bottom - height),
                    width=_round(bar_width),
                    height=_round(height),
                    series=name,
                    label=f"{day_words(day)}: {value} {words.lower()}",
                )
            )
    texts = []
    lines = [Line(COLUMN_LEFT, bottom, WIDTH - RIGHT, bottom)]
    for step in range(5):
        tick = top_value * step / 4
        y = _round(bottom - COLUMN_HEIGHT * step / 4)
        if tick != int(tick):
            continue
        texts.append(Text(x=COLUMN_LEFT - 4, y=y + 4, text=f"{int(tick)}", anchor="end"))
        if step:
            lines.append(Line(COLUMN_LEFT, y, WIDTH - RIGHT, y))
    every = max(1, math.ceil(len(days) / MAX_DAY_LABELS))
    for d in range(len(days) - 1, -1, -every):
        # The last day (today) ends flush with the plot, so its label is never cut off.
        last = d == len(days) - 1
        texts.append(
            Text(
                x=_round(
                    COLUMN_LEFT + (d + 1) * slot if last else COLUMN_LEFT + d * slot + slot / 2
                ),
                y=bottom + 16,
                text=day_words(days[d]),
                anchor="end" if last else "middle",
            )
        )
    return Chart(
        key=key,
        title=title,
        desc=desc,
        width=WIDTH,
        height=bottom + COLUMN_BOTTOM,
        bars=tuple(bars),
        texts=tuple(texts),
        lines=tuple(lines),
        legend=tuple((name, words) for name, words, _ in series),
    )


def horizontal_bars(
    *,
    key: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, str, float | None]]]],
    words: Callable[[float | None], str],
    legend: bool = True,
) -> Chart:
    """One group per row (its label above, then a bar per (series, words, value)), each bar
    as long as its value against the largest, its value in `words` at its end. A missing
    value draws no bar and says so. Without `legend` the row labels say it all."""
    top_value = max(
        (value for _, bars in rows for _, _, value in bars if value is not None), default=0
    )
    top_value = top_value or 1
    plot_width = WIDTH - RIGHT - VALUE_ROOM
    rects, texts = [], []
    y = float(TOP)
    for label, bars in rows:
        texts.append(Text(x=0, y=y + 13, text=label))
        y += ROW_LABEL
        for name, series_words, value in bars:
            length = plot_width * (value or 0) / top_value
            shown = max(length, 1.5) if value else 0
            rects.append(
                Rect(
                    x=0,
                    y=_round(y),
                    width=_round(shown),
                    height=BAR,
                    series=name,
                    label=f"{label}, {series_words.lower()}: {words(value)}",
                )
            )
            texts.append(Text(x=_round(shown + 4), y=_round(y + 12), text=words(value)))
            y += BAR + BAR_GAP
        y += ROW_GAP
    keys: dict[str, str] = {}
    for _, bars in rows:
        for name, series_words, _ in bars:
            keys.setdefault(name, series_words)
    return Chart(
        key=key,
        title=title,
        desc=desc,
        width=WIDTH,
        height=_round(y),
        bars=tuple(rects),
        texts=tuple(texts),
        lines=(),
        legend=tuple(keys.items()) if legend else (),
    )
