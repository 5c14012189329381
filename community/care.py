"""Care for the moderators: how much of the hardest work each one has carried lately.

Reading about people at risk, one after another, wears on anyone. After a moderator has
handled MODERATOR_BREAK_AFTER_AT_RISK at-risk items within 24 hours, the queue and item pages
suggest a break and offer to hand their open claims back (services.hand_back_claims). A break
starts the count again, so the suggestion does not follow them straight back in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q

from accounts.models import User

from .models import CareBreak, DecisionTiming, ReviewItem

DAY = timedelta(hours=24)
WEEK = timedelta(days=7)


def last_break(moderator: User) -> CareBreak | None:
    return CareBreak.objects.filter(moderator=moderator).order_by("-taken_at", "-id").first()


def at_risk_handled(moderator: User, *, now: datetime) -> int:
    """At-risk items `moderator` decided in the 24 hours before `now`, since their last break."""
    since = now - DAY
    rested = last_break(moderator)
    if rested is not None and rested.taken_at > since:
        since = rested.taken_at
    return DecisionTiming.objects.filter(
        moderator=moderator, at_risk=True, decided_at__gt=since, decided_at__lte=now
    ).count()


@dataclass(frozen=True)
class CareNotice:
    """What the break suggestion says: how many at-risk items, and how many claims are open."""

    at_risk_handled: int
    open_claims: int


def care_notice(moderator: User, *, now: datetime) -> CareNotice | None:
    """The break suggestion `moderator` should see now, or None (members never get one)."""
    if not moderator.is_authenticated or not moderator.is_moderator:
        return None
    handled = at_risk_handled(moderator, now=now)
    if handled < settings.MODERATOR_BREAK_AFTER_AT_RISK:
        return None
    return CareNotice(
        at_risk_handled=handled,
        open_claims=ReviewItem.objects.open().filter(claimed_by=moderator).count(),
    )


@dataclass(frozen=True)
class Load:
    """A moderator's decisions over one span, and how many of them were about someone at risk."""

    decisions: int
    at_risk: int


@dataclass(frozen=True)
class RecentLoad:
    day: Load
    week: Load
    open_claims: int
    last_break: CareBreak | None
    threshold: int


def recent_load(moderator: User, *, now: datetime) -> RecentLoad:
    """`moderator`'s last 24 hours and 7 days of decisions, their open claims and last break
    (four queries)."""
    day_since, week_since = now - DAY, now - WEEK
    counts = DecisionTiming.objects.filter(
        moderator=moderator, decided_at__gt=week_since, decided_at__lte=now
    ).aggregate(
        week=Count("id"),
        week_at_risk=Count("id", filter=Q(at_risk=True)),
        day=Count("id", filter=Q(decided_at__gt=day_since)),
        day_at_risk=Count("id", filter=Q(decided_at__gt=day_since, at_risk=True)),
    )
    return RecentLoad(
        day=Load(decisions=counts["day"], at_risk=counts["day_at_risk"]),
        week=Load(decisions=counts["week"], at_risk=counts["week_at_risk"]),
        open_claims=ReviewItem.objects.open().filter(claimed_by=moderator).count(),
        last_break=last_break(moderator),
        threshold=settings.MODERATOR_BREAK_AFTER_AT_RISK,
    )
