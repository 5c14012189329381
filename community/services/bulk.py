"""Approving several new members' posts at once, each decision its own logged action."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from community.models import ModerationAction, ReviewItem, ReviewStatus
from forum.models import Status

from .decisions import act_on_item
from .errors import ModerationError


@dataclass
class BulkApproval:
    """What a bulk approval did: the items approved, and those left for someone else."""

    approved: list[int] = field(default_factory=list)
    # Claimed by another moderator: theirs to decide.
    claimed_by_others: list[int] = field(default_factory=list)
    # Decided, deleted or no longer waiting since the page was read.
    no_longer_waiting: list[int] = field(default_factory=list)


def approve_items(
    *, moderator: User, item_ids: list[int], reason: str, explanation: str = ""
) -> BulkApproval:
    """Each listed item still waiting for approval, and claimed by nobody else, is approved
    through act_on_item (its own transaction, log row and welcome for its author); the rest
    are left as they are and counted."""
    result = BulkApproval()
    items = {
        item.pk: item for item in ReviewItem.objects.filter(pk__in=item_ids).select_related("post")
    }
    for pk in dict.fromkeys(item_ids):
        item = items.get(pk)
        if (
            item is None
            or item.status != ReviewStatus.OPEN
            or not item.needs_approval
            or item.post.status != Status.PENDING
        ):
            result.no_longer_waiting.append(pk)
            continue
        if item.claimed_by_id not in (None, moderator.pk):
            result.claimed_by_others.append(pk)
            continue
        try:
            act_on_item(
                moderator=moderator,
                item=item,
                action=ModerationAction.APPROVE,
                reason=reason,
                explanation=explanation,
            )
        except ModerationError:
            # Decided by someone else between the read above and this item's own lock.
            result.no_longer_waiting.append(pk)
        else:
            result.approved.append(pk)
    return result
