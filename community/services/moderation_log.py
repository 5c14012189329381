"""The append-only moderation log and the explanation its subject reads."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from accounts.models import User
from community.models import ModerationAction, ModerationLog, ModerationReason, ReviewItem
from forum.models import NotificationKind, Post, Topic
from forum.notifications.api import notify

REVIEW_HOW_TO = (
    "If you think we got this wrong, you can ask for a review: open the link in this message "
    "and choose “Ask for a review”. A different moderator will look at it."
)

# What the author is told, per action, before the guideline and the moderator's own words.
# Keyed by str: actions arrive as plain strings from forms and log rows (a TextChoices member
# hashes and compares equal to its value).
AUTHOR_OUTCOMES: dict[str, str] = {
    ModerationAction.KEEP: "A moderator reviewed your post and it stays up: it is visible again.",
    ModerationAction.HIDE: "A moderator has hidden one of your posts. You can still see it.",
    ModerationAction.REMOVE: "A moderator has removed one of your posts.",
    ModerationAction.EDIT: "A moderator has edited one of your posts.",
    ModerationAction.LOCK: "A moderator has closed one of your topics to new replies.",
    ModerationAction.UNLOCK: "A moderator has reopened one of your topics to replies.",
    ModerationAction.APPROVE: "Welcome! A moderator approved your post and everyone can see it.",
    ModerationAction.REJECT: "A moderator decided not to publish one of your posts.",
    ModerationAction.WARN: "A moderator is reaching out about one of your posts.",
    ModerationAction.MUTE: "A moderator has paused your posting for a while. You can still read.",
    ModerationAction.SUSPEND: "A moderator has paused your account for a while.",
    ModerationAction.LIFT: "A moderator has lifted the pause on your account.",
}
# Good news needs no way to contest it.
NOT_CONTESTED = (
    ModerationAction.APPROVE,
    ModerationAction.KEEP,
    ModerationAction.UNLOCK,
    ModerationAction.LIFT,
)


def write_log(
    *,
    actor: User | None,
    action: str,
    target_user: User,
    reason: str,
    explanation: str,
    post: Post | None = None,
    topic: Topic | None = None,
    item: ReviewItem | None = None,
    until: datetime | None = None,
) -> ModerationLog:
    """One log row records who did what to whom, why and when (the table refuses changes)."""
    return ModerationLog.objects.create(
        actor=actor,
        action=action,
        target_user=target_user,
        post=post,
        topic=topic if topic is not None else (post.topic if post is not None else None),
        review_item=item,
        reason=reason,
        explanation=explanation,
        until=until,
    )


def author_message(*, action: str, reason: str, explanation: str) -> str:
    """What the member a decision is about reads: outcome, guideline, the moderator's words."""
    guideline = ModerationReason(reason).label
    parts = [AUTHOR_OUTCOMES[action], f"Guideline concerned: {guideline}.", explanation.strip()]
    if action not in NOT_CONTESTED:
        parts.append(REVIEW_HOW_TO)
    return "\n\n".join(parts)


def explain_decision(*, log: ModerationLog, post: Post | None = None) -> None:
    """The member `log` is about has a private message explaining it, once per log row."""
    notify(
        recipient=log.target_user,
        kind=NotificationKind.MODERATION,
        event_key=f"modlog:{log.pk}",
        post=post,
        message=author_message(action=log.action, reason=log.reason, explanation=log.explanation),
        url=reverse("community:decision", kwargs={"pk": log.pk}),
    )
