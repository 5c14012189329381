"""Claiming and acting on review items (community/services/decisions.py)."""

from __future__ import annotations

import pytest

from community import services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReviewStatus,
)
from forum.models import Category, NotificationKind, Status, Topic
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


def test_hiding_writes_one_log_row_explains_to_the_author_and_thanks_reporters(
    reported_post, moderator, django_capture_on_commit_callbacks, notes_for, reported_item
):
    reporters = [UserFactory(), UserFactory()]
    item = reported_item(reported_post, reporters)
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
    action, status, locked, reported_post, moderator, notes_for, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
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
    reported_post, moderator, notes_for, reported_item
):
    item = reported_item(reported_post, [UserFactory() for _ in range(3)])
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
    reported_post, moderator, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
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
    reason, explanation, reported_post, moderator, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
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


def test_approve_applies_only_to_waiting_posts(reported_post, moderator, reported_item):
    item = reported_item(reported_post, [UserFactory()])
    with pytest.raises(services.ModerationError, match="doesn't apply"):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.APPROVE,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="ok",
        )


def test_category_counters_stay_true_through_hide_and_keep(moderator, reported_item):
    category = CategoryFactory()
    topic = make_topic(category=category)
    reply = make_reply(topic=topic)
    category.refresh_from_db()
    assert category.post_count == 2
    item = reported_item(reply, [moderator])
    assert Category.objects.get(pk=category.pk).post_count == 1
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="Fine after all.",
    )
    assert Category.objects.get(pk=category.pk).post_count == 2
