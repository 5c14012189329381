"""Server-drawn charts (community/charts.py and its template)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string

from community import charts


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (40, 50), (51, 100), (230, 500)],
)
def test_axes_end_on_a_round_number(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def _days(n):
    return [date(2026, 11, 1) + timedelta(days=d) for d in range(n)]


def test_columns_are_as_tall_as_their_counts_against_a_round_top():
    chart = charts.daily_columns(
        key="daily",
        title="Opened and closed",
        desc="Words.",
        days=_days(3),
        series=[("opened", "Opened", [10, 5, 0]), ("closed", "Closed", [2, 0, 8])],
    )
    heights = {bar.label: bar.height for bar in chart.bars}
    assert heights["1 Nov: 10 opened"] == charts.COLUMN_HEIGHT
    assert heights["2 Nov: 5 opened"] == charts.COLUMN_HEIGHT / 2
    assert heights["3 Nov: 0 opened"] == 0
    assert heights["3 Nov: 8 closed"] == charts.COLUMN_HEIGHT * 0.8
    # Every column stands on the same baseline, inside the drawing.
    assert {bar.y + bar.height for bar in chart.bars} == {charts.TOP + charts.COLUMN_HEIGHT}
    assert all(bar.x >= 0 and bar.x + bar.width <= chart.width for bar in chart.bars)
    # The axis names whole numbers only (2.5 and 7.5 are left out).
    axis = [t.text for t in chart.texts if t.x < charts.COLUMN_LEFT]
    assert axis == ["0", "5", "10"]
    assert chart.legend == (("opened", "Opened"), ("closed", "Closed"))


def test_ninety_days_get_at_most_seven_labels_and_today_is_one():
    days = _days(90)
    chart = charts.daily_columns(
        key="daily", title="t", desc="d", days=days, series=[("opened", "Opened", [1] * 90)]
    )
    labels = [t.text for t in chart.texts if t.y > charts.TOP + charts.COLUMN_HEIGHT + 5]
    assert len(labels) <= charts.MAX_DAY_LABELS
    assert charts.day_words(days[-1]) in labels
    assert len(chart.bars) == 90
    assert max(bar.x + bar.width for bar in chart.bars) <= chart.width
    # Today's label ends at the plot's right edge instead of being cut off there.
    today = next(t for t in chart.texts if t.text == charts.day_words(days[-1]))
    assert (today.anchor, today.x) == ("end", charts.WIDTH - charts.RIGHT)


def test_an_empty_period_draws_flat_columns_without_failing():
    chart = charts.daily_columns(
        key="daily", title="t", desc="d", days=_days(7), series=[("opened", "Opened", [0] * 7)]
    )
    assert {bar.height for bar in chart.bars} == {0}


def test_horizontal_bars_scale_to_the_largest_and_say_when_there_is_nothing():
    chart = charts.horizontal_bars(
        key="lanes",
        title="t",
        desc="d",
        rows=[
            ("Reported", [("median", "Median", 10.0), ("p90", "9 in 10 within", 40.0)]),
            ("New members", [("median", "Median", None), ("p90", "9 in 10 within", None)]),
        ],
        words=lambda v: "none" if v is None else f"{v:g} min",
    )
    widths = {bar.label: bar.width for bar in chart.bars}
    longest = charts.WIDTH - charts.RIGHT - charts.VALUE_ROOM
    assert widths["Reported, 9 in 10 within: 40 min"] == longest
    assert widths["Reported, median: 10 min"] == longest / 4
    assert widths["New members, median: none"] == 0
    assert "none" in [t.text for t in chart.texts]
    assert chart.legend == (("median", "Median"), ("p90", "9 in 10 within"))
    # Rows follow each other down the drawing and fit in it.
    assert max(bar.y + bar.height for bar in chart.bars) <= chart.height


def test_the_svg_has_a_title_and_description_and_escapes_its_words():
    chart = charts.horizontal_bars(
        key="reports",
        title="Reports <b>",
        desc="A & B",
        rows=[("Upheld", [("upheld", "Reports", 3)])],
        words=str,
    )
    html = render_to_string("community/moderation/_chart.html", {"chart": chart})
    assert 'role="img"' in html
    assert 'aria-labelledby="chart-reports-title chart-reports-desc"' in html
    assert '<title id="chart-reports-title">Reports &lt;b&gt;</title>' in html
    assert '<desc id="chart-reports-desc">A &amp; B</desc>' in html
    assert "<script" not in html and "style=" not in html
    # One series needs no legend.
    assert "chart-legend" not in html


def test_a_chart_whose_rows_say_it_all_has_no_legend():
    chart = charts.horizontal_bars(
        key="reports",
        title="t",
        desc="d",
        rows=[("Upheld", [("upheld", "Reports", 3)]), ("Dismissed", [("dismissed", "Reports", 1)])],
        words=str,
        legend=False,
    )
    assert chart.legend == ()
    assert [bar.series for bar in chart.bars] == ["upheld", "dismissed"]
