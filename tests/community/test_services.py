"""Reports, the review queue, moderator actions, sanctions and alerts, against a real database."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
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
    Sanction,
)
from forum.models import Category, Notification, NotificationKind, Post, Status, Topic
from forum.services import create_reply, create_topic
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

CRISIS_TEXT = "I can't do this any more. I keep thinking about ending it all."


@pytest.fixture
def moderator(db):
    return UserFactory(role=Role.MODERATOR)


@pytest.fixture
def reported_post(db):
    topic = make_topic(body="My opening words.")
    return make_reply(topic=topic, body="A reply someone might report.")


def report(post, reporter=None, reason=ReportReason.UNSUPPORTIVE, note=""):
    return services.report_post(
        reporter=reporter or UserFactory(), post=post, reason=reason, note=note
    )


def notes_for(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


# --- reporting and folding ----------------------------------------------------------------


def test_a_report_opens_a_review_item_after_commit(
    reported_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = report(reported_post, reason=ReportReason.SPAM, note="Selling something.")
    item = ReviewItem.objects.get(post=reported_post)
    made.refresh_from_db()
    assert made.review_item == item
    assert item.status == ReviewStatus.OPEN
    assert item.reasons == [ReportReason.SPAM]
    assert item.report_count == 1
    assert item.score == 2
    assert not item.at_risk


def test_a_second_report_updates_the_same_item(reported_post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(reported_post, reason=ReportReason.SPAM)
        report(reported_post, reason=ReportReason.PRIVATE_DETAILS)
    item = ReviewItem.objects.get(post=reported_post)
    assert ReviewItem.objects.count() == 1
    assert item.report_count == 2
    assert item.reasons == [ReportReason.SPAM, ReportReason.PRIVATE_DETAILS]
    assert item.score == 5


def test_folding_the_same_report_twice_changes_nothing(
    reported_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reports = [report(reported_post) for _ in range(3)]
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


def test_a_duplicate_report_is_refused_kindly(reported_post, member):
    report(reported_post, reporter=member)
    with pytest.raises(services.AlreadyReported, match="already reported"):
        report(reported_post, reporter=member, reason=ReportReason.SPAM)
    assert Report.objects.filter(post=reported_post, reporter=member).count() == 1


def test_members_cannot_report_their_own_post(reported_post):
    with pytest.raises(services.ModerationError):
        report(reported_post, reporter=reported_post.author)
    assert not Report.objects.exists()


def test_the_daily_cap_stops_a_flood_of_reports(member, settings):
    settings.REPORTS_PER_DAY = 2
    topic = make_topic()
    posts = [make_reply(topic=topic) for _ in range(3)]
    report(posts[0], reporter=member)
    report(posts[1], reporter=member)
    with pytest.raises(services.ModerationError, match="in a day"):
        report(posts[2], reporter=member)
    assert Report.objects.filter(reporter=member).count() == 2


def test_the_appeal_reason_is_not_a_member_choice(reported_post):
    with pytest.raises(services.ModerationError):
        report(reported_post, reason=ReportReason.APPEAL)


# --- auto-hide ------------------------------------------------------------------------------


def test_three_reporters_hide_the_post_and_the_author_is_told_kindly(
    reported_post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(reported_post)
        report(reported_post)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    topic_before = Topic.objects.get(pk=reported_post.topic_id)
    with django_capture_on_commit_callbacks(execute=True):
        report(reported_post)
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
    reported_post, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(reported_post, reporter=moderator)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN


def test_at_risk_reports_never_hide_the_person_reaching_out(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            report(reported_post, reason=ReportReason.AT_RISK)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    item = ReviewItem.objects.get(post=reported_post)
    assert item.at_risk and item.alert_count == 1
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 1


def test_the_queue_puts_at_risk_first_then_score_then_age(db, django_capture_on_commit_callbacks):
    topic = make_topic()
    old_low, new_high, risk = (make_reply(topic=topic) for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        report(old_low, reason=ReportReason.OTHER)
        report(new_high, reason=ReportReason.PRIVATE_DETAILS)
        report(risk, reason=ReportReason.AT_RISK)
    second_low = make_reply(topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        report(second_low, reason=ReportReason.OTHER)
    ordered = [item.post_id for item in ReviewItem.objects.open().by_priority()]
    assert ordered == [risk.pk, new_high.pk, old_low.pk, second_low.pk]


# serialized_rollback: the flush afterwards must not drop the seeded rows later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_members_reporting_at_once_make_one_item_and_twenty_reports():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    post = make_reply(topic=make_topic())
    reporters = [UserFactory() for _ in range(20)]
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


# --- new members' first posts ---------------------------------------------------------------


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


# --- crisis screening -----------------------------------------------------------------------


def test_crisis_language_is_published_opens_an_at_risk_item_and_alerts_moderators(
    moderator, django_capture_on_commit_callbacks
):
    other_moderator = UserFactory(role=Role.ADMIN)
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
        assert len(notes_for(person, NotificationKind.MODERATOR_ALERT)) == 1
    alerts = [m for m in mail.outbox if set(m.to) & {moderator.email, other_moderator.email}]
    assert len(alerts) == 2
    for message in alerts:
        text = message.subject + message.body + "".join(str(a[0]) for a in message.alternatives)
        assert "ending it all" not in text
        assert topic.title not in text


def test_a_new_members_crisis_post_waits_and_still_alerts(
    moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(
            author=UserFactory(approved_post_count=0), topic=make_topic(), body=CRISIS_TEXT
        )
    item = ReviewItem.objects.get(post=post)
    assert post.status == Status.PENDING
    assert item.at_risk and item.needs_approval
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 1


def test_the_sweeper_opens_reviews_whose_task_was_lost(moderator):
    # No on_commit callbacks run here: as if the broker had been down when the post was made.
    post = create_reply(author=UserFactory(), topic=make_topic(), body=CRISIS_TEXT)
    assert not ReviewItem.objects.filter(post=post).exists()
    assert services.sweep_unreviewed_posts() == 1
    assert ReviewItem.objects.get(post=post).at_risk
    assert services.sweep_unreviewed_posts() == 0
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 1


def test_unclaimed_at_risk_items_alert_every_moderator_again(
    moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(author=UserFactory(), topic=make_topic(), body=CRISIS_TEXT)
    item = ReviewItem.objects.get(post=post)
    assert services.realert_unclaimed_at_risk() == 0
    later = timezone.now() + timedelta(minutes=16)
    assert services.realert_unclaimed_at_risk(now=later) == 1
    assert services.realert_unclaimed_at_risk(now=later) == 0
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 2

    services.claim_item(moderator=moderator, item=item)
    assert services.realert_unclaimed_at_risk(now=later + timedelta(minutes=16)) == 0


def test_the_queue_summary_goes_out_at_most_once_per_window(moderator, reported_post):
    assert services.send_queue_summary() == 0
    report(reported_post)
    services.fold_report(report_id=Report.objects.get().pk)
    now = timezone.now()
    assert services.send_queue_summary(now=now) == 1
    services.send_queue_summary(now=now)
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 1
    services.send_queue_summary(now=now + timedelta(minutes=15))
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 2


# --- moderator actions ----------------------------------------------------------------------


def _reported_item(post, reporters, capture):
    with capture(execute=True):
        for reporter in reporters:
            report(post, reporter=reporter)
    return ReviewItem.objects.get(post=post)


def test_hiding_writes_one_log_row_explains_to_the_author_and_thanks_reporters(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    reporters = [UserFactory(), UserFactory()]
    item = _reported_item(reported_post, reporters, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        log = services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.HIDE,
            reason=ModerationReason.JUDGING,
            explanation="Please share what helped you rather than judging.",
        )
    assert ModerationLog.objects.filter(actor=moderator).count() == 1
    assert (log.action, log.target_user, log.post, log.reason) == (
        ModerationAction.HIDE,
        reported_post.author,
        reported_post,
        ModerationReason.JUDGING,
    )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    [note] = notes_for(reported_post.author, NotificationKind.MODERATION)
    assert "Strengths, not shortcomings" in note.message
    assert "Please share what helped you" in note.message
    assert "ask for a review" in note.message
    for reporter in reporters:
        [closed] = notes_for(reporter, NotificationKind.REPORT_CLOSED)
        assert "we reviewed your report" in closed.message
        # The closure note says nothing about the decision or the author.
        assert reported_post.author.username not in closed.message
    item.refresh_from_db()
    assert item.status == ReviewStatus.RESOLVED
    assert not Report.objects.filter(closed_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("action", "status", "locked"),
    [
        (ModerationAction.REMOVE, Status.REMOVED, False),
        (ModerationAction.LOCK, Status.PUBLISHED, True),
        (ModerationAction.WARN, Status.PUBLISHED, False),
    ],
)
def test_each_post_action_does_what_it_says(
    action, status, locked, reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=action,
        reason=ModerationReason.OTHER,
        explanation="Explained kindly.",
    )
    reported_post.refresh_from_db()
    assert reported_post.status == status
    assert Topic.objects.get(pk=reported_post.topic_id).is_locked is locked
    assert ModerationLog.objects.filter(action=action).count() == 1
    assert len(notes_for(reported_post.author, NotificationKind.MODERATION)) == 1


def test_keeping_an_auto_hidden_post_publishes_it_again(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(
        reported_post, [UserFactory() for _ in range(3)], django_capture_on_commit_callbacks
    )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="This is within our guidelines.",
    )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    assert Topic.objects.get(pk=reported_post.topic_id).reply_count == 1
    messages = [n.message for n in notes_for(reported_post.author, NotificationKind.MODERATION)]
    assert any("it stays up" in m for m in messages)


def test_editing_with_a_reason_keeps_the_old_text_in_history(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.EDIT,
        reason=ModerationReason.PRIVACY,
        explanation="I took out a phone number.",
        body="A reply with the phone number taken out.",
    )
    reported_post.refresh_from_db()
    assert reported_post.body == "A reply with the phone number taken out."
    assert reported_post.revisions.get().body == "A reply someone might report."


@pytest.mark.parametrize(
    ("reason", "explanation"), [("", "Because."), (ModerationReason.SPAM, "   "), ("made_up", "x")]
)
def test_every_action_needs_a_reason_and_an_explanation(
    reason, explanation, reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    with pytest.raises(services.ModerationError):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.HIDE,
            reason=reason,
            explanation=explanation,
        )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    assert not ModerationLog.objects.exists()


def test_approve_applies_only_to_waiting_posts(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    with pytest.raises(services.ModerationError, match="doesn't apply"):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.APPROVE,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="ok",
        )


# --- sanctions ------------------------------------------------------------------------------


def test_mute_then_lift(reported_post, moderator, django_capture_on_commit_callbacks):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    author = reported_post.author
    until = timezone.now() + timedelta(hours=24)
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.MUTE,
        reason=ModerationReason.JUDGING,
        explanation="Let's take a breather.",
        until=until,
    )
    author.refresh_from_db()
    assert author.is_muted() and not author.is_suspended()
    sanction = Sanction.objects.get(user=author)
    services.lift_sanction(
        moderator=moderator,
        sanction=sanction,
        reason=ModerationReason.OTHER,
        explanation="Thank you for the conversation.",
    )
    author.refresh_from_db()
    assert not author.is_muted()
    assert list(ModerationLog.objects.order_by("id").values_list("action", flat=True)) == [
        ModerationAction.MUTE,
        ModerationAction.LIFT,
    ]
    assert len(notes_for(author, NotificationKind.MODERATION)) == 2


def test_suspension_needs_an_end_in_the_future(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    with pytest.raises(services.ModerationError, match="future"):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.SUSPEND,
            reason=ModerationReason.SPAM,
            explanation="Repeated advertising.",
            until=timezone.now() - timedelta(minutes=1),
        )
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.SUSPEND,
        reason=ModerationReason.SPAM,
        explanation="Repeated advertising.",
        until=timezone.now() + timedelta(days=7),
    )
    reported_post.author.refresh_from_db()
    assert reported_post.author.is_suspended()


def test_expired_sanctions_are_lifted_by_the_beat_task(member, moderator):
    past = timezone.now() - timedelta(minutes=1)
    Sanction.objects.create(user=member, kind="mute", ends_at=past, created_by=moderator)
    User.objects.filter(pk=member.pk).update(muted_until=past)
    assert services.lift_expired_sanctions() == 1
    assert services.lift_expired_sanctions() == 0
    member.refresh_from_db()
    assert member.muted_until is None
    assert Sanction.objects.get().lifted_at is not None
    assert ModerationLog.objects.get().action == ModerationAction.EXPIRE


# --- asking for a review ----------------------------------------------------------------------


def test_the_author_can_ask_for_a_review_which_reopens_the_item(
    reported_post, moderator, django_capture_on_commit_callbacks
):
    item = _reported_item(reported_post, [UserFactory()], django_capture_on_commit_callbacks)
    log = services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.REMOVE,
        reason=ModerationReason.ADVICE,
        explanation="Medical advice.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_review(author=reported_post.author, log=log, note="I shared experience.")
    item.refresh_from_db()
    assert item.status == ReviewStatus.OPEN
    assert ReportReason.APPEAL in item.reasons
    with pytest.raises(services.ModerationError):
        services.request_review(author=UserFactory(), log=log, note="Not mine.")


# --- the append-only log ----------------------------------------------------------------------


def test_the_database_refuses_to_update_or_delete_moderation_log_rows(member):
    log = ModerationLog.objects.create(
        action=ModerationAction.WARN,
        target_user=member,
        reason=ModerationReason.OTHER,
        explanation="The original words.",
    )
    table = ModerationLog._meta.db_table
    for sql in (
        f"UPDATE {table} SET explanation = 'rewritten' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [log.pk])
    log.refresh_from_db()
    assert log.explanation == "The original words."
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationLog.objects.filter(pk=log.pk).update(explanation="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        log.delete()
    assert ModerationLog.objects.filter(pk=log.pk, explanation="The original words.").exists()


def test_category_counters_stay_true_through_hide_and_keep(
    moderator, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    topic = make_topic(category=category)
    reply = make_reply(topic=topic)
    category.refresh_from_db()
    assert category.post_count == 2
    item = _reported_item(reply, [moderator], django_capture_on_commit_callbacks)
    assert Category.objects.get(pk=category.pk).post_count == 1
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="Fine after all.",
    )
    assert Category.objects.get(pk=category.pk).post_count == 2
