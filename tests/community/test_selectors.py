"""The community's reads (community/selectors.py), each against a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from community import permissions, selectors, services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
    Sanction,
    SanctionKind,
)
from forum.models import Notification, NotificationKind, Post, Status
from tests.factories import UserFactory, make_reply, make_topic, mute


def test_moderators_is_the_query_form_of_is_moderator(db):
    people = [UserFactory(role=role) for role in Role.values]
    people.append(UserFactory(role=Role.MEMBER, is_superuser=True))
    found = set(selectors.moderators())
    for person in people:
        assert (person in found) is person.is_moderator, person.role
    assert found == {p for p in people if p.is_moderator}


def test_moderators_leaves_out_inactive_and_suspended_moderators(db):
    active = UserFactory(role=Role.MODERATOR)
    UserFactory(role=Role.MODERATOR, is_active=False)
    UserFactory(role=Role.ADMIN, suspended_until=timezone.now() + timedelta(hours=1))
    lapsed = UserFactory(role=Role.ADMIN, suspended_until=timezone.now() - timedelta(hours=1))
    assert list(selectors.moderators()) == sorted([active, lapsed], key=lambda u: u.pk)


def test_moderators_leaves_out_muted_moderators_as_can_moderate_does(db):
    now = timezone.now()
    muted = UserFactory(role=Role.MODERATOR, muted_until=now + timedelta(hours=1))
    ended = UserFactory(role=Role.ADMIN, muted_until=now - timedelta(hours=1))
    found = set(selectors.moderators())
    for person in (muted, ended):
        assert (person in found) is permissions.can_moderate(person)
    assert found == {ended}


def test_current_guidelines_reads_the_database_once_then_the_cache(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = selectors.current_guidelines()
    with django_assert_num_queries(0):
        again = selectors.current_guidelines()
    assert first == again and first.version == 1


def test_reports_today_counts_the_last_24_hours_only(member):
    topic = make_topic()
    old, new = make_reply(topic=topic), make_reply(topic=topic)
    Report.objects.create(
        post=old,
        reporter=member,
        reason=ReportReason.SPAM,
        created_at=timezone.now() - timedelta(days=1, minutes=1),
    )
    Report.objects.create(post=new, reporter=member, reason=ReportReason.SPAM)
    assert selectors.reports_today(member) == 1
    assert selectors.reports_today(UserFactory()) == 0


def test_has_reported_is_per_member_and_post(member, other_member):
    post = make_reply(topic=make_topic())
    Report.objects.create(post=post, reporter=member, reason=ReportReason.OTHER)
    assert selectors.has_reported(user=member, post=post)
    assert not selectors.has_reported(user=other_member, post=post)


def test_awaits_review_sees_only_an_open_appeal_by_the_author(member):
    post = make_reply(topic=make_topic(), author=member)
    log = ModerationLog.objects.create(
        actor=UserFactory(role=Role.MODERATOR),
        action=ModerationAction.HIDE,
        target_user=member,
        post=post,
        reason=ModerationReason.OTHER,
        explanation="Explained.",
    )
    assert not selectors.awaits_review(author=member, log=log)
    appeal = Report.objects.create(post=post, reporter=member, reason=ReportReason.APPEAL)
    assert selectors.awaits_review(author=member, log=log)
    Report.objects.filter(pk=appeal.pk).update(closed_at=timezone.now())
    assert not selectors.awaits_review(author=member, log=log)


def test_reporters_towards_hiding_leave_out_at_risk_appeals_and_closed_reports(db):
    post = make_reply(topic=make_topic())
    counted = UserFactory()
    Report.objects.create(post=post, reporter=counted, reason=ReportReason.SPAM)
    Report.objects.create(post=post, reporter=UserFactory(), reason=ReportReason.AT_RISK)
    Report.objects.create(post=post, reporter=post.author, reason=ReportReason.APPEAL)
    Report.objects.create(
        post=post, reporter=UserFactory(), reason=ReportReason.SPAM, closed_at=timezone.now()
    )
    assert selectors.reporters_towards_hiding(post) == [counted]


def test_unreviewed_post_ids_are_recent_waiting_or_crisis_posts_without_an_item(db):
    topic = make_topic()
    waiting = make_reply(topic=topic)
    crisis = make_reply(topic=topic)
    reviewed = make_reply(topic=topic)
    old = make_reply(topic=topic)
    make_reply(topic=topic)  # an ordinary published post needs no review
    Post.objects.filter(pk__in=[waiting.pk, reviewed.pk]).update(status=Status.PENDING)
    Post.objects.filter(pk=crisis.pk).update(crisis_language=True)
    Post.objects.filter(pk=old.pk).update(
        status=Status.PENDING, created_at=timezone.now() - timedelta(days=8)
    )
    ReviewItem.objects.create(post=reviewed)
    found = selectors.unreviewed_post_ids(now=timezone.now())
    assert sorted(found) == sorted([waiting.pk, crisis.pk])


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("all", ["risk", "waiting", "reported"]),
        ("at_risk", ["risk"]),
        ("pending", ["waiting"]),
        ("reported", ["reported"]),
    ],
)
def test_review_queue_filters_open_items_most_urgent_first(db, show, expected):
    topic = make_topic()
    items = {
        "risk": ReviewItem.objects.create(post=make_reply(topic=topic), at_risk=True, score=5),
        "waiting": ReviewItem.objects.create(
            post=make_reply(topic=topic), needs_approval=True, score=1
        ),
        "reported": ReviewItem.objects.create(
            post=make_reply(topic=topic), report_count=1, score=0
        ),
    }
    ReviewItem.objects.create(
        post=make_reply(topic=topic), report_count=2, score=9, status=ReviewStatus.RESOLVED
    )
    names = {item.pk: name for name, item in items.items()}
    assert [names[item.pk] for item in selectors.review_queue(show=show)] == expected
    assert set(selectors.QUEUE_FILTERS) == {"all", "at_risk", "pending", "reported"}


def test_posts_around_is_the_opening_post_and_two_either_side(db):
    topic = make_topic()
    replies = [make_reply(topic=topic) for _ in range(8)]
    middle = replies[5]  # position 7
    assert [p.position for p in selectors.posts_around(middle)] == [1, 5, 6, 7, 8, 9]


def test_decisions_about_and_sanctions_on_are_the_members_own_newest_first(member):
    moderator = UserFactory(role=Role.MODERATOR)
    for words in ("first", "second"):
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationAction.WARN,
            target_user=member,
            reason=ModerationReason.OTHER,
            explanation=words,
        )
    ModerationLog.objects.create(
        action=ModerationAction.WARN,
        target_user=UserFactory(),
        reason=ModerationReason.OTHER,
        explanation="someone else",
    )
    assert [log.explanation for log in selectors.decisions_about(member)] == ["second", "first"]
    now = timezone.now()
    older = Sanction.objects.create(
        user=member,
        kind=SanctionKind.MUTE,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
        created_by=moderator,
    )
    newer = Sanction.objects.create(
        user=member,
        kind=SanctionKind.SUSPEND,
        ends_at=now + timedelta(days=1),
        created_by=moderator,
    )
    assert list(selectors.sanctions_on(member)) == [newer, older]


def test_the_services_alert_exactly_the_moderators_selector(db, django_capture_on_commit_callbacks):
    moderators = [UserFactory(role=Role.MODERATOR), UserFactory(role=Role.MODERATOR)]
    UserFactory(role=Role.PEER_SPECIALIST)
    UserFactory(role=Role.MODERATOR, is_active=False)
    # Admins are the escalation's last stage, not the first alert's (tests/community/test_rota.py).
    UserFactory(role=Role.ADMIN)
    post = make_reply(topic=make_topic())
    with django_capture_on_commit_callbacks(execute=True):
        services.report_post(reporter=UserFactory(), post=post, reason=ReportReason.AT_RISK)
    alerts = Notification.objects.filter(kind=NotificationKind.URGENT_ALERT)
    assert set(User.objects.filter(pk__in=alerts.values("recipient_id"))) == set(moderators)


def test_unfolded_report_ids_are_open_reports_in_no_item_made_before_the_cutoff(db):
    post = make_reply(topic=make_topic())
    now = timezone.now()
    old = Report.objects.create(
        post=post,
        reporter=UserFactory(),
        reason=ReportReason.SPAM,
        created_at=now - timedelta(days=30),
    )
    recent = Report.objects.create(post=post, reporter=UserFactory(), reason=ReportReason.SPAM)
    closed = Report.objects.create(
        post=post, reporter=UserFactory(), reason=ReportReason.SPAM, closed_at=now
    )
    folded = Report.objects.create(
        post=post,
        reporter=UserFactory(),
        reason=ReportReason.SPAM,
        review_item=ReviewItem.objects.create(post=post),
    )
    cutoff = now - timedelta(seconds=60)
    assert selectors.unfolded_report_ids(created_before=cutoff) == [old.pk]
    later = now + timedelta(minutes=5)
    assert selectors.unfolded_report_ids(created_before=later) == [old.pk, recent.pk]
    assert closed.pk not in selectors.unfolded_report_ids(created_before=later)
    assert folded.pk not in selectors.unfolded_report_ids(created_before=later)


def test_mute_decision_for_is_the_members_latest_mute(member, other_member):
    assert selectors.mute_decision_for(member) is None
    first = mute(member, hours=2)
    mute(other_member)
    latest = mute(member, hours=48)
    assert selectors.mute_decision_for(member) == latest != first
    assert selectors.mute_decision_for(other_member).target_user_id == other_member.pk


# --- the queue's rows, "next" and "previous", the moderator's zone (issue 12) ---------------

from zoneinfo import ZoneInfo  # noqa: E402

from community.models import DutyRota, ExplanationTemplate  # noqa: E402
from forum import services as forum_services  # noqa: E402
from tests.community.queue_helpers import reported_item, waiting_item  # noqa: E402


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_rows_take_one_query_whatever_their_number(db, count, django_assert_num_queries):
    for _ in range(count):
        waiting_item()
    with django_assert_num_queries(1):
        rows = selectors.queue_rows(show="all", now=timezone.now())
        # Everything a row shows, read without another query.
        shown = [
            (
                row.item.post.topic.title,
                row.item.post.topic.category.name,
                row.item.post.author.public_name,
                row.item.claimed_by,
                row.new_member,
            )
            for row in rows
        ]
    assert len(shown) == count


def test_a_queue_row_says_new_member_for_a_waiting_post_or_a_recent_account(db):
    waiting = waiting_item()
    old_hand = reported_item()
    User.objects.filter(pk=old_hand.post.author_id).update(
        date_joined=timezone.now() - timedelta(days=365)
    )
    newcomer = reported_item()
    rows = {
        row.item.pk: row.new_member for row in selectors.queue_rows(show="all", now=timezone.now())
    }
    assert rows == {waiting.pk: True, old_hand.pk: False, newcomer.pk: True}


def test_a_post_its_author_deleted_is_no_row_in_the_queue(db):
    kept = waiting_item()
    gone = waiting_item()
    Post.objects.filter(pk=gone.post_id).update(status=Status.DELETED, body="")
    assert [row.item.pk for row in selectors.queue_rows(show="all", now=timezone.now())] == [
        kept.pk
    ]


def test_workable_items_leave_out_what_another_moderator_claimed(db, moderator):
    mine, theirs, free = waiting_item(), waiting_item(), waiting_item()
    services.claim_item(moderator=moderator, item=mine)
    services.claim_item(moderator=UserFactory(role=Role.MODERATOR), item=theirs)
    assert selectors.workable_item_ids(show="all", moderator=moderator) == [mine.pk, free.pk]


def test_workable_items_follow_the_filter(db, moderator):
    waiting = waiting_item()
    reported = reported_item()
    assert selectors.workable_item_ids(show="pending", moderator=moderator) == [waiting.pk]
    assert selectors.workable_item_ids(show="reported", moderator=moderator) == [reported.pk]


def test_neighbours_are_the_items_either_side():
    assert selectors.neighbours([4, 7, 9], 7) == (4, 9)
    assert selectors.neighbours([4, 7, 9], 4) == (None, 7)
    assert selectors.neighbours([4, 7, 9], 9) == (7, None)
    # An item no longer in the queue leads to the top of it.
    assert selectors.neighbours([4, 7, 9], 5) == (None, 4)
    assert selectors.neighbours([], 5) == (None, None)


def test_next_after_a_decision_is_the_next_item_still_waiting():
    assert selectors.next_after(before=[1, 2, 3, 4], after=[1, 3, 4], pk=2) == 3
    # The one after it was decided meanwhile by someone else: the one after that.
    assert selectors.next_after(before=[1, 2, 3, 4], after=[1, 4], pk=2) == 4
    # The last one: back to the top of what still waits (an item skipped earlier).
    assert selectors.next_after(before=[1, 2], after=[1], pk=2) == 1
    assert selectors.next_after(before=[2], after=[], pk=2) is None


def test_a_moderators_zone_is_their_rotas_and_utc_without_one(db, moderator):
    assert selectors.moderator_zone(moderator) == ZoneInfo("UTC")
    DutyRota.objects.create(moderator=moderator, time_zone="Europe/Berlin")
    assert selectors.moderator_zone(moderator) == ZoneInfo("Europe/Berlin")
    DutyRota.objects.filter(moderator=moderator).update(time_zone="Not/AZone")
    assert selectors.moderator_zone(moderator) == ZoneInfo("UTC")


def test_explanation_templates_are_keyed_by_action_and_reason(db):
    ExplanationTemplate.objects.all().delete()
    ExplanationTemplate.objects.create(action="hide", reason="advice", text="Share yours.")
    assert selectors.explanation_templates() == {"hide:advice": "Share yours."}
    assert selectors.explanation_template(action="hide", reason="advice") == "Share yours."
    assert selectors.explanation_template(action="hide", reason="spam") == ""


def test_new_member_posts_waiting_are_the_pending_ones_oldest_first(db):
    first, second = waiting_item(), waiting_item()
    reported_item()
    decided = waiting_item()
    forum_services.set_post_status(post=decided.post, status=Status.PUBLISHED)
    assert [item.pk for item in selectors.new_member_posts_waiting()] == [first.pk, second.pk]
