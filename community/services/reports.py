"""Reports and the review queue: what members report, and what screening sends, becomes one
review item per post."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from community import standing
from community.models import (
    MEMBER_REPORT_REASONS,
    REASON_WEIGHTS,
    ModerationAction,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
)
from community.selectors import (
    has_reported,
    reporters_towards_hiding,
    reports_today,
    unfolded_report_ids,
    unreviewed_post_ids,
)
from forum import services as forum_services
from forum.dispatch import publish_after_commit
from forum.models import NotificationKind, Post, Status
from forum.notifications.api import notify

from .alerts import alert_if_at_risk
from .errors import AlreadyReported, ModerationError
from .moderation_log import write_log

logger = logging.getLogger(__name__)

FOLD_REPORT_TASK = "community.fold_report"
# A fold task normally runs within a second of the report; one still unfolded after this was
# lost with its broker message (a Redis restart, a worker that never ran it).
REPORT_FOLD_GRACE = timedelta(seconds=60)
# Safety weighs on the score beyond the report reasons; a waiting post is worth a look too.
CRISIS_LANGUAGE_WEIGHT = 5
NEEDS_APPROVAL_WEIGHT = 1
NOTE_MAX = 1000

AUTO_HIDE_MESSAGE = (
    "One of your posts is hidden for now while moderators take a look. This happens "
    "automatically when several members ask us to check a post; it is not a decision, and it "
    "does not mean you did something wrong. A moderator will review it soon and let you know."
)


@transaction.atomic
def report_post(*, reporter: User, post: Post, reason: str, note: str = "") -> Report:
    """`reporter` has reported `post` exactly once; after commit it is folded into the post's
    review item (never shown to the author or other members)."""
    if reason not in dict(MEMBER_REPORT_REASONS):
        raise ModerationError("Please choose a reason from the list.")
    if post.author_id == reporter.pk:
        raise ModerationError("You can't report your own post. You can edit or delete it instead.")
    if len(note) > NOTE_MAX:
        raise ModerationError("Notes can be up to 1,000 characters.")
    # Locking the reporter's own row makes the daily cap exact without blocking anyone else.
    User.objects.select_for_update().filter(pk=reporter.pk).first()
    if has_reported(user=reporter, post=post):
        raise AlreadyReported("You already reported this post. Thank you: moderators will look.")
    if reports_today(reporter) >= settings.REPORTS_PER_DAY:
        raise ModerationError(
            "You've sent as many reports as we can take from one member in a day. Thank you for "
            "caring. If someone is in danger right now, please use “Need help now?”."
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post, reporter=reporter, reason=reason, note=note.strip()
            )
    except IntegrityError as error:
        raise AlreadyReported(
            "You already reported this post. Thank you: moderators will look."
        ) from error
    publish_after_commit(FOLD_REPORT_TASK, report.pk)
    return report


def lock_review_item(*, post: Post) -> ReviewItem:
    """The post's one review item, created if needed, locked for the caller's transaction."""
    item = ReviewItem.objects.select_for_update().filter(post_id=post.pk).first()
    if item is not None:
        return item
    try:
        with transaction.atomic():
            return ReviewItem.objects.create(post=post)
    except IntegrityError:
        # Another transaction created it first; the unique constraint made us wait for it.
        return ReviewItem.objects.select_for_update().get(post_id=post.pk)


def recount_review_item(*, item: ReviewItem) -> None:
    """`item`'s reasons, count, score and at-risk flag are recomputed from its post's open
    reports (unsaved). Recomputing, never incrementing, is what makes folding idempotent."""
    reports = list(
        Report.objects.open().filter(post_id=item.post_id).values_list("reason", flat=True)
    )
    present = set(reports)
    item.reasons = [reason for reason in ReportReason.values if reason in present]
    item.report_count = len(reports)
    item.score = (
        sum(REASON_WEIGHTS.get(reason, 1) for reason in reports)
        + (CRISIS_LANGUAGE_WEIGHT if item.crisis_language else 0)
        + (NEEDS_APPROVAL_WEIGHT if item.needs_approval else 0)
    )
    item.at_risk = item.crisis_language or ReportReason.AT_RISK in present
    item.updated_at = timezone.now()


def resolve_item(*, item: ReviewItem, now: datetime) -> None:
    """`item` is resolved and saved: unclaimed, out of every lane, its counts recomputed from
    the reports still open (none, once they are closed)."""
    item.status = ReviewStatus.RESOLVED
    item.resolved_at = now
    item.crisis_language = False
    item.needs_approval = False
    item.claimed_by = None
    item.claimed_at = None
    recount_review_item(item=item)
    item.save()


def _maybe_auto_hide(item: ReviewItem, post: Post) -> None:
    if item.auto_hidden_at is not None or post.status != Status.PUBLISHED:
        return
    # Weighed by each reporter's standing (community/standing.py): accounts made a minute ago
    # never hide a post by themselves, however many there are.
    now = timezone.now()
    if not standing.hides(standing.standings(reporters_towards_hiding(post)), now=now):
        return
    forum_services.set_post_status(post=post, status=Status.HIDDEN)
    post.status = Status.HIDDEN
    item.auto_hidden_at = now
    log = write_log(
        actor=None,
        action=ModerationAction.AUTO_HIDE,
        target_user=post.author,
        reason=ModerationReason.REPORTED,
        explanation="Hidden until a moderator reviews it, after reports from members.",
        post=post,
        item=item,
    )
    notify(
        recipient=post.author,
        kind=NotificationKind.MODERATION,
        event_key=f"modlog:{log.pk}",
        post=post,
        message=AUTO_HIDE_MESSAGE,
        url=post.get_absolute_url(),
    )


def _reopen(item: ReviewItem) -> None:
    item.status = ReviewStatus.OPEN
    item.opened_at = timezone.now()
    item.resolved_at = None
    item.claimed_by = None
    item.claimed_at = None
    item.auto_hidden_at = None
    item.alert_count = 0
    item.last_alerted_at = None


@transaction.atomic
def fold_report(*, report_id: int) -> ReviewItem | None:
    """The report's post has one review item whose reasons, report count, score and priority
    include every open report; once the reports weigh enough (community.standing: members by
    their standing, a moderator at once) the post is hidden; an at-risk item has alerted every
    moderator, whatever the reports weigh. Safe to run twice."""
    report = (
        Report.objects.select_related("post", "post__topic", "post__author")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return None
    post = report.post
    item = lock_review_item(post=post)
    if report.closed_at is None:
        if item.status == ReviewStatus.RESOLVED:
            _reopen(item)
        if report.review_item_id != item.pk:
            Report.objects.filter(pk=report.pk).update(review_item=item)
    recount_review_item(item=item)
    if item.status == ReviewStatus.OPEN:
        _maybe_auto_hide(item, post)
        alert_if_at_risk(item=item)
    item.save()
    return item


@transaction.atomic
def review_new_post(*, post_id: int) -> ReviewItem | None:
    """A post waiting for approval, or using crisis language, has an open review item; an
    at-risk one has alerted every moderator at once. Safe to run twice."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None or not (post.status == Status.PENDING or post.crisis_language):
        return None
    item = lock_review_item(post=post)
    if item.status == ReviewStatus.RESOLVED:
        # A moderator already decided about this post; a redelivered task changes nothing.
        return item
    item.needs_approval = item.needs_approval or post.status == Status.PENDING
    item.crisis_language = item.crisis_language or post.crisis_language
    recount_review_item(item=item)
    alert_if_at_risk(item=item)
    item.save()
    return item


def sweep_unreviewed_posts(*, now: datetime | None = None) -> int:
    """Waiting or at-risk posts from the last week whose review was lost now have one."""
    post_ids = unreviewed_post_ids(now=now or timezone.now())
    for post_id in post_ids:
        review_new_post(post_id=post_id)
    return len(post_ids)


def sweep_unfolded_reports(*, now: datetime | None = None) -> int:
    """Open reports (appeals included) whose fold task was lost are folded into their post's
    review item, with the auto-hide and at-risk alerts folding brings. Safe to run twice."""
    report_ids = unfolded_report_ids(created_before=(now or timezone.now()) - REPORT_FOLD_GRACE)
    for report_id in report_ids:
        try:
            fold_report(report_id=report_id)
        except Exception as error:
            # One report that cannot be folded must not hold back the ones behind it; it stays
            # unfolded, so the next sweep tries it again. Ids and the class only: no text.
            logger.warning(
                "could not fold report %s (%s); the next sweep retries",
                report_id,
                type(error).__name__,
            )
    return len(report_ids)
