"""Moderators' decisions on review items: claiming an item, then acting on it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.models import (
    MODERATOR_REASONS,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
    SanctionKind,
)
from forum import services as forum_services
from forum.models import NotificationKind, Post, Status
from forum.notifications.api import notify

from .errors import ModerationError
from .moderation_log import explain_decision, write_log
from .reports import resolve_item
from .sanctions import SANCTION_ROLE_REFUSAL, apply_sanction

REPORT_CLOSED_MESSAGE = (
    "Thank you, we reviewed your report. Reports like yours are how this community stays kind "
    "and safe. To protect everyone's privacy we don't share what we decided about another "
    "member."
)

# Actions a moderator chooses on a review item, and which post statuses each applies to.
ITEM_ACTIONS: dict[str, tuple[str, ...]] = {
    ModerationAction.KEEP: (Status.PUBLISHED, Status.HIDDEN),
    ModerationAction.HIDE: (Status.PUBLISHED, Status.PENDING),
    ModerationAction.REMOVE: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING),
    ModerationAction.EDIT: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING),
    ModerationAction.LOCK: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING, Status.REMOVED),
    ModerationAction.UNLOCK: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING, Status.REMOVED),
    ModerationAction.APPROVE: (Status.PENDING,),
    ModerationAction.REJECT: (Status.PENDING,),
    ModerationAction.WARN: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING, Status.REMOVED),
    ModerationAction.MUTE: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING, Status.REMOVED),
    ModerationAction.SUSPEND: (Status.PUBLISHED, Status.HIDDEN, Status.PENDING, Status.REMOVED),
}
# Keyed by str, like the action a moderator's form sends (a TextChoices member hashes and
# compares equal to its value).
SANCTION_ACTIONS: dict[str, SanctionKind] = {
    ModerationAction.MUTE: SanctionKind.MUTE,
    ModerationAction.SUSPEND: SanctionKind.SUSPEND,
}
# The post status each plain action leaves behind (the rest lock, edit, warn or sanction).
STATUS_AFTER: dict[str, Status] = {
    ModerationAction.KEEP: Status.PUBLISHED,
    ModerationAction.HIDE: Status.HIDDEN,
    ModerationAction.REMOVE: Status.REMOVED,
    ModerationAction.REJECT: Status.REMOVED,
    ModerationAction.APPROVE: Status.PUBLISHED,
}


# Actions that warn, mute or suspend the post's author: the rules on sanctions apply to them.
SANCTIONING_ACTIONS = (ModerationAction.WARN, ModerationAction.MUTE, ModerationAction.SUSPEND)

MODERATION_PAUSED = (
    "Moderation is paused for your account while a mute or suspension is in force. It comes "
    "back by itself when that ends."
)
OWN_POST = (
    "This item is about your own post, so another moderator will decide on it. Nothing was changed."
)
TAKE_OVER_FIRST = "{name} is working on this item. Take it over first if you need to act on it."


def actions_for(post: Post) -> list[str]:
    """The actions ITEM_ACTIONS allows on a post in `post`'s status, in the order listed."""
    return [action for action, statuses in ITEM_ACTIONS.items() if post.status in statuses]


def _locked_item(item: ReviewItem) -> ReviewItem:
    # The claim is read under the row lock, so two moderators never both pass the checks.
    return (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "post")
        .get(pk=item.pk)
    )


def _check_moderator(*, moderator: User, item: ReviewItem) -> None:
    """`moderator` may moderate now, and `item` is not about their own post."""
    if not permissions.can_moderate(moderator):
        raise ModerationError(MODERATION_PAUSED)
    if permissions.is_about_own_post(moderator, item):
        raise ModerationError(OWN_POST)


def _check_may_work_on(*, moderator: User, item: ReviewItem) -> None:
    """The rules every change to an item follows, each refused with why (item locked)."""
    _check_moderator(moderator=moderator, item=item)
    if permissions.is_claimed_by_someone_else(moderator, item):
        holder = item.claimed_by
        name = holder.public_name if holder is not None else "Another moderator"
        raise ModerationError(TAKE_OVER_FIRST.format(name=name))


@transaction.atomic
def claim_item(*, moderator: User, item: ReviewItem, claim: bool = True) -> ReviewItem:
    """`item` is claimed by `moderator` (or released by them), so two moderators never work
    the same item; an item someone else holds is theirs until it is taken over."""
    item = _locked_item(item)
    _check_may_work_on(moderator=moderator, item=item)
    if claim:
        item.claimed_by = moderator
        item.claimed_at = timezone.now()
    else:
        item.claimed_by = None
        item.claimed_at = None
    item.save(update_fields=["claimed_by", "claimed_at"])
    return item


