"""The numbers that show the review queue works: how much came in and went out, how long
people waited, and what became of reports.

Reads are a fixed handful of queries whatever the number of rows: per-day counts are grouped in
the database, and waiting times come back as one compact list of timestamps per decision, from
which medians and percentiles are computed here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate

from accounts.models import User

from .models import (
    DecisionTiming,
    DutyRota,
    ModerationAction,
    ModerationLog,
    Report,
    ReportReason,
    ReviewItem,
)

# The periods a moderator can look back over, in days.
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 7

# Decisions a moderator makes on a review item (each closes it). Lifting a sanction, taking an
# item over and the system's own rows are not decisions.
DECIDING_ACTIONS = (
    ModerationAction.KEEP,
    ModerationAction.HIDE,
    ModerationAction.REMOVE,
    ModerationAction.EDIT,
    ModerationAction.LOCK,
    ModerationAction.UNLOCK,
    ModerationAction.APPROVE,
    ModerationAction.REJECT,
    ModerationAction.WARN,
    ModerationAction.MUTE,
    ModerationAction.SUSPEND,
)
# A report is upheld when the decision took the post down, dismissed when the post stayed up.
UPHOLDING_ACTIONS = (ModerationAction.HIDE, ModerationAction.REMOVE, ModerationAction.REJECT)
DISMISSING_ACTIONS = (ModerationAction.KEEP, ModerationAction.APPROVE)

LANES = (
    ("at_risk", "Someone may be at risk"),
    ("reported", "Reported"),
    ("new_member", "New members' posts"),
)


def zone_of(user: User) -> ZoneInfo:
    """The time zone a moderator keeps their duty hours in (UTC until they set one): the zone
    every day and time on these pages is shown in."""
    name = DutyRota.objects.filter(moderator=user).values_list("time_zone", flat=True).first()
    return ZoneInfo(name or "UTC")


def percentile(values: Sequence[float], p: float) -> float | None:
    """The `p`th percentile of `values` by the nearest-rank method: the smallest value with at
    least p% of the values at or below it (rank ceil(p/100 * n), counting from 1). It is always
    one of the values, never an interpolation. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float | None:
    """The nearest-rank 50th percentile: for an even count, the lower of the middle two."""
    return percentile(values, 50)


def duration_words(minutes: float | None) -> str:
    """Minutes as a person reads them: "under a minute", "12 min", "3 h 5 min", "2 days 4 h"."""
    if minutes is None:
        return "no decisions yet"
    whole = int(minutes)
    if whole < 1:
        return "under a minute"
    if whole < 60:
        return f"{whole} min"
    hours, mins = divmod(whole, 60)
    if hours < 48:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"


@dataclass(frozen=True)
class Spread:
    """Minutes waited: how many, the median and the 90th percentile (nearest rank)."""

    count: int
    median: float | None
    p90: float | None


def spread(minutes: Sequence[float]) -> Spread:
    return Spread(count=len(minutes), median=median(minutes), p90=percentile(minutes, 90))


def days_in(*, now: datetime, days: int, zone: tzinfo) -> list[date]:
    """The `days` calendar days in `zone` ending with today there, oldest first."""
    today = now.astimezone(zone).date()
    return [today - timedelta(days=back) for back in range(days - 1, -1, -1)]


def period_start(*, now: datetime, days: int, zone: tzinfo) -> datetime:
    """Midnight in `zone` at the start of the first of those days (the counts' lower bound)."""
    first = days_in(now=now, days=days, zone=zone)[0]
    return datetime.combine(first, datetime.min.time(), tzinfo=zone)


def per_day(counts: dict[date, int], days: list[date]) -> list[tuple[date, int]]:
    """One (day, count) per day, zero for days with nothing."""
    return [(day, counts.get(day, 0)) for day in days]


def _daily(rows) -> dict[date, int]:
    return {row["day"]: row["n"] for row in rows}


