"""Reporting a post, folding reports into one review item, auto-hide and screening's reviews
(community/services/reports.py), against a real database."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Role, User
from community import services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
)
from forum.models import Notification, NotificationKind, Post, Status, Topic
from forum.services import create_reply, create_topic
from tests.factories import (
    CategoryFactory,
    UserFactory,
    established_member,
    make_reply,
    make_topic,
)

CRISIS_TEXT = "I can't do this any more. I keep thinking about ending it all."


def test_a_report_opens_a_review_item_after_commit(
    reported_post, django_capture_on_commit_callbacks, file_report
):
    with django_capture_on_commit_callbacks(execute=True):
        made = file_report(reported_post, reason=ReportReason.SPAM, note="Selling something.")
    item = ReviewItem.objects.get(post=reported_post)
    made.refresh_from_db()
    assert made.review_item == item
    assert item.status == ReviewStatus.OPEN
    assert item.reasons == [ReportReason.SPAM]
    assert item.report_count == 1
    assert item.score == 2
    assert not item.at_risk


def test_a_second_report_updates_the_same_item(
    reported_post, django_capture_on_commit_callbacks, file_report
):
    with django_capture_on_commit_callbacks(execute=True):
        file_report(reported_post, reason=ReportReason.SPAM)
        file_report(reported_post, reason=ReportReason.PRIVATE_DETAILS)
    item = ReviewItem.objects.get(post=reported_post)
    assert ReviewItem.objects.count() == 1
    assert item.report_count == 2
    assert item.reasons == [ReportReason.SPAM, ReportReason.PRIVATE_DETAILS]
    assert item.score == 5


def test_folding_the_same_report_twice_changes_nothing(
    reported_post, django_capture_on_commit_callbacks, file_report, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        reports = [file_report(reported_post) for _ in range(3)]
    before = ReviewItem.objects.get(post=reported_post)
    services.fold_report(report_id=reports[-1].pk)
    services.fold_report(report_id=reports[0].pk)
    after = ReviewItem.objects.get(post=reported_post)
    assert (after.report_count, after.score, after.reasons) == (
        before.report_count,
        before.score,
        before.reasons,
    )
    assert ModerationLog.objects.filter(action=ModerationAction.AUTO_HIDE).count() == 1
    assert len(notes_for(reported_post.author, NotificationKind.MODERATION)) == 1


def test_a_duplicate_report_is_refused_kindly(reported_post, member, file_report):
    file_report(reported_post, reporter=member)
    with pytest.raises(services.AlreadyReported, match="already reported"):
        file_report(reported_post, reporter=member, reason=ReportReason.SPAM)
    assert Report.objects.filter(post=reported_post, reporter=member).count() == 1


def test_members_cannot_report_their_own_post(reported_post, file_report):
    with pytest.raises(services.ModerationError):
        file_report(reported_post, reporter=reported_post.author)
    assert not Report.objects.exists()


def test_the_daily_cap_stops_a_flood_of_reports(member, settings, file_report):
    settings.REPORTS_PER_DAY = 2
    topic = make_topic()
    posts = [make_reply(topic=topic) for _ in range(3)]
    file_report(posts[0], reporter=member)
    file_report(posts[1], reporter=member)
    with pytest.raises(services.ModerationError, match="in a day"):
        file_report(posts[2], reporter=member)
    assert Report.objects.filter(reporter=member).count() == 2


def test_the_appeal_reason_is_not_a_member_choice(reported_post, file_report):
    with pytest.raises(services.ModerationError):
        file_report(reported_post, reason=ReportReason.APPEAL)


def test_three_reporters_hide_the_post_and_the_author_is_told_kindly(
    reported_post, django_capture_on_commit_callbacks, file_report, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        file_report(reported_post)
        file_report(reported_post)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    topic_before = Topic.objects.get(pk=reported_post.topic_id)
    with django_capture_on_commit_callbacks(execute=True):
        file_report(reported_post)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    # Counters count only published posts.
    assert Topic.objects.get(pk=reported_post.topic_id).reply_count == topic_before.reply_count - 1
    notes = notes_for(reported_post.author, NotificationKind.MODERATION)
    assert len(notes) == 1
    assert "hidden for now while moderators take a look" in notes[0].message
    assert "not a decision" in notes[0].message
    log = ModerationLog.objects.get()
    assert log.action == ModerationAction.AUTO_HIDE and log.actor is None


def test_one_moderator_report_hides_the_post(
    reported_post, moderator, django_capture_on_commit_callbacks, file_report
):
    with django_capture_on_commit_callbacks(execute=True):
        file_report(reported_post, reporter=moderator)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN


def test_at_risk_reports_never_hide_the_person_reaching_out(
    reported_post, moderator, django_capture_on_commit_callbacks, file_report, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            file_report(reported_post, reason=ReportReason.AT_RISK)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    item = ReviewItem.objects.get(post=reported_post)
    assert item.at_risk and item.alert_count == 1
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 1


def test_the_queue_puts_at_risk_first_then_score_then_age(
    db, django_capture_on_commit_callbacks, file_report
):
    topic = make_topic()
    old_low, new_high, risk = (make_reply(topic=topic) for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        file_report(old_low, reason=ReportReason.OTHER)
        file_report(new_high, reason=ReportReason.PRIVATE_DETAILS)
        file_report(risk, reason=ReportReason.AT_RISK)
    second_low = make_reply(topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        file_report(second_low, reason=ReportReason.OTHER)
    ordered = [item.post_id for item in ReviewItem.objects.open().by_priority()]
    assert ordered == [risk.pk, new_high.pk, old_low.pk, second_low.pk]


# serialized_rollback: the flush afterwards must not drop the seeded rows later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_members_reporting_at_once_make_one_item_and_twenty_reports():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    post = make_reply(topic=make_topic())
    reporters = [established_member() for _ in range(20)]
    barrier = threading.Barrier(len(reporters))
    errors: list[BaseException] = []

    def send(reporter: User) -> None:
        try:
            barrier.wait()
            services.report_post(reporter=reporter, post=post, reason=ReportReason.SPAM)
        except BaseException as error:  # surfaced below with the thread's own traceback
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(r,)) for r in reporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert Report.objects.filter(post=post).count() == 20
    assert ReviewItem.objects.filter(post=post).count() == 1
    item = ReviewItem.objects.get(post=post)
    assert item.report_count == 20
    assert Report.objects.filter(post=post, review_item=item).count() == 20
    post.refresh_from_db()
    assert post.status == Status.HIDDEN
    assert ModerationLog.objects.filter(post=post, action=ModerationAction.AUTO_HIDE).count() == 1


def test_a_new_members_first_posts_wait_and_count_only_once_approved(
    moderator, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(approved_post_count=0)
    category = CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        topic = create_topic(author=newcomer, category=category, title="Hello", body="Day one.")
    topic.refresh_from_db()
    category.refresh_from_db()
    opening = Post.objects.get(topic=topic)
    assert topic.status == Status.PENDING and opening.status == Status.PENDING
    assert (category.topic_count, category.post_count) == (0, 0)
    item = ReviewItem.objects.get(post=opening)
    assert item.needs_approval and item.status == ReviewStatus.OPEN
    assert not Topic.objects.listed().filter(pk=topic.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.APPROVE,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Welcome to Lantern!",
        )
    topic.refresh_from_db()
    category.refresh_from_db()
    newcomer.refresh_from_db()
    assert topic.status == Status.PUBLISHED
    assert (category.topic_count, category.post_count) == (1, 1)
    assert category.last_activity_at is not None
    assert newcomer.approved_post_count == 1

    # The second post waits too; once approved, the third is published at once.
    established = make_topic()
    with django_capture_on_commit_callbacks(execute=True):
        second = create_reply(author=newcomer, topic=established, body="Thank you all.")
    established.refresh_from_db()
    assert second.status == Status.PENDING
    assert not Notification.objects.filter(recipient=established.author, post=second).exists()
    assert established.reply_count == 0
    activity_before = established.last_activity_at
    with django_capture_on_commit_callbacks(execute=True):
        services.act_on_item(
            moderator=moderator,
            item=ReviewItem.objects.get(post=second),
            action=ModerationAction.APPROVE,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Lovely to have you.",
        )
    established.refresh_from_db()
    assert established.reply_count == 1
    # Only now does the topic's author hear about the reply.
    assert Notification.objects.filter(
        recipient=established.author, kind=NotificationKind.TOPIC_REPLY, post=second
    ).exists()
    assert established.last_activity_at > activity_before
    assert established.last_poster == newcomer
    newcomer.refresh_from_db()
    assert newcomer.approved_post_count == 2
    third = create_reply(author=newcomer, topic=established, body="Day three.")
    assert third.status == Status.PUBLISHED


def test_peer_specialists_and_moderators_never_wait(moderator):
    peer = UserFactory(role=Role.PEER_SPECIALIST, approved_post_count=0)
    for author in (peer, moderator):
        author.approved_post_count = 0
        topic = make_topic(author=author)
        assert topic.status == Status.PUBLISHED


def test_crisis_language_is_published_opens_an_at_risk_item_and_alerts_moderators(
    moderator, django_capture_on_commit_callbacks, notes_for
):
    other_moderator = UserFactory(role=Role.MODERATOR)
    topic = make_topic()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(author=UserFactory(), topic=topic, body=CRISIS_TEXT)
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert post.crisis_language
    item = ReviewItem.objects.get(post=post)
    assert item.at_risk and item.crisis_language and item.status == ReviewStatus.OPEN
    first = ReviewItem.objects.open().by_priority().first()
    assert first == item
    for person in (moderator, other_moderator):
        assert len(notes_for(person, NotificationKind.URGENT_ALERT)) == 1
    alerts = [m for m in mail.outbox if set(m.to) & {moderator.email, other_moderator.email}]
    assert len(alerts) == 2
    for message in alerts:
        text = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
        assert "ending it all" not in text
        assert topic.title not in text


def test_a_new_members_crisis_post_waits_and_still_alerts(
    moderator, django_capture_on_commit_callbacks, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(
            author=UserFactory(approved_post_count=0), topic=make_topic(), body=CRISIS_TEXT
        )
    item = ReviewItem.objects.get(post=post)
    assert post.status == Status.PENDING
    assert item.at_risk and item.needs_approval
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 1


def test_the_sweeper_opens_reviews_whose_task_was_lost(moderator, notes_for):
    # No on_commit callbacks run here: as if the broker had been down when the post was made.
    post = create_reply(author=UserFactory(), topic=make_topic(), body=CRISIS_TEXT)
    assert not ReviewItem.objects.filter(post=post).exists()
    assert services.sweep_unreviewed_posts() == 1
    assert ReviewItem.objects.get(post=post).at_risk
    assert services.sweep_unreviewed_posts() == 0
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 1


def test_a_report_is_handed_to_the_fold_task_by_name_only_after_commit(
    reported_post, file_report, sent_to_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = file_report(reported_post)
    assert sent_to_broker == []
    for callback in callbacks:
        callback()
    assert sent_to_broker == [("community.fold_report", (made.pk,))]
    # The task, not the request, folds the report.
    assert not ReviewItem.objects.filter(post=reported_post).exists()


# --- reports whose fold task was lost ----------------------------------------------------------
# No on_commit callbacks run in these tests: as if the broker had lost the message (a Redis
# restart with the worker stopped), so only the sweeper can fold the reports.

LATER = timedelta(seconds=61)


def test_the_sweeper_folds_an_at_risk_report_whose_task_was_lost(
    reported_post, moderator, file_report, notes_for
):
    report = file_report(reported_post, reason=ReportReason.AT_RISK, note="They said goodbye.")
    assert not ReviewItem.objects.filter(post=reported_post).exists()
    # Within the grace the fold task may still be on its way.
    assert services.sweep_unfolded_reports(now=timezone.now()) == 0
    assert services.sweep_unfolded_reports(now=timezone.now() + LATER) == 1
    item = ReviewItem.objects.get(post=reported_post)
    report.refresh_from_db()
    assert report.review_item == item
    assert item.at_risk and item.status == ReviewStatus.OPEN and item.alert_count == 1
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 1
    # A second run (or a second beat) changes nothing more.
    assert services.sweep_unfolded_reports(now=timezone.now() + LATER) == 0
    services.fold_report(report_id=report.pk)
    assert ReviewItem.objects.get(post=reported_post).alert_count == 1
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 1


def test_the_sweeper_hides_a_post_three_lost_reports_asked_about_once(
    reported_post, file_report, notes_for
):
    for _ in range(3):
        file_report(reported_post)
    assert services.sweep_unfolded_reports(now=timezone.now() + LATER) == 3
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    assert ReviewItem.objects.get(post=reported_post).report_count == 3
    services.sweep_unfolded_reports(now=timezone.now() + LATER)
    assert ModerationLog.objects.filter(action=ModerationAction.AUTO_HIDE).count() == 1
    assert len(notes_for(reported_post.author, NotificationKind.MODERATION)) == 1


def test_the_sweeper_folds_a_lost_appeal(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_post(reporter=UserFactory(), post=reported_post, reason=ReportReason.SPAM)
    item = ReviewItem.objects.get(post=reported_post)
    log = services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.HIDE,
        reason=ModerationReason.SPAM,
        explanation="This looks like advertising.",
    )
    appeal = services.request_review(author=reported_post.author, log=log, note="It was not.")
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.RESOLVED
    assert services.sweep_unfolded_reports(now=timezone.now() + LATER) == 1
    item.refresh_from_db()
    appeal.refresh_from_db()
    assert item.status == ReviewStatus.OPEN and appeal.review_item == item


def test_the_sweeper_leaves_closed_reports_alone(reported_post, moderator, file_report):
    report = file_report(reported_post)
    Report.objects.filter(pk=report.pk).update(closed_at=timezone.now())
    assert services.sweep_unfolded_reports(now=timezone.now() + LATER) == 0
    assert not ReviewItem.objects.filter(post=reported_post).exists()


# --- auto-hide weighs reporters by their standing ---------------------------------------------


def _brand_new():
    """An account made a minute ago that has never had a post published."""
    return UserFactory(date_joined=timezone.now() - timedelta(minutes=1), approved_post_count=0)


@pytest.mark.parametrize("count", [3, 10])
def test_brand_new_accounts_together_cannot_hide_a_post(
    count, reported_post, django_capture_on_commit_callbacks, file_report, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(count):
            file_report(reported_post, reporter=_brand_new())
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    item = ReviewItem.objects.get(post=reported_post)
    # Every report is still in the queue and its score; only the hiding is weighed.
    assert item.report_count == count and item.auto_hidden_at is None
    assert not ModerationLog.objects.exists()
    assert notes_for(reported_post.author, NotificationKind.MODERATION) == []


def test_two_members_and_new_accounts_together_hide_a_post(
    reported_post, django_capture_on_commit_callbacks, file_report
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            file_report(reported_post, reporter=_brand_new())
        file_report(reported_post)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        file_report(reported_post)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    assert ModerationLog.objects.get().action == ModerationAction.AUTO_HIDE


def test_members_whose_reports_were_upheld_weigh_more(
    django_capture_on_commit_callbacks, file_report, moderator
):
    topic = make_topic()
    trusted = [established_member(), established_member()]
    for reporter in trusted:
        for _ in range(2):
            earlier = make_reply(topic=topic)
            with django_capture_on_commit_callbacks(execute=True):
                file_report(earlier, reporter=reporter)
            services.act_on_item(
                moderator=moderator,
                item=ReviewItem.objects.get(post=earlier),
                action=ModerationAction.REMOVE,
                reason=ModerationReason.JUDGING,
                explanation="Removed.",
            )
    post = make_reply(topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        for reporter in trusted:
            file_report(post, reporter=reporter)
    post.refresh_from_db()
    # 1.5 + 1.5: two members with two upheld reports each hide what three others would.
    assert post.status == Status.HIDDEN


def test_new_accounts_saying_someone_may_be_at_risk_still_raise_the_alert(
    reported_post, moderator, django_capture_on_commit_callbacks, file_report, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        file_report(reported_post, reporter=_brand_new(), reason=ReportReason.AT_RISK)
    item = ReviewItem.objects.get(post=reported_post)
    assert item.at_risk and item.alert_count == 1
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 1
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
