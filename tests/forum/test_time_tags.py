"""The one time format ({% when %}, forum/templatetags/time_tags.py), and a guard that no
template formats a time any other way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

MOMENT = datetime(2026, 12, 1, 14, 5, 30, tzinfo=UTC)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_moment_is_absolute_labelled_utc_and_marked_for_the_script():
    assert render("{% when at %}", at=MOMENT) == (
        '<time datetime="2026-12-01T14:05:30+00:00" title="1 Dec 2026, 14:05 UTC" '
        'data-when="utc">1 Dec 2026, 14:05 UTC</time>'
    )


def test_a_moment_in_a_zone_the_page_chose_is_named_and_kept():
    html = render(
        "{% load tz %}{% timezone 'Pacific/Auckland' %}{% when at %}{% endtimezone %}", at=MOMENT
    )
    # The machine-readable time stays UTC; the words are the chosen zone's, named.
    assert html == (
        '<time datetime="2026-12-01T14:05:30+00:00" title="2 Dec 2026, 03:05 NZDT" '
        'data-when="kept">2 Dec 2026, 03:05 NZDT</time>'
    )


def test_a_zone_without_an_abbreviation_is_named_by_its_key():
    with timezone.override(ZoneInfo("America/Sao_Paulo")):
        assert "1 Dec 2026, 11:05 America/Sao_Paulo</time>" in render("{% when at %}", at=MOMENT)


def test_days_and_months_have_no_time_of_day_and_no_script():
    assert (
        render('{% when at "date" %}', at=MOMENT) == '<time datetime="2026-12-01">1 Dec 2026</time>'
    )
    assert render('{% when at "weekday" %}', at=date(2026, 11, 30)) == (
        '<time datetime="2026-11-30">Mon 30 Nov</time>'
    )
    assert render('{% when at "month" %}', at=MOMENT) == (
        '<time datetime="2026-12-01">December 2026</time>'
    )


def test_a_day_is_the_day_in_the_pages_zone():
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        late = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
        assert ">2 Dec 2026</time>" in render('{% when at "date" %}', at=late)


def test_nothing_is_shown_for_no_time():
    assert render("{% when at %}{% when_text at %}", at=None) == ""


def test_email_text_is_absolute_and_labelled():
    assert render("{% when_text at %}", at=MOMENT) == "1 Dec 2026, 14:05 UTC"
    assert render('{% when_text at "weekday" %}', at=MOMENT) == "Tue 1 Dec"


def test_a_moment_needs_a_time_of_day_and_a_known_form():
    with pytest.raises(TemplateSyntaxError):
        render("{% when at %}", at=date(2026, 12, 1))
    with pytest.raises(TemplateSyntaxError):
        render('{% when at "fortnight" %}', at=MOMENT)


def test_words_are_escaped():
    # Nothing member-written reaches the tag, but its output is built with format_html anyway.
    assert "<script" not in render("{% when at %}", at=MOMENT)


# Any of these in a template is a second way of showing a time.
OTHER_WAYS = re.compile(
    r"\|\s*(date|time|timesince|timeuntil|naturaltime|naturalday)\b|\{%\s*now\b"
)


def test_no_template_formats_a_time_another_way():
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(settings.BASE_DIR) / app / "templates" for app in ("accounts", "forum", "community")
    ]
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for root in roots
        if root.is_dir()
        for path in sorted(root.rglob("*"))
        if path.suffix in {".html", ".txt"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OTHER_WAYS.search(line)
    ]
    assert offenders == [], "use {% when value %} (or {% when_text %} in email):\n" + "\n".join(
        offenders
    )


def test_the_guard_would_catch_the_old_ways():
    for line in (
        '{{ a|date:"j M" }}',
        "{{ a|naturaltime }}",
        "{{ a | timesince }}",
        '{% now "Y" %}',
    ):
        assert OTHER_WAYS.search(line), line
    assert not OTHER_WAYS.search("{{ n|pluralize }} {% when a %} {{ a.date_joined }}")