@transaction.atomic
def take_over_item(*, moderator: User, item: ReviewItem) -> ModerationLog:
    """`moderator` holds the claim on `item` that another moderator held, and one log row
    names them both (actor and target), so the hand-over is never silent."""
    item = _locked_item(item)
    holder = item.claimed_by
    if item.status != ReviewStatus.OPEN:
        raise ModerationError("This item is already resolved, so there is nothing to take over.")
    if holder is None or holder.pk == moderator.pk:
        raise ModerationError(
            "Nobody else is working on this item, so there is nothing to take over. You can "
            "claim it instead."
        )
    _check_moderator(moderator=moderator, item=item)
    item.claimed_by = moderator
    item.claimed_at = timezone.now()
    item.save(update_fields=["claimed_by", "claimed_at"])
    # Named by the row's actor and target (moderators only read the log); no post, so the row
    # is never offered to anyone as a decision to contest.
    return write_log(
        actor=moderator,
        action=ModerationAction.TAKE_OVER,
        target_user=holder,
        reason=ModerationReason.HANDOVER,
        explanation="Took over this item from the moderator who had claimed it.",
        item=item,
    )


def _close_reports(*, item: ReviewItem, now: datetime) -> int:
    """Every open report on the item is closed and its reporter thanked (once per report)."""
    reports = list(
        Report.objects.open()
        .select_for_update()
        .filter(post_id=item.post_id)
        .select_related("reporter")
    )
    for report in reports:
        if report.reason == ReportReason.APPEAL:
            continue
        notify(
            recipient=report.reporter,
            kind=NotificationKind.REPORT_CLOSED,
            event_key=f"report-closed:{report.pk}",
            message=REPORT_CLOSED_MESSAGE,
            url=reverse("community:my_reports"),
        )
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(closed_at=now)
    return len(reports)


def _check_decision(*, post: Post, action: str, reason: str, explanation: str) -> None:
    if action not in ITEM_ACTIONS:
        raise ModerationError("Please choose an action from the list.")
    if reason not in dict(MODERATOR_REASONS):
        raise ModerationError("Please choose the reason, naming the guideline concerned.")
    # Approve and keep tell the member only good news: no explanation is needed.
    if not explanation.strip() and action not in (ModerationAction.APPROVE, ModerationAction.KEEP):
        raise ModerationError("Please explain your decision: the member will read it.")
    if post.status not in ITEM_ACTIONS[action]:
        raise ModerationError(
            f"“{ModerationAction(action).label}” doesn't apply to a post that is "
            f"{Status(post.status).label.lower()}."
        )


def _carry_out(
    *,
    moderator: User,
    post: Post,
    action: str,
    explanation: str,
    until: datetime | None,
    body: str | None,
    now: datetime,
) -> None:
    if action in SANCTION_ACTIONS:
        if until is None or until <= now:
            raise ModerationError("Please choose when the sanction ends (in the future).")
        apply_sanction(
            moderator=moderator, user=post.author, kind=SANCTION_ACTIONS[action], until=until
        )
    elif action in STATUS_AFTER:
        forum_services.set_post_status(post=post, status=STATUS_AFTER[action])
    elif action == ModerationAction.EDIT:
        if not body or not body.strip():
            raise ModerationError("Please give the post's new text.")
        was_hidden = post.status == Status.HIDDEN
        forum_services.edit_post(editor=moderator, post=post, body=body, reason=explanation[:300])
        if was_hidden:
            # The edit took out what was wrong: the post is visible again.
            forum_services.set_post_status(post=post, status=Status.PUBLISHED)
    elif action in (ModerationAction.LOCK, ModerationAction.UNLOCK):
        forum_services.set_topic_locked(topic=post.topic, locked=action == ModerationAction.LOCK)


@transaction.atomic
def act_on_item(
    *,
    moderator: User,
    item: ReviewItem,
    action: str,
    reason: str,
    explanation: str,
    until: datetime | None = None,
    body: str | None = None,
) -> ModerationLog:
    """The action is done, exactly one moderation log row says who, what, why and when, the
    item is resolved, the author has a kind explanation and the reporters a closure note."""
    item = _locked_item(item)
    _check_may_work_on(moderator=moderator, item=item)
    post = Post.objects.select_related("topic", "author").get(pk=item.post_id)
    _check_decision(post=post, action=action, reason=reason, explanation=explanation)
    if action in SANCTIONING_ACTIONS and not permissions.can_sanction_member(
        moderator, post.author
    ):
        raise ModerationError(SANCTION_ROLE_REFUSAL)
    now = timezone.now()
    was_hidden = post.status == Status.HIDDEN
    _carry_out(
        moderator=moderator,
        post=post,
        action=action,
        explanation=explanation,
        until=until,
        body=body,
        now=now,
    )
    log = write_log(
        actor=moderator,
        action=action,
        target_user=post.author,
        reason=reason,
        explanation=explanation.strip(),
        post=post,
        item=item,
        until=until if action in SANCTION_ACTIONS else None,
    )
    # Keeping a post that was never hidden changes nothing for its author: telling them they
    # were reported would only worry them.
    if not (action == ModerationAction.KEEP and not was_hidden):
        explain_decision(log=log, post=post)
    _close_reports(item=item, now=now)
    resolve_item(item=item, now=now)
    return log
