"""Writing notifications: to one member (`notify`) or to everyone owed one about a post (fan-out).

Each notification, and the email row its recipient's preferences ask for, is written in a
transaction; Celery is told only after commit (forum.dispatch, forum.notifications.outbox), so a
rolled-back post notifies no one and a broker outage loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from forum import rendering
from forum.models import Post, Status, Topic

from . import outbox
from .inbox import forget_unread
from .models import (
    CategorySubscription,
    Delivery,
    EmailOutbox,
    FanOutStatus,
    Notification,
    NotificationKind,
    OutboxStatus,
    PostFanOut,
    TopicSubscription,
)
from .preferences import delivery_for, preference_of, preferences_for

# A mention outranks "your topic", which outranks "a topic you follow": one notification each.
_PRIORITY = (
    NotificationKind.MENTION,
    NotificationKind.TOPIC_REPLY,
    NotificationKind.FOLLOWED_REPLY,
)
# Members per batch: five queries each, so the cost grows with batches, not followers.
FAN_OUT_BATCH = 1000


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
            transaction.on_commit(lambda: outbox.dispatch_emails([row.pk]))
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
        transaction.on_commit(lambda: outbox.dispatch_fan_out(post.pk))
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
        transaction.on_commit(lambda: outbox.dispatch_emails(immediate))
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
