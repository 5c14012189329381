"""Approving new members' posts together: each approval its own service call and log row."""

from __future__ import annotations

from accounts.models import Role
from community import services
from community.models import ModerationAction, ModerationLog, ReviewItem, ReviewStatus
from forum.models import Post, Status
from tests.community.queue_helpers import reported_item, waiting_item
from tests.factories import UserFactory


def test_each_approval_is_its_own_logged_decision(db, moderator):
    items = [waiting_item() for _ in range(3)]
    result = services.approve_items(
        moderator=moderator,
        item_ids=[item.pk for item in items],
        reason="within_guidelines",
        explanation="Welcome!",
    )
    assert result.approved == [item.pk for item in items]
    logs = ModerationLog.objects.filter(review_item__in=items)
    assert logs.count() == 3
    assert set(logs.values_list("action", "actor", "explanation")) == {
        (ModerationAction.APPROVE, moderator.pk, "Welcome!")
    }
    assert set(Post.objects.filter(review_item__in=items).values_list("status", flat=True)) == {
        Status.PUBLISHED
    }


def test_items_claimed_by_someone_else_are_skipped_and_unchanged(db, moderator):
    mine, theirs = waiting_item(), waiting_item()
    other = UserFactory(role=Role.MODERATOR)
    services.claim_item(moderator=other, item=theirs)
    result = services.approve_items(
        moderator=moderator, item_ids=[mine.pk, theirs.pk], reason="within_guidelines"
    )
    assert result.approved == [mine.pk]
    assert result.claimed_by_others == [theirs.pk]
    theirs.refresh_from_db()
    assert (theirs.status, theirs.claimed_by_id) == (ReviewStatus.OPEN, other.pk)
    assert Post.objects.get(pk=theirs.post_id).status == Status.PENDING
    assert not ModerationLog.objects.filter(review_item=theirs).exists()


def test_what_no_longer_waits_is_skipped(db, moderator):
    decided = waiting_item()
    services.act_on_item(
        moderator=moderator,
        item=decided,
        action=ModerationAction.APPROVE,
        reason="within_guidelines",
        explanation="",
    )
    reported = reported_item()
    deleted = waiting_item()
    Post.objects.filter(pk=deleted.post_id).update(status=Status.DELETED, body="")
    result = services.approve_items(
        moderator=moderator,
        item_ids=[decided.pk, reported.pk, deleted.pk, 999_999],
        reason="within_guidelines",
    )
    assert result.approved == []
    assert result.no_longer_waiting == [decided.pk, reported.pk, deleted.pk, 999_999]
    assert ModerationLog.objects.count() == 1
    assert ReviewItem.objects.get(pk=reported.pk).status == ReviewStatus.OPEN
