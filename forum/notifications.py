"""Who hears about what: in-site notifications and the email outbox rows that go with them.

Every notification and email owed is written as a row in the transaction that causes it; the
Celery tasks in forum.tasks are only the delivery. If the broker is down when the transaction
commits, the rows stay pending and `sweep_outbox` hands them over again later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from . import rendering
from .models import (
    CategorySubscription,
    Delivery,
    EmailOutbox,
    FanOutStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxStatus,
    Post,
    PostFanOut,
    Status,
    Topic,
    TopicSubscription,
)

logger = logging.getLogger(__name__)

# Kinds about a member's post: not shown, and not emailed, once that post is hidden or removed.
POST_KINDS = frozenset(
    {
        NotificationKind.TOPIC_REPLY,
        NotificationKind.FOLLOWED_REPLY,
        NotificationKind.MENTION,
        NotificationKind.ENCOURAGEMENT,
    }
)
# Kinds a member chooses delivery for on the preferences page.
MEMBER_KINDS = (
    NotificationKind.TOPIC_REPLY,
    NotificationKind.FOLLOWED_REPLY,
    NotificationKind.MENTION,
    NotificationKind.ENCOURAGEMENT,
    NotificationKind.MODERATION,
    NotificationKind.REPORT_CLOSED,
)
# A mention outranks "your topic", which outranks "a topic you follow": one notification each.
_PRIORITY = (
    NotificationKind.MENTION,
    NotificationKind.TOPIC_REPLY,
    NotificationKind.FOLLOWED_REPLY,
)
FAN_OUT_BATCH = 1000
DISPATCH_CHUNK = 200
UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"
DIGEST_TOKEN_KIND = "digest"
_UNREAD_KEY = "forum:unread:{}"
_UNREAD_TTL = 300

# Fallback for members who never saved preferences; field defaults are the single source.
_DEFAULTS = NotificationPreference()


# --- preferences ---------------------------------------------------------------------------


def preferences_for(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    """Each member's preferences (the defaults where none were saved), in one query."""
    ids = list(user_ids)
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=ids)}
    return {uid: found.get(uid, _DEFAULTS) for uid in ids}


def preference_of(user: User) -> NotificationPreference:
    """`user`'s saved preferences, or an unsaved row holding the defaults."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


def delivery_for(preference: NotificationPreference, kind: str) -> str:
    """How `kind` is emailed under `preference`; moderator alerts are never digested."""
    chosen = preference.delivery_for(kind)
    if kind == NotificationKind.MODERATOR_ALERT:
        return Delivery.NEVER if chosen == Delivery.NEVER else Delivery.IMMEDIATE
    return chosen


@transaction.atomic
def save_preferences(*, user: User, values: dict) -> NotificationPreference:
    """`user`'s preferences hold `values`; pending emails of kinds now off are cancelled."""
    allowed = {*(k.value for k in MEMBER_KINDS), "include_excerpt"}
    if user.is_moderator:
        allowed.add(NotificationKind.MODERATOR_ALERT.value)
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in values.items():
        if name in allowed:
            setattr(preference, name, value)
    preference.save()
    _reroute_pending(user=user, preference=preference)
    return preference


def _reroute_pending(*, user: User, preference: NotificationPreference) -> None:
    """Move pending email rows to the channel `preference` now chooses (or cancel them)."""
    for kind in NotificationKind.values:
        wanted = delivery_for(preference, kind)
        rows = EmailOutbox.objects.filter(recipient=user, kind=kind, status=OutboxStatus.PENDING)
        if wanted == Delivery.NEVER:
            rows.update(status=OutboxStatus.CANCELLED)
        else:
            rows.exclude(delivery=wanted).update(delivery=wanted)


# --- writing notifications -----------------------------------------------------------------


