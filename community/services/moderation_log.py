"""The append-only moderation log and the explanation its subject reads."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from accounts.models import User
from community.models import ModerationAction, ModerationLog, ModerationReason, ReviewItem
from forum.models import NotificationKind, Post, Topic
from forum.notifications.api import notify

from .insights import record_decision_timing

REVIEW_HOW_TO = (
    "If you think we got this wrong, you can ask for a review: open the link in this message "
    "and choose “Ask for a review”. A different moderator will look at it."
)

# What the author is told, per action, before the guideline and the moderator's own words.
# "{post}" and "{topic}" name the post ("your post in “…”") on the site; the notification
# email never carries this message, only "A message from the moderators".
# Keyed by str: actions arrive as plain strings from forms and log rows (a TextChoices member
# hashes and compares equal to its value).
AUTHOR_OUTCOMES: dict[str, str] = {
    ModerationAction.KEEP: "A moderator reviewed {post} and it stays up: it is visible again.",
    ModerationAction.HIDE: "A moderator has hidden {post}. You can still see it.",
    ModerationAction.REMOVE: "A moderator has removed {post}.",
    ModerationAction.EDIT: "A moderator has edited {post}.",
    ModerationAction.LOCK: "A moderator has closed {topic} to new replies.",
    ModerationAction.UNLOCK: "A moderator has reopened {topic} to replies.",
    ModerationAction.APPROVE: (
        "Welcome! A moderator read {post} and published it: members can read it now. "
        "Thank you for sharing."
    ),
    ModerationAction.REJECT: "A moderator decided not to publish {post}.",
    ModerationAction.WARN: "A moderator is reaching out about {post}.",
    ModerationAction.MUTE: "A moderator has paused your posting for a while. You can still read.",
    ModerationAction.SUSPEND: "A moderator has paused your account for a while.",
    ModerationAction.LIFT: "A moderator has lifted the pause on your account.",
    ModerationAction.SET_WARNINGS: (
        "A moderator has changed the content warnings on {post}, so readers who prefer it "
        "see it folded. You can change them when you edit the post."
    ),
}
# Approving a post that spoke of crisis: nothing was wrong, and help stays one tap away.
APPROVED_CRISIS_OUTCOME = (
    "A moderator read {post} and published it: members can read it now. Thank you for "
    "trusting the community with how you feel. Whenever you need someone right away, "
    "“Need help now?” at the top of every page lists people you can call or text, any time."
)
# What the decision page is headed with, per action (the log's action label otherwise).
DECISION_HEADINGS: dict[str, str] = {
    ModerationAction.APPROVE: "Your post is published",
    ModerationAction.KEEP: "Your post stays up",
    ModerationAction.UNLOCK: "Your topic is open again",
    ModerationAction.LIFT: "The pause is lifted",
}
# Good news needs no way to contest it, and names no guideline: nothing was wrong.
NOT_CONTESTED = (
    ModerationAction.SET_WARNINGS,
    ModerationAction.APPROVE,
    ModerationAction.KEEP,
    ModerationAction.UNLOCK,
    ModerationAction.LIFT,
)


def names_guideline(*, action: str, reason: str) -> bool:
    """Whether what a member reads about a decision names a guideline (only bad news does)."""
    return action not in NOT_CONTESTED and reason != ModerationReason.WITHIN_GUIDELINES


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
    """One log row records who did what to whom, why and when (the table refuses changes); a
    moderator's decision on a review item also keeps the item's timings for the insights page."""
    log = ModerationLog.objects.create(
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
    if item is not None:
        record_decision_timing(log=log, item=item)
    return log


def author_message(
    *,
    action: str,
    reason: str,
    explanation: str,
    topic_title: str = "",
    crisis_language: bool = False,
) -> str:
    """What the member a decision is about reads on the site: the outcome naming their post,
    the guideline (only when something was wrong), and the moderator's own words."""
    outcome = (
        APPROVED_CRISIS_OUTCOME
        if action == ModerationAction.APPROVE and crisis_language
        else AUTHOR_OUTCOMES[action]
    )
    parts = [
        outcome.format(
            post=f"your post in “{topic_title}”" if topic_title else "one of your posts",
            topic=f"your topic “{topic_title}”" if topic_title else "one of your topics",
        )
    ]
    if names_guideline(action=action, reason=reason):
        parts.append(f"Guideline concerned: {ModerationReason(reason).label}.")
    parts.append(explanation.strip())
    if action not in NOT_CONTESTED:
        parts.append(REVIEW_HOW_TO)
    return "\n\n".join(part for part in parts if part)


def explain_decision(*, log: ModerationLog, post: Post | None = None) -> None:
    """The member `log` is about has a private message on the site explaining it, naming
    their post, once per log row."""
    notify(
        recipient=log.target_user,
        kind=NotificationKind.MODERATION,
        event_key=f"modlog:{log.pk}",
        post=post,
        message=author_message(
            action=log.action,
            reason=log.reason,
            explanation=log.explanation,
            topic_title=post.topic.title if post is not None else "",
            crisis_language=post is not None and post.crisis_language,
        ),
        url=reverse("community:decision", kwargs={"pk": log.pk}),
    )
