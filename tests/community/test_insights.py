"""The insights figures (community/insights.py) against seeded histories with known answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import insights, services
from community.models import (
    DutyRota,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
)
from tests.factories import UserFactory, make_reply, make_topic

NOW = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


# --- percentiles and medians (nearest rank) --------------------------------------------------


def test_eleven_waits_of_one_to_eleven_minutes_have_median_6_and_p90_10():
    minutes = list(range(11, 0, -1))  # order must not matter
    assert insights.median(minutes) == 6
    assert insights.percentile(minutes, 90) == 10


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        (list(range(1, 11)), 50, 5),  # even count: the lower of the middle two
        (list(range(1, 11)), 90, 9),
        (list(range(1, 21)), 90, 18),
        ([7], 50, 7),
        ([7], 90, 7),
        ([3, 1, 2], 100, 3),
        ([3, 1, 2], 0, 1),
        ([15, 20, 35, 40, 50], 30, 20),  # the textbook example of the method
        ([15, 20, 35, 40, 50], 40, 20),
        ([15, 20, 35, 40, 50], 50, 35),
    ],
)
def test_percentiles_are_nearest_rank(values, p, expected):
    assert insights.percentile(values, p) == expected


def test_no_values_have_no_median():
    assert insights.median([]) is None
    assert insights.spread([]) == insights.Spread(count=0, median=None, p90=None)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (None, "no decisions yet"),
        (0.4, "under a minute"),
        (12.9, "12 min"),
        (60, "1 h"),
        (185, "3 h 5 min"),
        (47 * 60 + 59, "47 h 59 min"),
        (52 * 60, "2 days 4 h"),
        (72 * 60, "3 days"),
    ],
)
def test_durations_read_as_a_person_would_say_them(minutes, words):
    assert insights.duration_words(minutes) == words


# --- days in the viewer's zone ---------------------------------------------------------------


def test_the_period_is_calendar_days_in_the_viewers_zone():
    # 01:30 UTC on 1 December is still 30 November in New York, already 02:30 in Berlin.
    assert insights.days_in(now=NOW, days=7, zone=NEW_YORK) == [
        date(2026, 11, 24) + timedelta(days=n) for n in range(7)
    ]
    assert insights.days_in(now=NOW, days=7, zone=BERLIN)[-1] == date(2026, 12, 1)
    start = insights.period_start(now=NOW, days=7, zone=BERLIN)
    assert start == datetime(2026, 11, 25, 0, 0, tzinfo=BERLIN)
    assert insights.per_day({date(2026, 11, 30): 2}, [date(2026, 11, 29), date(2026, 11, 30)]) == [
        (date(2026, 11, 29), 0),
        (date(2026, 11, 30), 2),
    ]


def test_a_moderators_zone_is_their_duty_zone(moderator):
    assert insights.zone_of(moderator) == ZoneInfo("UTC")
    DutyRota.objects.create(moderator=moderator, time_zone="Europe/Berlin")
    assert insights.zone_of(moderator) == BERLIN


@pytest.fixture
def around_midnight(db):
    """Two items opened an hour apart either side of midnight UTC, both decided at 02:00 UTC."""
    topic = make_topic()
    moderator = UserFactory(role="moderator")
    for opened in (
        datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
        datetime(2026, 12, 1, 0, 30, tzinfo=UTC),
    ):
        post = make_reply(topic=topic)
        item = ReviewItem.objects.create(post=post, opened_at=opened)
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationAction.KEEP,
            target_user=post.author,
            post=post,
            review_item=item,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Fine.",
            created_at=opened + timedelta(minutes=45),
        )


def test_per_day_counts_follow_the_viewers_midnight(around_midnight):
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def daily(zone):
        figures = insights.insights(now=now, days=7, zone=zone)
        return {day: (opened, closed) for day, opened, closed in figures.daily if opened or closed}

    # UTC: one on each side of midnight (closed at 00:15 and 01:15, both on 1 Dec).
    assert daily(UTC) == {date(2026, 11, 30): (1, 0), date(2026, 12, 1): (1, 2)}
    # Berlin (UTC+1): both opened after midnight there.
    assert daily(BERLIN) == {date(2026, 12, 1): (2, 2)}
    # New York (UTC-5): everything happened on the evening of 30 November.
    assert daily(NEW_YORK) == {date(2026, 11, 30): (2, 2)}


def test_a_day_outside_the_period_is_not_counted(around_midnight):
    # Seen from 8 December, 30 November and 1 December are outside the last 7 days.
    figures = insights.insights(
        now=datetime(2026, 12, 8, 12, 0, tzinfo=UTC), days=7, zone=ZoneInfo("UTC")
    )
    assert (figures.opened, figures.closed) == (0, 0)
    assert figures.daily[0][0] == date(2026, 12, 2)
    assert len(insights.insights(now=NOW, days=30, zone=UTC).daily) == 30


# --- waiting times from seeded decisions -----------------------------------------------------


def test_at_risk_alert_to_claim_to_decision_has_known_medians(decided):
    alert = NOW - timedelta(hours=5)
    for minutes in range(1, 12):
        claimed = alert + timedelta(minutes=minutes)
        decided(
            opened_at=alert - timedelta(minutes=2),
            alerted_at=alert,
            claimed_at=claimed,
            decided_at=claimed + timedelta(minutes=10 * minutes),
            at_risk=True,
        )
    # One at-risk item nobody claimed is counted apart, not as a zero wait.
    decided(
        opened_at=alert, alerted_at=alert, decided_at=alert + timedelta(minutes=3), at_risk=True
    )

    figures = insights.insights(now=NOW, days=7, zone=UTC)

    assert figures.at_risk.to_claim == insights.Spread(count=11, median=6, p90=10)
    assert figures.at_risk.to_decision == insights.Spread(count=11, median=60, p90=100)
    assert figures.at_risk.unclaimed == 1


def test_time_to_first_action_per_lane(decided):
    start = NOW - timedelta(days=2)
    # Reported: first actions after 10, 20, 30 minutes (the claim, or the decision unclaimed).
    decided(
        opened_at=start,
        claimed_at=start + timedelta(minutes=10),
        decided_at=start + timedelta(hours=2),
        reported=True,
    )
    decided(opened_at=start, decided_at=start + timedelta(minutes=20), reported=True)
    decided(
        opened_at=start,
        claimed_at=start + timedelta(minutes=30),
        decided_at=start + timedelta(minutes=31),
        reported=True,
    )
    # New members: 5 minutes. At risk and reported: 2 minutes, in both lanes.
    decided(opened_at=start, decided_at=start + timedelta(minutes=5), new_member=True)
    decided(
        opened_at=start,
        alerted_at=start,
        claimed_at=start + timedelta(minutes=2),
        decided_at=start + timedelta(minutes=9),
        at_risk=True,
        reported=True,
    )
    # Decided before the period: not counted.
    decided(
        opened_at=start - timedelta(days=20), decided_at=start - timedelta(days=19), reported=True
    )

    lanes = {
        lane: spread
        for lane, _, spread in insights.insights(now=NOW, days=7, zone=UTC).first_action
    }

    assert lanes["reported"] == insights.Spread(count=4, median=10, p90=30)
    assert lanes["new_member"] == insights.Spread(count=1, median=5, p90=5)
    assert lanes["at_risk"] == insights.Spread(count=1, median=2, p90=2)


def test_the_oldest_waiting_item_is_the_open_one_opened_first(db):
    topic = make_topic()
    older, newer, done = (make_reply(topic=topic) for _ in range(3))
    ReviewItem.objects.create(post=newer, opened_at=NOW - timedelta(hours=1), report_count=1)
    first = ReviewItem.objects.create(post=older, opened_at=NOW - timedelta(hours=3), at_risk=True)
    ReviewItem.objects.create(
        post=done, opened_at=NOW - timedelta(days=3), status=ReviewStatus.RESOLVED
    )

    figures = insights.insights(now=NOW, days=7, zone=UTC)

    assert figures.waiting == 2
    assert figures.oldest is not None
    assert (figures.oldest.pk, figures.oldest.at_risk) == (first.pk, True)
    assert figures.oldest.waited(NOW) == timedelta(hours=3)


def test_nothing_waiting_has_no_oldest_item(db):
    figures = insights.insights(now=NOW, days=7, zone=UTC)
    assert figures.oldest is None
    assert figures.waiting == 0


# --- what became of reports ------------------------------------------------------------------


def _reported(post, reasons, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for reason in reasons:
            services.report_post(reporter=UserFactory(), post=post, reason=reason)
    return ReviewItem.objects.get(post=post)


def test_reports_are_upheld_dismissed_or_closed_another_way(
    moderator, django_capture_on_commit_callbacks
):
    topic = make_topic()
    hidden, kept, warned = (make_reply(topic=topic) for _ in range(3))
    for post, action, reasons in (
        (hidden, ModerationAction.HIDE, [ReportReason.SPAM, ReportReason.UNSUPPORTIVE]),
        (kept, ModerationAction.KEEP, [ReportReason.OTHER]),
        (warned, ModerationAction.WARN, [ReportReason.UNSUPPORTIVE]),
    ):
        item = _reported(post, reasons, django_capture_on_commit_callbacks)
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=action,
            reason=ModerationReason.WITHIN_GUIDELINES
            if action == ModerationAction.KEEP
            else ModerationReason.SPAM,
            explanation="Thank you all.",
        )
    # An old report closed before the period counts nowhere.
    Report.objects.filter(post=warned).update(closed_at=timezone.now() - timedelta(days=40))

    now = timezone.now()
    outcomes = insights.report_outcomes(since=now - timedelta(days=7))

    assert outcomes == insights.ReportOutcomes(upheld=2, dismissed=1, other=0)
    assert insights.report_outcomes(since=now - timedelta(days=90)).other == 1


def test_a_reopened_item_counts_each_report_by_the_decision_that_closed_it(
    moderator, django_capture_on_commit_callbacks
):
    post = make_reply(topic=make_topic())
    item = _reported(post, [ReportReason.OTHER], django_capture_on_commit_callbacks)
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="It is kind.",
    )
    item = _reported(post, [ReportReason.SPAM], django_capture_on_commit_callbacks)
    assert item.status == ReviewStatus.OPEN
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.REMOVE,
        reason=ModerationReason.SPAM,
        explanation="An advert.",
    )
    assert insights.report_outcomes(
        since=timezone.now() - timedelta(days=7)
    ) == insights.ReportOutcomes(upheld=1, dismissed=1, other=0)


# --- a fixed number of queries ---------------------------------------------------------------


def _queries(zone):
    with CaptureQueriesContext(connection) as captured:
        insights.insights(now=NOW, days=90, zone=zone)
    return len(captured)


def test_the_figures_cost_the_same_queries_whatever_the_history(decided):
    start = NOW - timedelta(days=3)
    decided(opened_at=start, decided_at=start + timedelta(minutes=4), reported=True)
    few = _queries(BERLIN)
    for n in range(30):
        decided(
            opened_at=start,
            alerted_at=start,
            claimed_at=start + timedelta(minutes=n),
            decided_at=start + timedelta(minutes=n + 5),
            at_risk=n % 2 == 0,
            new_member=n % 3 == 0,
        )
    assert _queries(BERLIN) == few == 6
