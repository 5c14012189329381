"""How much a member's report weighs towards hiding a post before any moderator has read it.

Hiding by reports is an emergency brake that acts before a person looks, so it listens to
members by their standing here: how long they have been a member, whether they have had posts
published, and how often moderators upheld what they reported. Accounts made a minute ago
weigh little, and all such accounts together are capped below the threshold, so no number of
them can hide a post; their reports still reach the queue and count in its score. The weights
are settings (AUTO_HIDE_*), explained with a worked example in docs/security.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.conf import settings
from django.db.models import Count

from accounts.models import User
from forum.models import Status

from .models import Report, ReportReason
from .permissions import can_moderate

# A report is upheld when the moderator's decision left the post hidden or removed (a decision
# that kept or approved it dismissed the report).
UPHELD_STATUSES = (Status.HIDDEN, Status.REMOVED)


@dataclass(frozen=True, slots=True)
class Standing:
    """What a reporter's report weighs by: their account, posts and past reports."""

    joined_at: datetime
    published_posts: int
    upheld_reports: int
    moderates: bool


def _setting(name: str) -> Fraction:
    # Exact arithmetic: ten reports of 0.1 make exactly 1, never 0.9999999.
    return Fraction(str(getattr(settings, name)))


def upheld_reports(users: Iterable[User]) -> dict[int, int]:
    """How many of each member's closed reports were upheld, by member id (one query)."""
    rows = (
        Report.objects.filter(
            reporter__in=[user.pk for user in users],
            closed_at__isnull=False,
            post__status__in=UPHELD_STATUSES,
        )
        .exclude(reason=ReportReason.APPEAL)
        .values("reporter_id")
        .annotate(upheld=Count("id"))
    )
    return {row["reporter_id"]: row["upheld"] for row in rows}


def standings(users: Iterable[User]) -> list[Standing]:
    """The standing of each of `users` (two queries whatever their number: theirs and this)."""
    members = list(users)
    upheld = upheld_reports(members)
    return [
        Standing(
            joined_at=user.date_joined,
            # The forum's own count of a member's published posts: the one that lets their
            # posts skip the new member's wait.
            published_posts=user.approved_post_count,
            upheld_reports=upheld.get(user.pk, 0),
            moderates=can_moderate(user),
        )
        for user in members
    ]


def is_newcomer(standing: Standing, *, now: datetime) -> bool:
    """A reporter without standing yet: a young account, or one with no published post and no
    upheld report."""
    young = now - standing.joined_at < timedelta(hours=settings.AUTO_HIDE_NEW_ACCOUNT_HOURS)
    track_record = standing.published_posts > 0 or standing.upheld_reports > 0
    return young or not track_record


def report_weight(standing: Standing, *, now: datetime) -> Fraction:
    """How much one report weighs towards hiding, before the newcomers' cap."""
    if standing.moderates:
        # A moderator's report is a moderator looking: it hides at once, as before.
        return _setting("AUTO_HIDE_THRESHOLD")
    if is_newcomer(standing, now=now):
        return _setting("AUTO_HIDE_NEWCOMER_WEIGHT")
    earned = _setting("AUTO_HIDE_MEMBER_WEIGHT") + standing.upheld_reports * _setting(
        "AUTO_HIDE_UPHELD_BONUS"
    )
    return min(earned, _setting("AUTO_HIDE_MEMBER_MAX"))


def total_weight(reporters: Iterable[Standing], *, now: datetime) -> Fraction:
    """What the reports weigh together: newcomers' weights add up to AUTO_HIDE_NEWCOMERS_MAX at
    most, so accounts made for the purpose never hide a post by themselves."""
    newcomers = Fraction(0)
    others = Fraction(0)
    for standing in reporters:
        if not standing.moderates and is_newcomer(standing, now=now):
            newcomers += report_weight(standing, now=now)
        else:
            others += report_weight(standing, now=now)
    return min(newcomers, _setting("AUTO_HIDE_NEWCOMERS_MAX")) + others


def hides(reporters: Iterable[Standing], *, now: datetime) -> bool:
    """Whether these reports together weigh enough to hide the post until a moderator looks."""
    return total_weight(reporters, now=now) >= _setting("AUTO_HIDE_THRESHOLD")
