"""Review items close by themselves, logged, when their post is deleted or removed."""

from __future__ import annotations

from community import services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReviewItem,
    ReviewStatus,
)
from forum import services as forum_services
from forum.models import Post, Status
from tests.community.queue_helpers import reported_item, waiting_item


def test_a_waiting_post_its_author_deletes_closes_its_item(db, django_capture_on_commit_callbacks):
    item = waiting_item()
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.delete_post(user=item.post.author, post=item.post)
    item.refresh_from_db()
    assert item.status == ReviewStatus.RESOLVED
    assert not item.needs_approval
    log = ModerationLog.objects.get(review_item=item)
    assert log.actor is None
    assert log.action == ModerationAction.CLOSE
    assert log.reason == ModerationReason.POST_GONE
    assert log.explanation == "Closed: the author deleted the post."
    assert log.target_user_id == item.post.author_id


def test_a_reported_post_that_is_removed_closes_its_item_and_reports(
    db, django_capture_on_commit_callbacks
):
    item = reported_item()
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.set_post_status(post=item.post, status=Status.REMOVED)
    item.refresh_from_db()
    assert item.status == ReviewStatus.RESOLVED
    assert item.report_count == 0
    assert not Report.objects.open().filter(post=item.post).exists()
    assert ModerationLog.objects.get(review_item=item).explanation == (
        "Closed: the post was removed."
    )


def test_a_hidden_post_still_waits_for_a_decision(db):
    item = reported_item()
    forum_services.set_post_status(post=item.post, status=Status.HIDDEN)
    assert services.close_items_for_post(post_id=item.post_id) is None
    item.refresh_from_db()
    assert item.status == ReviewStatus.OPEN
    assert not ModerationLog.objects.filter(review_item=item).exists()


def test_closing_twice_writes_one_row(db):
    item = waiting_item()
    Post.objects.filter(pk=item.post_id).update(status=Status.DELETED, body="")
    assert services.close_items_for_post(post_id=item.post_id) is not None
    assert services.close_items_for_post(post_id=item.post_id) is None
    assert ModerationLog.objects.filter(review_item=item).count() == 1


def test_a_moderators_removal_is_logged_once_as_theirs(
    db, moderator, django_capture_on_commit_callbacks
):
    item = reported_item()
    with django_capture_on_commit_callbacks(execute=True):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.REMOVE,
            reason=ModerationReason.SPAM,
            explanation="This was an advert.",
        )
    assert list(ModerationLog.objects.filter(review_item=item).values_list("action", "actor")) == [
        (ModerationAction.REMOVE, moderator.pk)
    ]


def test_the_sweep_closes_items_whose_task_was_lost(db):
    lost = waiting_item()
    removed = reported_item()
    waiting = waiting_item()
    # As if the closing tasks never ran: the posts changed without a hand-off.
    Post.objects.filter(pk=lost.post_id).update(status=Status.DELETED, body="")
    Post.objects.filter(pk=removed.post_id).update(status=Status.REMOVED)
    assert services.sweep_items_of_gone_posts() == 2
    assert set(ReviewItem.objects.open().values_list("pk", flat=True)) == {waiting.pk}
    assert services.sweep_items_of_gone_posts() == 0
