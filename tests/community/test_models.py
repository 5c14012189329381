"""The community models' queryset methods, each named for the question it answers."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role
from community.models import (
    MEMBER_REPORT_REASONS,
    MODERATOR_REASONS,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    Sanction,
    SanctionKind,
)
from tests.factories import UserFactory, make_reply, make_topic


def test_open_reports_are_those_nobody_acted_on(member):
    topic = make_topic()
    waiting = Report.objects.create(
        post=make_reply(topic=topic), reporter=member, reason=ReportReason.SPAM
    )
    Report.objects.create(
        post=make_reply(topic=topic),
        reporter=member,
        reason=ReportReason.SPAM,
        closed_at=timezone.now(),
    )
    assert list(Report.objects.open()) == [waiting]


def test_reports_sent_by_a_member_leave_out_their_appeals_newest_first(member):
    topic = make_topic()
    older = Report.objects.create(
        post=make_reply(topic=topic),
        reporter=member,
        reason=ReportReason.OTHER,
        created_at=timezone.now() - timedelta(hours=1),
    )
    newer = Report.objects.create(
        post=make_reply(topic=topic), reporter=member, reason=ReportReason.SPAM
    )
    Report.objects.create(
        post=make_reply(topic=topic, author=member), reporter=member, reason=ReportReason.APPEAL
    )
    Report.objects.create(post=older.post, reporter=UserFactory(), reason=ReportReason.SPAM)
    assert list(Report.objects.sent_by(member)) == [newer, older]


def test_unclaimed_at_risk_items_are_open_unclaimed_and_alerted_long_enough_ago(db):
    topic = make_topic()
    now = timezone.now()
    due = ReviewItem.objects.create(
        post=make_reply(topic=topic), at_risk=True, last_alerted_at=now - timedelta(minutes=20)
    )
    ReviewItem.objects.create(
        post=make_reply(topic=topic), at_risk=True, last_alerted_at=now - timedelta(minutes=5)
    )
    ReviewItem.objects.create(
        post=make_reply(topic=topic),
        at_risk=True,
        last_alerted_at=now - timedelta(minutes=20),
        claimed_by=UserFactory(role=Role.MODERATOR),
    )
    ReviewItem.objects.create(
        post=make_reply(topic=topic), at_risk=False, last_alerted_at=now - timedelta(minutes=20)
    )
    cutoff = now - timedelta(minutes=15)
    assert list(ReviewItem.objects.unclaimed_at_risk(alerted_before=cutoff)) == [due]


def test_active_sanctions_and_those_due_for_lifting(member):
    moderator = UserFactory(role=Role.MODERATOR)
    now = timezone.now()

    def sanction(**fields):
        return Sanction.objects.create(
            user=member, kind=SanctionKind.MUTE, created_by=moderator, **fields
        )

    running = sanction(ends_at=now + timedelta(hours=1))
    ended = sanction(ends_at=now - timedelta(hours=1))
    sanction(ends_at=now - timedelta(hours=1), lifted_at=now - timedelta(hours=2))
    sanction(ends_at=now + timedelta(hours=1), lifted_at=now)
    assert list(Sanction.objects.active(now=now)) == [running]
    assert list(Sanction.objects.due_for_lifting(now=now)) == [ended]


def test_system_reasons_are_never_offered():
    assert ReportReason.APPEAL not in dict(MEMBER_REPORT_REASONS)
    assert ModerationReason.REPORTED not in dict(MODERATOR_REASONS)
    assert ModerationReason.EXPIRED not in dict(MODERATOR_REASONS)
    assert ModerationReason.WITHIN_GUIDELINES in dict(MODERATOR_REASONS)


# --- my safety plan -----------------------------------------------------------------------


def test_a_safety_plan_is_found_only_for_its_owner(db):
    from django.contrib.auth.models import AnonymousUser

    from community.models import SafetyPlan

    owner, other = UserFactory(), UserFactory()
    plan = SafetyPlan.objects.create(owner=owner, distractions="The park")
    assert list(SafetyPlan.objects.owned_by(owner)) == [plan]
    assert list(SafetyPlan.objects.owned_by(other)) == []
    assert list(SafetyPlan.objects.owned_by(AnonymousUser())) == []


def test_a_safety_plans_name_says_nothing_of_its_text_or_owner(db):
    from community.models import SafetyPlan

    owner = UserFactory(username="quiet_fern")
    plan = SafetyPlan.objects.create(owner=owner, people_to_ask="Ines 555 0143")
    assert str(plan) == f"Safety plan #{plan.pk}"
    assert "Ines" not in repr(plan) and "quiet_fern" not in repr(plan)


def test_a_safety_plans_first_steps_are_the_filled_in_steps_to_take(db):
    from community.models import SafetyPlan

    plan = SafetyPlan(
        owner=UserFactory(),
        warning_signs="I stop sleeping",
        coping_on_my_own="One\n\n  Two \nThree\nFour",
        professionals="My counsellor",
    )
    assert plan.first_steps == [
        ("Things I can do on my own", ["One", "Two", "Three"]),
        ("Professionals and services I can contact", ["My counsellor"]),
    ]
    assert plan.sections[0][1] == "My warning signs"
    assert not plan.is_empty
    assert SafetyPlan(owner=plan.owner, distractions="  \n").is_empty
