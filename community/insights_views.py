"""The numbers that show the review queue works, and each moderator's own recent load."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest

from . import care, charts, first_replies, insights, services
from .insights import LANES, Insights
from .views import moderator_required

SERIES_OPENED = ("opened", "Opened")
SERIES_CLOSED = ("closed", "Closed")
SERIES_MEDIAN = ("median", "Median")
SERIES_P90 = ("p90", "9 in 10 within")


def _period(request: AuthenticatedRequest) -> int:
    try:
        days = int(request.GET.get("days", insights.DEFAULT_PERIOD))
    except ValueError:
        return insights.DEFAULT_PERIOD
    return days if days in insights.PERIODS else insights.DEFAULT_PERIOD


def _charts(figures: Insights) -> dict[str, charts.Chart]:
    days = [day for day, _, _ in figures.daily]
    opened = [n for _, n, _ in figures.daily]
    closed = [n for _, _, n in figures.daily]
    busiest = max(figures.daily, key=lambda row: row[1], default=None)
    lanes = {lane: s for lane, _, s in figures.first_action}
    at_risk = figures.at_risk
    reports = figures.reports
    return {
        "daily": charts.daily_columns(
            key="daily",
            title="Items opened and closed per day",
            desc=(
                f"Over the last {figures.days} days, {figures.opened} items were opened and "
                f"{figures.closed} closed"
                + (
                    f"; the busiest day was {charts.day_words(busiest[0])} with {busiest[1]} "
                    "opened."
                    if busiest and busiest[1]
                    else "."
                )
            ),
            days=days,
            series=[(*SERIES_OPENED, opened), (*SERIES_CLOSED, closed)],
        ),
        "first_action": charts.horizontal_bars(
            key="first-action",
            title="Time to first action, by lane",
            desc="; ".join(
                f"{label}: median {insights.duration_words(lanes[lane].median)}, 9 in 10 "
                f"within {insights.duration_words(lanes[lane].p90)}"
                for lane, label in LANES
            ),
            rows=[
                (
                    label,
                    [
                        (*SERIES_MEDIAN, lanes[lane].median),
                        (*SERIES_P90, lanes[lane].p90),
                    ],
                )
                for lane, label in LANES
            ],
            words=insights.duration_words,
        ),
        "at_risk": charts.horizontal_bars(
            key="at-risk",
            title="Someone may be at risk: from alert to claim to decision",
            desc=(
                f"From the alert to a claim: median "
                f"{insights.duration_words(at_risk.to_claim.median)}, 9 in 10 within "
                f"{insights.duration_words(at_risk.to_claim.p90)}. From the claim to the "
                f"decision: median {insights.duration_words(at_risk.to_decision.median)}, "
                f"9 in 10 within {insights.duration_words(at_risk.to_decision.p90)}."
            ),
            rows=[
                (
                    "Alert to claim",
                    [
                        (*SERIES_MEDIAN, at_risk.to_claim.median),
                        (*SERIES_P90, at_risk.to_claim.p90),
                    ],
                ),
                (
                    "Claim to decision",
                    [
                        (*SERIES_MEDIAN, at_risk.to_decision.median),
                        (*SERIES_P90, at_risk.to_decision.p90),
                    ],
                ),
            ],
            words=insights.duration_words,
        ),
        "reports": charts.horizontal_bars(
            key="reports",
            title="What became of members' reports",
            desc=(
                f"{reports.upheld} upheld (the post was hidden, removed or not published), "
                f"{reports.dismissed} dismissed (the post stayed up or was published), "
                f"{reports.other} closed another way."
            ),
            rows=[
                ("Upheld", [("upheld", "Reports", reports.upheld)]),
                ("Dismissed", [("dismissed", "Reports", reports.dismissed)]),
                ("Another way", [("other", "Reports", reports.other)]),
            ],
            words=lambda value: f"{int(value or 0)}",
            legend=False,
        ),
    }


@moderator_required
@require_GET
def insights_page(request: AuthenticatedRequest) -> HttpResponse:
    days = _period(request)
    zone = insights.zone_of(request.user)
    now = timezone.now()
    figures = insights.insights(now=now, days=days, zone=zone)
    return render(
        request,
        "community/moderation/insights.html",
        {
            "figures": figures,
            "charts": _charts(figures),
            "periods": insights.PERIODS,
            "zone": zone,
            "now": now,
            "oldest_waited": figures.oldest.waited(now).total_seconds() / 60
            if figures.oldest
            else None,
            "first_replies": first_replies.first_reply_times(since=figures.since, now=now),
        },
    )


@moderator_required
@require_GET
def my_load(request: AuthenticatedRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "community/moderation/my_load.html",
        {
            "load": care.recent_load(request.user, now=now),
            "notice": care.care_notice(request.user, now=now),
            "zone": insights.zone_of(request.user),
        },
    )


@moderator_required
@require_POST
def take_break(request: AuthenticatedRequest) -> HttpResponse:
    rested = services.hand_back_claims(moderator=request.user)
    if rested.claims_returned:
        handed = (
            "The item you had claimed is"
            if rested.claims_returned == 1
            else f"The {rested.claims_returned} items you had claimed are"
        )
        messages.success(
            request,
            f"Thank you for all you carried today. {handed} back in the queue for the team; "
            "urgent ones alert them as usual. Take the time you need.",
        )
    else:
        messages.success(
            request,
            "Thank you for all you carried today. You had nothing claimed, so nothing is "
            "waiting on you. Take the time you need.",
        )
    return redirect("community:my_load")
