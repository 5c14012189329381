"""Changes to the community: its shared texts, reports, the review queue and moderation."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from forum import rendering
from forum import services as forum_services
from forum.models import NotificationKind, Post, Status, Topic
from forum.notifications.api import notify

from .models import (
    MEMBER_REPORT_REASONS,
    MODERATOR_REASONS,
    REASON_WEIGHTS,
    Guidelines,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
    Sanction,
    SanctionKind,
)

logger = logging.getLogger(__name__)

GUIDELINES_CACHE_KEY = "community:guidelines:current"


def current_guidelines() -> Guidelines | None:
    """The guidelines in force, from the cache when possible (they are on every page)."""
    found = cache.get(GUIDELINES_CACHE_KEY)
    if found is None:
        found = Guidelines.objects.current() or False
        cache.set(GUIDELINES_CACHE_KEY, found, 300)
    return found or None


@transaction.atomic
def save_guidelines(*, guidelines: Guidelines) -> Guidelines:
    """`guidelines` is stored with its body rendered, and every page shows it from now on."""
    guidelines.body_html = rendering.render_markdown(guidelines.body)
    guidelines.save()
    transaction.on_commit(lambda: cache.delete(GUIDELINES_CACHE_KEY))
    return guidelines


# --- Reports, the review queue and moderation ------------------------------------------------


class ModerationError(Exception):
    """A moderation rule refused the change; the message is safe to show the member."""


class AlreadyReported(ModerationError):
    """The member has already reported this post."""


# Reports by this many different members hide a post until a moderator looks.
AUTO_HIDE_REPORTERS = 3
# Safety weighs on the score beyond the report reasons; a waiting post is worth a look too.
CRISIS_LANGUAGE_WEIGHT = 5
NEEDS_APPROVAL_WEIGHT = 1
REVIEW_URL_NAME = "community:review_item"

AUTO_HIDE_MESSAGE = (
    "One of your posts is hidden for now while moderators take a look. This happens "
    "automatically when several members ask us to check a post; it is not a decision, and it "
    "does not mean you did something wrong. A moderator will review it soon and let you know."
)
REPORT_CLOSED_MESSAGE = (
    "Thank you, we reviewed your report. Reports like yours are how this community stays kind "
    "and safe. To protect everyone's privacy we don't share what we decided about another "
    "member."
)
AT_RISK_ALERT_MESSAGE = (
    "Someone may be at risk: an item is waiting at the top of the review queue. Please claim "
    "it so others know it is being looked after."
)
REVIEW_HOW_TO = (
    "If you think we got this wrong, you can ask for a review: open the link in this message "
    "and choose “Ask for a review”. A different moderator will look at it."
)

# What the author is told, per action, before the guideline and the moderator's own words.
AUTHOR_OUTCOMES = {
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
SANCTION_ACTIONS = {
    ModerationAction.MUTE: SanctionKind.MUTE,
    ModerationAction.SUSPEND: SanctionKind.SUSPEND,
}


def _dispatch(task_name: str, *ids: int) -> None:
    """Hand a community task to Celery after commit; the sweepers cover a broker outage."""
    from . import tasks

    task = tasks.BY_NAME[task_name]

    def send() -> None:
        try:
            task.apply_async(args=list(ids), retry=False)
        except Exception:
            if task.app.conf.task_always_eager:
                raise
            logger.warning(
                "could not hand %s%s to the broker; a sweeper will retry", task_name, ids
            )

    transaction.on_commit(send)


def moderators() -> QuerySet[User]:
    """Every active member who moderates and is not suspended."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=[Role.MODERATOR, Role.ADMIN]) | Q(is_superuser=True))
        .exclude(suspended_until__gt=timezone.now())
        .order_by("pk")
    )