def opened_per_day(*, since: datetime, zone: tzinfo) -> dict[date, int]:
    """Items by the day (in `zone`) of their latest opening: an item reopened by a later report
    counts on the day it reopened."""
    return _daily(
        ReviewItem.objects.filter(opened_at__gte=since)
        .annotate(day=TruncDate("opened_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )


def decisions() -> QuerySet[ModerationLog]:
    """Moderators' decisions on review items (the moderation log rows that close one)."""
    return ModerationLog.objects.filter(
        actor__isnull=False, review_item__isnull=False, action__in=DECIDING_ACTIONS
    )


def closed_per_day(*, since: datetime, zone: tzinfo) -> dict[date, int]:
    """Decisions by the day (in `zone`) they were made: each closed an item."""
    return _daily(
        decisions()
        .filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )


@dataclass(frozen=True)
class Timing:
    """One decision's times (aware datetimes) and lanes, as read from DecisionTiming."""

    opened_at: datetime
    alerted_at: datetime | None
    claimed_at: datetime | None
    decided_at: datetime
    at_risk: bool
    reported: bool
    new_member: bool

    @property
    def first_action_at(self) -> datetime:
        """The claim, or the decision when nobody claimed it first."""
        if self.claimed_at is not None and self.claimed_at < self.decided_at:
            return self.claimed_at
        return self.decided_at


def timings(*, since: datetime) -> list[Timing]:
    """Every decision made since `since`, as compact tuples (one query)."""
    rows = DecisionTiming.objects.filter(decided_at__gte=since).values_list(
        "opened_at",
        "alerted_at",
        "claimed_at",
        "decided_at",
        "at_risk",
        "reported",
        "new_member",
    )
    return [Timing(*row) for row in rows]


def _minutes(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 60)


def first_action_by_lane(found: list[Timing]) -> list[tuple[str, str, Spread]]:
    """(lane, label, minutes from opening to the first action) per lane; an item in several
    lanes (reported and at risk) counts in each, as in the queue's filters."""
    return [
        (
            lane,
            label,
            spread([_minutes(t.opened_at, t.first_action_at) for t in found if getattr(t, lane)]),
        )
        for lane, label in LANES
    ]


@dataclass(frozen=True)
class AtRiskTimes:
    """At-risk items: from the first alert to the claim, and from the claim to the decision."""

    to_claim: Spread
    to_decision: Spread
    # Decided without anyone claiming them first (counted in neither spread above).
    unclaimed: int


def at_risk_times(found: list[Timing]) -> AtRiskTimes:
    at_risk = [t for t in found if t.at_risk]
    claimed = [t for t in at_risk if t.claimed_at is not None and t.claimed_at <= t.decided_at]
    return AtRiskTimes(
        to_claim=spread(
            [_minutes(t.alerted_at or t.opened_at, t.claimed_at) for t in claimed if t.claimed_at]
        ),
        to_decision=spread([_minutes(t.claimed_at, t.decided_at) for t in claimed if t.claimed_at]),
        unclaimed=len(at_risk) - len(claimed),
    )


@dataclass(frozen=True)
class Oldest:
    """The item that has waited longest (no text: its id, lanes and when it opened)."""

    pk: int
    opened_at: datetime
    at_risk: bool
    needs_approval: bool
    report_count: int

    def waited(self, now: datetime) -> timedelta:
        return now - self.opened_at


def oldest_waiting() -> Oldest | None:
    row = (
        ReviewItem.objects.open()
        .order_by("opened_at", "id")
        .values_list("pk", "opened_at", "at_risk", "needs_approval", "report_count")
        .first()
    )
    return Oldest(*row) if row else None


@dataclass(frozen=True)
class ReportOutcomes:
    """Members' reports closed in the period, by what the decision did with the post."""

    upheld: int
    dismissed: int
    other: int

    @property
    def total(self) -> int:
        return self.upheld + self.dismissed + self.other


def report_outcomes(*, since: datetime) -> ReportOutcomes:
    """Reports (not the author's own appeals) closed since `since`, each classified by the
    decision that closed it: the first decision on its item at or after it was closed. Reports
    closed otherwise (the post deleted by its author) count as other."""
    closing_action = Subquery(
        decisions()
        .filter(review_item_id=OuterRef("review_item_id"), created_at__gte=OuterRef("closed_at"))
        .order_by("created_at", "id")
        .values("action")[:1]
    )
    rows = (
        Report.objects.filter(closed_at__gte=since)
        .exclude(reason=ReportReason.APPEAL)
        .annotate(outcome=closing_action)
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["outcome"]: row["n"] for row in rows}
    upheld = sum(counts.pop(action, 0) for action in UPHOLDING_ACTIONS)
    dismissed = sum(counts.pop(action, 0) for action in DISMISSING_ACTIONS)
    return ReportOutcomes(upheld=upheld, dismissed=dismissed, other=sum(counts.values()))


@dataclass(frozen=True)
class Insights:
    """Everything the insights page and the weekly summary show, for one period and zone."""

    days: int
    since: datetime
    now: datetime
    daily: list[tuple[date, int, int]]
    first_action: list[tuple[str, str, Spread]]
    at_risk: AtRiskTimes
    oldest: Oldest | None
    waiting: int
    reports: ReportOutcomes

    @property
    def opened(self) -> int:
        return sum(opened for _, opened, _ in self.daily)

    @property
    def closed(self) -> int:
        return sum(closed for _, _, closed in self.daily)


def insights(*, now: datetime, days: int, zone: tzinfo) -> Insights:
    """The figures for the `days` calendar days (in `zone`) up to `now`: six queries,
    whatever the number of items, reports and decisions."""
    since = period_start(now=now, days=days, zone=zone)
    calendar = days_in(now=now, days=days, zone=zone)
    opened = opened_per_day(since=since, zone=zone)
    closed = closed_per_day(since=since, zone=zone)
    found = timings(since=since)
    return Insights(
        days=days,
        since=since,
        now=now,
        daily=[(day, opened.get(day, 0), closed.get(day, 0)) for day in calendar],
        first_action=first_action_by_lane(found),
        at_risk=at_risk_times(found),
        oldest=oldest_waiting(),
        waiting=ReviewItem.objects.open().count(),
        reports=report_outcomes(since=since),
    )
