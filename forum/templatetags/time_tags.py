"""The one way a page shows a time: `{% when value %}` in pages, `{% when_text value %}` in email.

`{% when value %}` prints the absolute time in the page's time zone, named ("1 Dec 2026, 14:05
UTC"), in a `<time datetime>` element with the same words as its title. That is all the server
ever writes, so a cached fragment (forum/fragments.py) holding it never goes stale. Where scripts
run, static/js/time.js turns the words into "3 hours ago", keeps them fresh, and puts the
absolute time in the reader's own time zone in the title and in visually hidden text for screen
readers. Without scripts the reader sees the labelled absolute time.

The time zone is the active one: UTC unless a page chose the reader's zone (a moderator's duty
rota zone, `{% timezone %}`). Only times written in UTC are moved into the browser's zone; a zone
a page chose on purpose is kept and named.

Calendar days are not moments: `{% when value "date" %}` ("1 Dec 2026"), `"weekday"`
("Mon 1 Dec") and `"month"` ("December 2026") print a day or a month, with no time of day and no
script.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

MOMENT = "j M Y, H:i"
DAYS = {"date": "j M Y", "weekday": "D j M", "month": "F Y"}


def _zone_label(moment: datetime) -> str:
    """A short name for the moment's zone ("UTC", "GMT", "NZDT"); the zone's key where it has
    no abbreviation (zoneinfo gives "+03" for some)."""
    name = moment.tzname() or ""
    if name.isalpha():
        return name
    return timezone.get_current_timezone_name()


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def absolute(value: datetime) -> str:
    """ "1 Dec 2026, 14:05 UTC": the moment in the active time zone, the zone named."""
    moment = _local(value)
    return f"{dateformat.format(moment, MOMENT)} {_zone_label(moment)}"


@register.simple_tag
def when(value: datetime | date | None, form: str = "moment") -> SafeString | str:
    """A `<time>` element for a moment (default) or a calendar day ("date", "weekday",
    "month"); nothing for None."""
    if value is None or value == "":
        return ""
    if form in DAYS:
        day = _local(value).date() if isinstance(value, datetime) else value
        return format_html(
            '<time datetime="{}">{}</time>', day.isoformat(), dateformat.format(day, DAYS[form])
        )
    if form != "moment":
        raise template.TemplateSyntaxError(f"when: unknown form {form!r}")
    if not isinstance(value, datetime):
        raise template.TemplateSyntaxError("when: a moment needs a datetime, not a date")
    words = absolute(value)
    aware = timezone.is_aware(value)
    # time.js moves only UTC words into the reader's zone; a zone the page chose stays.
    zone = "utc" if aware and timezone.get_current_timezone_name() == "UTC" else "kept"
    return format_html(
        '<time datetime="{}" title="{}" data-when="{}">{}</time>',
        value.astimezone(UTC).isoformat() if aware else value.isoformat(),
        words,
        zone,
        words,
    )


@register.simple_tag
def when_text(value: datetime | date | None, form: str = "moment") -> str:
    """The same words as plain text, for email and for text inside attributes: a moment is
    absolute and its zone named ("1 Dec 2026, 14:05 UTC"), as email runs no script."""
    if value is None or value == "":
        return ""
    if form in DAYS:
        day = _local(value).date() if isinstance(value, datetime) else value
        return dateformat.format(day, DAYS[form])
    if not isinstance(value, datetime):
        raise template.TemplateSyntaxError("when_text: a moment needs a datetime, not a date")
    return absolute(value)
