"""Each decision's timings, and the weekly summary to admins (community/services/insights.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import AccountMail, Role
from community import services, tasks
from community.models import (
    DecisionTiming,
    DutyRota,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    ReportReason,
    ReviewItem,
    WeeklySummary,
)
from community.services.insights import SUMMARY_SUBJECT, first_alert_at
from forum.services import create_reply
from tests.factories import UserFactory, established_member, make_topic

CRISIS_TEXT = "I can't do this any more. I keep thinking about ending it all."


def test_a_decision_keeps_the_claim_alert_and_lanes_that_resolving_clears(
    moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(author=UserFactory(), topic=make_topic(), body=CRISIS_TEXT)
    item = ReviewItem.objects.get(post=post)
    assert item.at_risk and item.alert_count == 1
    item = services.claim_item(moderator=moderator, item=item)
    claimed_at = item.claimed_at
    assert claimed_at is not None

    log = services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="We reached out privately.",
    )

    item.refresh_from_db()
    assert item.claimed_at is None and not item.at_risk
    timing = DecisionTiming.objects.get()
    assert timing.log == log
    assert timing.moderator == moderator
    assert timing.claimed_at == claimed_at
    assert timing.opened_at == item.opened_at
    assert timing.alerted_at == item.last_alerted_at
    assert timing.decided_at == log.created_at
    assert (timing.at_risk, timing.reported, timing.new_member) == (True, False, False)


def test_a_new_members_reported_post_is_in_both_lanes(
    moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(
            author=UserFactory(approved_post_count=0), topic=make_topic(), body="Hello all."
        )
        services.report_post(reporter=UserFactory(), post=post, reason=ReportReason.SPAM)
    item = ReviewItem.objects.get(post=post)
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.APPROVE,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="Welcome.",
    )
    timing = DecisionTiming.objects.get()
    assert (timing.at_risk, timing.reported, timing.new_member) == (False, True, True)
    assert timing.claimed_at is None


def test_rows_the_system_writes_keep_no_timing(db, django_capture_on_commit_callbacks):
    post = create_reply(author=UserFactory(), topic=make_topic(), body="Words.")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.report_post(reporter=established_member(), post=post, reason=ReportReason.SPAM)
    assert ModerationLog.objects.filter(action=ModerationAction.AUTO_HIDE).exists()
    assert not DecisionTiming.objects.exists()


def test_the_first_alert_is_the_last_stage_less_its_periods(db, settings):
    settings.AT_RISK_REALERT_MINUTES = 15
    now = timezone.now()
    item = ReviewItem(opened_at=now - timedelta(hours=2), alert_count=3, last_alerted_at=now)
    assert first_alert_at(item) == now - timedelta(minutes=30)
    assert first_alert_at(ReviewItem(opened_at=now, alert_count=0)) is None


# --- the weekly summary ----------------------------------------------------------------------


@pytest.fixture
def people(db):
    admin = UserFactory(role=Role.ADMIN, username="admin_ada")
    superuser = UserFactory(is_superuser=True)
    DutyRota.objects.create(moderator=superuser, time_zone="Europe/Berlin")
    unverified = UserFactory(role=Role.ADMIN, verified=False)
    gone = UserFactory(role=Role.ADMIN, is_active=False)
    moderator = UserFactory(role=Role.MODERATOR)
    member = UserFactory()
    return admin, superuser, unverified, gone, moderator, member


@pytest.fixture
def a_week_of_work(people, django_capture_on_commit_callbacks):
    """One reported post, hidden by the moderator: a title, text and names that must not leak."""
    moderator = people[4]
    reporter = UserFactory(username="reporter_rory")
    topic = make_topic(author=UserFactory(username="author_ash"), title="Garden of quiet thoughts")
    post = create_reply(author=topic.author, topic=topic, body="My very private words.")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_post(reporter=reporter, post=post, reason=ReportReason.UNSUPPORTIVE)
    services.act_on_item(
        moderator=moderator,
        item=ReviewItem.objects.get(post=post),
        action=ModerationAction.HIDE,
        reason=ModerationReason.JUDGING,
        explanation="Hidden: it judged another member.",
    )
    return topic, post


def test_admins_have_the_weekly_figures_once_a_week(people, a_week_of_work):
    admin, superuser, *_ = people
    now = timezone.now()

    assert services.send_weekly_summary(now=now) == 2
    assert services.send_weekly_summary(now=now) == 0
    assert services.send_weekly_summary(now=now + timedelta(days=7)) == 2

    mails = list(AccountMail.objects.order_by("pk"))
    assert [m.to for m in mails] == [admin.email, superuser.email] * 2
    assert {m.subject for m in mails} == {SUMMARY_SUBJECT}
    assert WeeklySummary.objects.count() == 4


def test_the_summary_says_figures_and_nothing_anyone_wrote(people, a_week_of_work):
    topic, post = a_week_of_work
    services.send_weekly_summary()
    admin_mail, berlin_mail = AccountMail.objects.order_by("pk")
    body = admin_mail.body
    assert "Items opened: 1" in body
    assert "Items closed: 1" in body
    assert "Members' reports: 1 upheld, 0 dismissed, 0 closed another way." in body
    assert "/moderation/insights/?days=7" in body
    assert "UTC" in body
    assert "Europe/Berlin" in berlin_mail.body
    for mail in (admin_mail, berlin_mail):
        for secret in (
            topic.title,
            post.body,
            "author_ash",
            "reporter_rory",
            "admin_ada",
            "Hidden: it judged",
        ):
            assert secret not in mail.subject
            assert secret not in mail.body
            assert secret not in mail.html


def test_the_summary_reaches_only_verified_active_admins(people):
    admin, superuser, *_others = people
    EmailAddress.objects.filter(user=admin).update(verified=False)
    tasks.send_weekly_summary()
    assert list(AccountMail.objects.values_list("to", flat=True)) == [superuser.email]
