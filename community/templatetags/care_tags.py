"""Care for the moderators in any moderation page: the break suggestion, and durations."""

from __future__ import annotations

from django import template
from django.utils import timezone

from community.care import CareNotice, care_notice
from community.insights import duration_words

register = template.Library()


@register.simple_tag(takes_context=True)
def care_notice_for_viewer(context: template.Context) -> CareNotice | None:
    """The break suggestion for the signed-in moderator viewing the page (None for anyone
    else, members included)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return None
    return care_notice(user, now=timezone.now())


@register.filter
def duration(minutes: float | None) -> str:
    """Minutes in words: "12 min", "3 h 5 min"."""
    return duration_words(minutes)