def reports_today(user: User) -> int:
    return Report.objects.filter(
        reporter=user, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()


@transaction.atomic
def report_post(*, reporter: User, post: Post, reason: str, note: str = "") -> Report:
    """`reporter` has reported `post` exactly once; after commit it is folded into the post's
    review item (never shown to the author or other members)."""
    if reason not in dict(MEMBER_REPORT_REASONS):
        raise ModerationError("Please choose a reason from the list.")
    if post.author_id == reporter.pk:
        raise ModerationError("You can't report your own post. You can edit or delete it instead.")
    if len(note) > 1000:
        raise ModerationError("Notes can be up to 1,000 characters.")
    # Locking the reporter's own row makes the daily cap exact without blocking anyone else.
    User.objects.select_for_update().filter(pk=reporter.pk).first()
    if Report.objects.filter(post=post, reporter=reporter).exists():
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
    _dispatch("community.fold_report", report.pk)
    return report


def _locked_item(post: Post) -> ReviewItem:
    """The post's one review item, created if needed, locked for this transaction."""
    item = ReviewItem.objects.select_for_update().filter(post_id=post.pk).first()
    if item is not None:
        return item
    try:
        with transaction.atomic():
            return ReviewItem.objects.create(post=post)
    except IntegrityError:
        # Another transaction created it first; the unique constraint made us wait for it.
        return ReviewItem.objects.select_for_update().get(post_id=post.pk)


def _moderates(user: User) -> bool:
    return user.role in (Role.MODERATOR, Role.ADMIN) or user.is_superuser


def _recount(item: ReviewItem) -> None:
    """Reasons, count, score and at-risk flag from the post's open reports (idempotent)."""
    reports = list(
        Report.objects.filter(post_id=item.post_id, closed_at__isnull=True).values_list(
            "reason", flat=True
        )
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


def _write_log(
    *,
    actor: User | None,
    action: str,
    target_user: User,
    reason: str,
    explanation: str,
    post: Post | None = None,
    topic: Topic | None = None,
    item: ReviewItem | None = None,
    until=None,
) -> ModerationLog:
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


def _maybe_auto_hide(item: ReviewItem, post: Post) -> None:
    if item.auto_hidden_at is not None or post.status != Status.PUBLISHED:
        return
    # "Someone may be at risk" asks for care, not removal: hiding a person reaching out would
    # answer them with silence, so those reports never count towards hiding.
    reporters = list(
        User.objects.filter(
            pk__in=Report.objects.filter(post_id=post.pk, closed_at__isnull=True)
            .exclude(reason__in=[ReportReason.AT_RISK, ReportReason.APPEAL])
            .values("reporter_id")
        ).only("role", "is_superuser")
    )
    if len(reporters) < AUTO_HIDE_REPORTERS and not any(map(_moderates, reporters)):
        return
    forum_services.set_post_status(post=post, status=Status.HIDDEN)
    post.status = Status.HIDDEN
    item.auto_hidden_at = timezone.now()
    log = _write_log(
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


def _alert_key(item: ReviewItem) -> str:
    # One key per alert per opening of the item: a reopened item alerts afresh.
    return f"at-risk:{item.pk}:{int(item.opened_at.timestamp())}:{item.alert_count}"


def _alert_moderators(item: ReviewItem, *, now=None) -> int:
    """Every moderator has an immediate alert about at-risk `item` (never with its text)."""
    item.alert_count += 1
    item.last_alerted_at = now or timezone.now()
    key = _alert_key(item)
    sent = 0
    for moderator in moderators():
        if notify(
            recipient=moderator,
            kind=NotificationKind.MODERATOR_ALERT,
            event_key=key,
            message=AT_RISK_ALERT_MESSAGE,
            url=item.get_absolute_url(),
        ):
            sent += 1
    return sent


def _maybe_alert_at_risk(item: ReviewItem) -> None:
    if item.at_risk and item.status == ReviewStatus.OPEN and item.alert_count == 0:
        _alert_moderators(item)


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
    include every open report; reported by 3 members (or 1 moderator) the post is hidden;
    an at-risk item has alerted every moderator. Safe to run twice."""
    report = (
        Report.objects.select_related("post", "post__topic", "post__author")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return None
    post = report.post
    item = _locked_item(post)
    if report.closed_at is None:
        if item.status == ReviewStatus.RESOLVED:
            _reopen(item)
        if report.review_item_id != item.pk:
            Report.objects.filter(pk=report.pk).update(review_item=item)
    _recount(item)
    if item.status == ReviewStatus.OPEN:
        _maybe_auto_hide(item, post)
        _maybe_alert_at_risk(item)
    item.save()
    return item


@transaction.atomic
def review_new_post(*, post_id: int) -> ReviewItem | None:
    """A post waiting for approval, or using crisis language, has an open review item; an
    at-risk one has alerted every moderator at once. Safe to run twice."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None or not (post.status == Status.PENDING or post.crisis_language):
        return None
    item = _locked_item(post)
    if item.status == ReviewStatus.RESOLVED:
        # A moderator already decided about this post; a redelivered task changes nothing.
        return item
    item.needs_approval = item.needs_approval or post.status == Status.PENDING
    item.crisis_language = item.crisis_language or post.crisis_language
    _recount(item)
    _maybe_alert_at_risk(item)
    item.save()
    return item


def sweep_unreviewed_posts(*, now=None) -> int:
    """Waiting or at-risk posts from the last week whose review was lost now have one."""
    now = now or timezone.now()
    post_ids = list(
        Post.objects.filter(created_at__gte=now - timedelta(days=7), review_item__isnull=True)
        .filter(Q(status=Status.PENDING) | Q(crisis_language=True, status=Status.PUBLISHED))
        .values_list("pk", flat=True)[:500]
    )
    for post_id in post_ids:
        review_new_post(post_id=post_id)
    return len(post_ids)


@transaction.atomic
def claim_item(*, moderator: User, item: ReviewItem, claim: bool = True) -> ReviewItem:
    """`item` is claimed by `moderator` (or released by them), so two moderators never work
    the same item."""
    item = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("claimed_by")
        .get(pk=item.pk)
    )
    if claim:
        if item.claimed_by_id and item.claimed_by_id != moderator.pk:
            raise ModerationError(f"{item.claimed_by.public_name} is already working on this item.")
        item.claimed_by = moderator
        item.claimed_at = timezone.now()
    elif item.claimed_by_id == moderator.pk:
        item.claimed_by = None
        item.claimed_at = None
    item.save(update_fields=["claimed_by", "claimed_at"])
    return item


def _author_message(action: str, reason: str, explanation: str) -> str:
    guideline = ModerationReason(reason).label
    parts = [AUTHOR_OUTCOMES[action], f"Guideline concerned: {guideline}.", explanation.strip()]
    if action not in (
        ModerationAction.APPROVE,
        ModerationAction.KEEP,
        ModerationAction.UNLOCK,
        ModerationAction.LIFT,
    ):
        parts.append(REVIEW_HOW_TO)
    return "\n\n".join(parts)


def _close_reports(*, item: ReviewItem, now) -> int:
    """Every open report on the item is closed and its reporter thanked (once per report)."""
    reports = list(
        Report.objects.select_for_update()
        .filter(post_id=item.post_id, closed_at__isnull=True)
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


def _apply_sanction(*, moderator: User, user: User, kind: str, until) -> Sanction:
    sanction = Sanction.objects.create(user=user, kind=kind, ends_at=until, created_by=moderator)
    _sync_sanctions(user)
    return sanction


def _sync_sanctions(user: User) -> None:
    """The member's muted_until / suspended_until match their active sanctions."""
    now = timezone.now()
    active = Sanction.objects.filter(user=user, lifted_at__isnull=True, ends_at__gt=now)
    ends = {kind: None for kind in SanctionKind.values}
    for kind, ends_at in active.values_list("kind", "ends_at"):
        if ends[kind] is None or ends_at > ends[kind]:
            ends[kind] = ends_at
    User.objects.filter(pk=user.pk).update(
        muted_until=ends[SanctionKind.MUTE], suspended_until=ends[SanctionKind.SUSPEND]
    )
    user.muted_until = ends[SanctionKind.MUTE]
    user.suspended_until = ends[SanctionKind.SUSPEND]


@transaction.atomic
def act_on_item(
    *,
    moderator: User,
    item: ReviewItem,
    action: str,
    reason: str,
    explanation: str,
    until=None,
    body: str | None = None,
) -> ModerationLog:
    """The action is done, exactly one moderation log row says who, what, why and when, the
    item is resolved, the author has a kind explanation and the reporters a closure note."""
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    post = Post.objects.select_related("topic", "author").get(pk=item.post_id)
    if action not in ITEM_ACTIONS:
        raise ModerationError("Please choose an action from the list.")
    if reason not in dict(MODERATOR_REASONS):
        raise ModerationError("Please choose the reason, naming the guideline concerned.")
    if not explanation.strip():
        raise ModerationError("Please explain your decision: the member will read it.")
    if post.status not in ITEM_ACTIONS[action]:
        raise ModerationError(
            f"“{ModerationAction(action).label}” doesn't apply to a post that is "
            f"{Status(post.status).label.lower()}."
        )
    now = timezone.now()
    author = post.author
    was_hidden = post.status == Status.HIDDEN
    if action in SANCTION_ACTIONS:
        if until is None or until <= now:
            raise ModerationError("Please choose when the sanction ends (in the future).")
        _apply_sanction(
            moderator=moderator, user=author, kind=SANCTION_ACTIONS[action], until=until
        )
    elif action == ModerationAction.KEEP:
        forum_services.set_post_status(post=post, status=Status.PUBLISHED)
    elif action in (ModerationAction.HIDE,):
        forum_services.set_post_status(post=post, status=Status.HIDDEN)
    elif action in (ModerationAction.REMOVE, ModerationAction.REJECT):
        forum_services.set_post_status(post=post, status=Status.REMOVED)
    elif action == ModerationAction.APPROVE:
        forum_services.set_post_status(post=post, status=Status.PUBLISHED)
    elif action == ModerationAction.EDIT:
        if not body or not body.strip():
            raise ModerationError("Please give the post's new text.")
        forum_services.edit_post(editor=moderator, post=post, body=body, reason=explanation[:300])
        if was_hidden:
            # The edit took out what was wrong: the post is visible again.
            forum_services.set_post_status(post=post, status=Status.PUBLISHED)
    elif action in (ModerationAction.LOCK, ModerationAction.UNLOCK):
        forum_services.set_topic_locked(topic=post.topic, locked=action == ModerationAction.LOCK)
    log = _write_log(
        actor=moderator,
        action=action,
        target_user=author,
        reason=reason,
        explanation=explanation.strip(),
        post=post,
        item=item,
        until=until if action in SANCTION_ACTIONS else None,
    )
    # Keeping a post that was never hidden changes nothing for its author: telling them they
    # were reported would only worry them.
    if not (action == ModerationAction.KEEP and not was_hidden):
        notify(
            recipient=author,
            kind=NotificationKind.MODERATION,
            event_key=f"modlog:{log.pk}",
            post=post,
            message=_author_message(action, reason, explanation),
            url=reverse("community:decision", kwargs={"pk": log.pk}),
        )
    _close_reports(item=item, now=now)
    item.status = ReviewStatus.RESOLVED
    item.resolved_at = now
    item.crisis_language = False
    item.needs_approval = False
    item.claimed_by = None
    item.claimed_at = None
    _recount(item)
    item.save()
    return log


@transaction.atomic
def lift_sanction(
    *, moderator: User, sanction: Sanction, reason: str, explanation: str
) -> ModerationLog:
    """The sanction no longer applies, one log row records it, and the member is told."""
    sanction = Sanction.objects.select_for_update().select_related("user").get(pk=sanction.pk)
    if reason not in dict(MODERATOR_REASONS):
        raise ModerationError("Please choose the reason.")
    if not explanation.strip():
        raise ModerationError("Please explain your decision: the member will read it.")
    if not sanction.is_active:
        raise ModerationError("This sanction has already ended.")
    sanction.lifted_at = timezone.now()
    sanction.save(update_fields=["lifted_at"])
    _sync_sanctions(sanction.user)
    log = _write_log(
        actor=moderator,
        action=ModerationAction.LIFT,
        target_user=sanction.user,
        reason=reason,
        explanation=explanation.strip(),
    )
    notify(
        recipient=sanction.user,
        kind=NotificationKind.MODERATION,
        event_key=f"modlog:{log.pk}",
        message=_author_message(ModerationAction.LIFT, reason, explanation),
        url=reverse("community:decision", kwargs={"pk": log.pk}),
    )
    return log


def lift_expired_sanctions(*, now=None) -> int:
    """Sanctions whose time has ended are lifted and logged; the member's account is free."""
    now = now or timezone.now()
    lifted = 0
    for sanction_id in Sanction.objects.filter(
        lifted_at__isnull=True, ends_at__lte=now
    ).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            sanction = (
                Sanction.objects.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(pk=sanction_id, lifted_at__isnull=True)
                .first()
            )
            if sanction is None:
                continue
            sanction.lifted_at = now
            sanction.save(update_fields=["lifted_at"])
            _sync_sanctions(sanction.user)
            _write_log(
                actor=None,
                action=ModerationAction.EXPIRE,
                target_user=sanction.user,
                reason=ModerationReason.EXPIRED,
                explanation=f"{sanction.get_kind_display()} ended as planned.",
                until=sanction.ends_at,
            )
            lifted += 1
    return lifted


def realert_unclaimed_at_risk(*, now=None) -> int:
    """At-risk items nobody claimed within AT_RISK_REALERT_MINUTES have alerted every
    moderator again (and again each period until someone claims them)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.AT_RISK_REALERT_MINUTES)
    realerted = 0
    for item_id in (
        ReviewItem.objects.open()
        .filter(at_risk=True, claimed_by__isnull=True, last_alerted_at__lte=cutoff)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            item = (
                ReviewItem.objects.select_for_update(skip_locked=True)
                .filter(
                    pk=item_id,
                    status=ReviewStatus.OPEN,
                    claimed_by__isnull=True,
                    last_alerted_at__lte=cutoff,
                )
                .first()
            )
            if item is None:
                continue
            _alert_moderators(item, now=now)
            item.save(update_fields=["alert_count", "last_alerted_at"])
            realerted += 1
    return realerted


def send_queue_summary(*, now=None) -> int:
    """While the queue is not empty, every moderator has one summary alert per 15-minute
    window (at-risk items alert on their own); returns how many moderators were told."""
    now = now or timezone.now()
    waiting = ReviewItem.objects.open().count()
    if not waiting:
        return 0
    window = int(now.timestamp()) // (15 * 60)
    told = 0
    with transaction.atomic():
        for moderator in moderators():
            if notify(
                recipient=moderator,
                kind=NotificationKind.MODERATOR_ALERT,
                event_key=f"queue-summary:{window}",
                message=f"{waiting} item{'s' if waiting != 1 else ''} waiting in the review queue.",
                url=reverse("community:queue"),
            ):
                told += 1
    return told


@transaction.atomic
def request_review(*, author: User, log: ModerationLog, note: str) -> Report:
    """The author's request to look again at a decision is in the queue, on the same item."""
    if log.target_user_id != author.pk or log.post_id is None:
        raise ModerationError("You can ask for a review of decisions about your own posts.")
    if not note.strip():
        raise ModerationError("Please tell us briefly why you'd like us to look again.")
    if len(note) > 1000:
        raise ModerationError("Notes can be up to 1,000 characters.")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post_id=log.post_id, reporter=author, reason=ReportReason.APPEAL, note=note.strip()
            )
    except IntegrityError as error:
        raise AlreadyReported("You already asked for a review of this post.") from error
    _dispatch("community.fold_report", report.pk)
    return report
