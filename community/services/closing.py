"""Review items that close by themselves when their post is gone (deleted by its author, or
removed), each closing logged as the system's."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from community.models import ModerationAction, ModerationReason, Report, ReviewItem, ReviewStatus
from forum.models import Post, Status

from .moderation_log import write_log
from .reports import resolve_item

# Only these leave nothing to decide; a hidden post still waits for a moderator's decision.
GONE = (Status.DELETED, Status.REMOVED)
GONE_WORDS: dict[str, str] = {
    Status.DELETED: "Closed: the author deleted the post.",
    Status.REMOVED: "Closed: the post was removed.",
}
SWEEP_LIMIT = 500


@transaction.atomic
def close_items_for_post(*, post_id: int) -> ReviewItem | None:
    """If `post_id` is deleted or removed, its open review item is resolved, its open reports
    are closed, and one system log row says why; otherwise nothing changes. Safe to repeat."""
    item = (
        ReviewItem.objects.select_for_update()
        .filter(post_id=post_id, status=ReviewStatus.OPEN)
        .first()
    )
    if item is None:
        return None
    post = Post.objects.select_related("topic", "author").get(pk=post_id)
    if post.status not in GONE:
        return None
    now = timezone.now()
    # Reporters are not thanked: nobody reviewed what they sent, and saying so would be untrue.
    Report.objects.open().filter(post_id=post_id).update(closed_at=now)
    write_log(
        actor=None,
        action=ModerationAction.CLOSE,
        target_user=post.author,
        reason=ModerationReason.POST_GONE,
        explanation=GONE_WORDS[post.status],
        post=post,
        item=item,
    )
    resolve_item(item=item, now=now)
    return item


def sweep_items_of_gone_posts() -> int:
    """Open items whose post is gone but whose closing task was lost are closed; returns how
    many."""
    post_ids = list(
        ReviewItem.objects.open()
        .filter(post__status__in=GONE)
        .values_list("post_id", flat=True)[:SWEEP_LIMIT]
    )
    return sum(1 for post_id in post_ids if close_items_for_post(post_id=post_id) is not None)