def notify(
    *,
    recipient: User,
    kind: str,
    event_key: str,
    topic: Topic | None = None,
    post: Post | None = None,
    message: str = "",
    url: str = "",
    actor: User | None = None,
) -> Notification | None:
    """recipient has an in-site notification and, per their email preference for `kind`, an
    outbox email row, written in the caller's transaction and dispatched after commit.
    Idempotent on (event_key, recipient, kind)."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipient.is_active:
        return None
    if topic is None and post is not None:
        topic = post.topic
    existing = Notification.objects.filter(
        event_key=event_key, recipient=recipient, kind=kind
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                event_key=event_key,
                topic=topic,
                post=post,
                actor=actor,
                message=message,
                url=url,
            )
    except IntegrityError:
        # A concurrent call for the same event won the race; its row is the notification.
        return Notification.objects.get(event_key=event_key, recipient=recipient, kind=kind)
    delivery = delivery_for(preference_of(recipient), kind)
    if delivery != Delivery.NEVER and recipient.email:
        row = EmailOutbox.objects.create(
            notification=notification,
            recipient=recipient,
            kind=kind,
            event_key=event_key,
            delivery=delivery,
            topic=topic,
        )
        if delivery == Delivery.IMMEDIATE:
            transaction.on_commit(lambda: dispatch_emails([row.pk]))
    transaction.on_commit(lambda: forget_unread([recipient.pk]))
    return notification


def notify_encouragement(*, post: Post, sender: User) -> Notification | None:
    """The author of `post` has heard that `sender` sent encouragement (once per sender)."""
    return notify(
        recipient=post.author,
        kind=NotificationKind.ENCOURAGEMENT,
        event_key=f"encouragement:{post.pk}:{sender.pk}",
        post=post,
        actor=sender,
    )


def schedule_fan_out(*, post: Post) -> PostFanOut:
    """Everyone owed a notification about `post` will get one after this transaction commits,
    or, for a post waiting for a moderator, once this is called again after it is published."""
    published = post.status == Status.PUBLISHED
    fan_out, created = PostFanOut.objects.get_or_create(
        post=post, defaults={"status": FanOutStatus.PENDING if published else FanOutStatus.HELD}
    )
    if not created and published and fan_out.status == FanOutStatus.HELD:
        # The post was waiting for a moderator and is now published: release it.
        fan_out.status = FanOutStatus.PENDING
        fan_out.dispatched_at = timezone.now()
        fan_out.save(update_fields=["status", "dispatched_at"])
    if fan_out.status == FanOutStatus.PENDING:
        transaction.on_commit(lambda: _publish("forum.fan_out_post", [post.pk]))
    return fan_out


@dataclass
class FanOutResult:
    recipients: int = 0
    emails_immediate: int = 0
    emails_digest: int = 0
    batches: int = 0
    immediate_ids: list[int] = field(default_factory=list)


def _recipients_of(post: Post) -> dict[int, str]:
    """Member id -> the one kind of notification they get about `post`."""
    topic = post.topic
    by_kind: dict[str, set[int]] = {kind: set() for kind in _PRIORITY}
    mentioned = rendering.find_mentions(post.body)
    if mentioned:
        by_kind[NotificationKind.MENTION] = set(
            User.objects.filter(username__in=mentioned).values_list("pk", flat=True)
        )
    if not post.is_opening_post:
        by_kind[NotificationKind.TOPIC_REPLY] = {topic.author_id}
    followers = set(TopicSubscription.objects.filter(topic=topic).values_list("user_id", flat=True))
    followers.update(
        CategorySubscription.objects.filter(category_id=topic.category_id).values_list(
            "user_id", flat=True
        )
    )
    by_kind[NotificationKind.FOLLOWED_REPLY] = followers
    chosen: dict[int, str] = {}
    for kind in _PRIORITY:
        for uid in by_kind[kind]:
            chosen.setdefault(uid, kind)
    chosen.pop(post.author_id, None)
    return chosen


def fan_out_reply(*, post_id: int) -> FanOutResult:
    """Everyone owed a notification about post `post_id` (a reply or an opening post) has one,
    and an outbox row per their preferences; written in bulk batches, safe to run twice."""
    result = FanOutResult()
    with transaction.atomic():
        fan_out, _ = PostFanOut.objects.get_or_create(post_id=post_id)
        fan_out = PostFanOut.objects.select_for_update().get(pk=fan_out.pk)
        if fan_out.status == FanOutStatus.DONE:
            return result
        post = Post.objects.select_related("topic").get(pk=post_id)
        if post.status != Status.PUBLISHED or post.topic.status != Status.PUBLISHED:
            # Waiting for a moderator: schedule_fan_out releases it when it is published.
            fan_out.status = FanOutStatus.HELD
            fan_out.save(update_fields=["status"])
            return result
        chosen = _recipients_of(post)
        ids = sorted(chosen)
        event_key = f"post:{post.pk}"
        for start in range(0, len(ids), FAN_OUT_BATCH):
            _fan_out_batch(post, event_key, ids[start : start + FAN_OUT_BATCH], chosen, result)
        fan_out.status = FanOutStatus.DONE
        fan_out.done_at = timezone.now()
        fan_out.recipients = result.recipients
        fan_out.save(update_fields=["status", "done_at", "recipients"])
        immediate = list(result.immediate_ids)
        transaction.on_commit(lambda: dispatch_emails(immediate))
        transaction.on_commit(lambda: forget_unread(ids))
    return result


def _fan_out_batch(
    post: Post, event_key: str, batch: list[int], chosen: dict[int, str], result: FanOutResult
) -> None:
    """Write the notifications and outbox rows for one batch of members: five queries."""
    active = dict(User.objects.filter(pk__in=batch, is_active=True).values_list("pk", "email"))
    members = [uid for uid in batch if uid in active]
    if not members:
        return
    result.batches += 1
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=uid,
                kind=chosen[uid],
                event_key=event_key,
                topic_id=post.topic_id,
                post_id=post.pk,
                actor_id=post.author_id,
                created_at=now,
            )
            for uid in members
        ],
        ignore_conflicts=True,
    )
    result.recipients += len(members)
    notification_ids = dict(
        Notification.objects.filter(event_key=event_key, recipient_id__in=members).values_list(
            "recipient_id", "pk"
        )
    )
    preferences = preferences_for(members)
    rows = []
    for uid in members:
        delivery = delivery_for(preferences[uid], chosen[uid])
        if delivery == Delivery.NEVER or not active[uid] or uid not in notification_ids:
            continue
        rows.append(
            EmailOutbox(
                notification_id=notification_ids[uid],
                recipient_id=uid,
                kind=chosen[uid],
                event_key=event_key,
                delivery=delivery,
                topic_id=post.topic_id,
                created_at=now,
                dispatched_at=now,
                send_after=now,
            )
        )
        if delivery == Delivery.IMMEDIATE:
            result.emails_immediate += 1
        else:
            result.emails_digest += 1
    if not rows:
        return
    EmailOutbox.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.delivery == Delivery.IMMEDIATE for row in rows):
        result.immediate_ids.extend(
            EmailOutbox.objects.filter(
                event_key=event_key,
                recipient_id__in=members,
                delivery=Delivery.IMMEDIATE,
                status=OutboxStatus.PENDING,
            ).values_list("pk", flat=True)
        )


# --- handing rows to Celery ----------------------------------------------------------------


def _publish(task_name: str, args: list, **options) -> bool:
    """Hand one task to the broker; on failure log ids only and leave the row for the sweeper."""
    from . import tasks

    task = tasks.BY_NAME[task_name]
    try:
        task.apply_async(args=args, retry=False, **options)
    except Exception as error:
        if task.app.conf.task_always_eager:
            # Eager runs are the task itself failing, not the broker: tests must see it.
            raise
        # Ids and the exception class only: never the text of what was posted.
        logger.warning(
            "could not hand %s to the broker (%s); the outbox sweeper will retry (args=%s)",
            task_name,
            type(error).__name__,
            args,
        )
        return False
    return True


def dispatch_emails(outbox_ids: list[int], *, countdown: float | None = None) -> int:
    """Hand each outbox row to a `forum.deliver_email` task; returns how many were accepted."""
    options = {"countdown": countdown} if countdown else {}
    if countdown:
        from . import tasks

        if tasks.deliver_email.app.conf.task_always_eager:
            # Eager runs cannot wait: the row keeps its send_after and the sweeper hands it
            # over once it is due.
            return 0
    accepted = 0
    for outbox_id in outbox_ids:
        if not _publish("forum.deliver_email", [outbox_id], **options):
            # The broker is down: the rest would fail the same way, and the sweeper has them.
            break
        accepted += 1
    return accepted


def latest_digest_moment(now: datetime | None = None) -> datetime:
    """The most recent time the daily digest was due."""
    now = now or timezone.now()
    moment = now.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)


def sweep_outbox(*, now: datetime | None = None) -> dict[str, int]:
    """Rows still pending long after their last hand-off to the broker are handed over again."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER)
    counts = {"fan_outs": 0, "emails": 0, "digests": 0}

    fan_outs = list(
        PostFanOut.objects.filter(status=FanOutStatus.PENDING, dispatched_at__lt=stale)
        .order_by("pk")
        .values_list("post_id", flat=True)[:1000]
    )
    if fan_outs:
        PostFanOut.objects.filter(post_id__in=fan_outs).update(dispatched_at=now)
        for post_id in fan_outs:
            if not _publish("forum.fan_out_post", [post_id]):
                return counts
            counts["fan_outs"] += 1

    emails = list(
        EmailOutbox.objects.filter(
            status=OutboxStatus.PENDING,
            delivery=Delivery.IMMEDIATE,
            dispatched_at__lt=stale,
            send_after__lte=now,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    if emails:
        EmailOutbox.objects.filter(pk__in=emails).update(dispatched_at=now)
        counts["emails"] = dispatch_emails(emails)
        if counts["emails"] < len(emails):
            return counts

    digest_users = list(
        EmailOutbox.objects.filter(
            status=OutboxStatus.PENDING,
            delivery=Delivery.DIGEST,
            created_at__lt=latest_digest_moment(now),
            dispatched_at__lt=stale,
        )
        .values_list("recipient_id", flat=True)
        .distinct()[:5000]
    )
    counts["digests"] = dispatch_digests(digest_users, now=now)
    return counts


def dispatch_digests(user_ids: list[int], *, now: datetime | None = None) -> int:
    """Hand each member's digest to a `forum.send_digest` task; returns how many were accepted."""
    now = now or timezone.now()
    accepted = 0
    for uid in user_ids:
        EmailOutbox.objects.filter(
            recipient_id=uid, delivery=Delivery.DIGEST, status=OutboxStatus.PENDING
        ).update(dispatched_at=now)
        if not _publish("forum.send_digest", [uid]):
            break
        accepted += 1
    return accepted


def start_digests(*, now: datetime | None = None) -> int:
    """Every member with digest rows pending has a `forum.send_digest` task on its way."""
    users = list(
        EmailOutbox.objects.filter(status=OutboxStatus.PENDING, delivery=Delivery.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return dispatch_digests(users, now=now)


# --- reading in the site -------------------------------------------------------------------


def _shown(user: User) -> QuerySet[Notification]:
    """`user`'s notifications, minus those about posts that are no longer published."""
    gone = Q(kind__in=POST_KINDS) & (
        ~Q(post__status=Status.PUBLISHED) | ~Q(topic__status=Status.PUBLISHED)
    )
    return Notification.objects.filter(recipient=user).exclude(gone)


def unread_count(user: User) -> int:
    """How many unread items the bell shows (encouragement on one post counts once)."""
    key = _UNREAD_KEY.format(user.pk)
    try:
        cached = cache.get(key)
    except Exception:
        # A cache outage must not take every page down with it; the database still answers.
        logger.warning("unread count cache read failed", exc_info=True)
        cached = None
    if cached is not None:
        return cached
    totals = (
        _shown(user)
        .filter(read_at__isnull=True)
        .aggregate(
            single=Count("id", filter=~Q(kind=NotificationKind.ENCOURAGEMENT)),
            grouped=Count("post_id", filter=Q(kind=NotificationKind.ENCOURAGEMENT), distinct=True),
        )
    )
    count = totals["single"] + totals["grouped"]
    try:
        cache.set(key, count, _UNREAD_TTL)
    except Exception:
        logger.warning("unread count cache write failed", exc_info=True)
    return count


def forget_unread(user_ids: Iterable[int]) -> None:
    """The bell recounts for these members on their next page."""
    keys = [_UNREAD_KEY.format(uid) for uid in user_ids]
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("unread count cache invalidation failed", exc_info=True)


@dataclass
class InboxItem:
    """One line on the notifications page; encouragement on one post is one line."""

    notification: Notification
    unread: bool
    senders: int = 1

    @property
    def kind(self) -> str:
        return self.notification.kind


def inbox(user: User, *, limit: int = 50) -> list[InboxItem]:
    """`user`'s most recent notifications, newest first, encouragement grouped per post."""
    rows = list(
        _shown(user)
        .select_related("topic", "post", "actor")
        .order_by("-created_at", "-id")[: limit * 4]
    )
    items: list[InboxItem] = []
    groups: dict[int, InboxItem] = {}
    senders: dict[int, set] = {}
    for row in rows:
        if row.kind == NotificationKind.ENCOURAGEMENT and row.post_id:
            group = groups.get(row.post_id)
            if group is not None:
                group.unread = group.unread or row.read_at is None
                senders[row.post_id].add(row.actor_id or -row.pk)
                group.senders = len(senders[row.post_id])
                continue
            group = InboxItem(notification=row, unread=row.read_at is None)
            groups[row.post_id] = group
            senders[row.post_id] = {row.actor_id or -row.pk}
            items.append(group)
        else:
            items.append(InboxItem(notification=row, unread=row.read_at is None))
        if len(items) >= limit:
            break
    return items


def mark_read(*, user: User, notification: Notification) -> Notification:
    """`notification` (and the rest of its encouragement group) is read."""
    now = timezone.now()
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification.kind == NotificationKind.ENCOURAGEMENT and notification.post_id:
        rows = rows.filter(kind=NotificationKind.ENCOURAGEMENT, post_id=notification.post_id)
    else:
        rows = rows.filter(pk=notification.pk)
    rows.update(read_at=now)
    forget_unread([user.pk])
    return notification


def mark_all_read(*, user: User) -> int:
    """Every notification of `user` is read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread([user.pk])
    return changed


# --- unsubscribe ---------------------------------------------------------------------------


class BadUnsubscribeLink(Exception):
    """The link was altered, is too old, or names something that does not exist."""


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A signed, dated token that turns off `kind` emails (or "digest") for `user`."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The member and kind a token names; raises BadUnsubscribeLink for anything else."""
    try:
        data = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=settings.UNSUBSCRIBE_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise BadUnsubscribeLink("This unsubscribe link has expired.") from error
    except signing.BadSignature as error:
        raise BadUnsubscribeLink("This unsubscribe link isn't valid.") from error
    kind = data.get("k") if isinstance(data, dict) else None
    if kind not in (*NotificationKind.values, DIGEST_TOKEN_KIND):
        raise BadUnsubscribeLink("This unsubscribe link isn't valid.")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise BadUnsubscribeLink("This unsubscribe link isn't valid.")
    return user, kind


def unsubscribe_label(kind: str) -> str:
    if kind == DIGEST_TOKEN_KIND:
        return "the daily digest"
    return NotificationKind(kind).label.lower()


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """The member a valid token names gets no more emails of its kind; nothing else changes."""
    user, kind = read_unsubscribe_token(token)
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if kind == DIGEST_TOKEN_KIND:
        for name in NotificationKind.values:
            if getattr(preference, name) == Delivery.DIGEST:
                setattr(preference, name, Delivery.NEVER)
    else:
        setattr(preference, kind, Delivery.NEVER)
    preference.save()
    _reroute_pending(user=user, preference=preference)
    return user, kind
