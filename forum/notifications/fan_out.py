"""Writing notifications: to one member (`notify`) or to everyone owed one about a post (fan-out).

Each notification, and the email row its recipient's preferences ask for, is written in a
transaction; Celery is told only after commit (forum.dispatch, forum.notifications.outbox), so a
rolled-back post notifies no one and a broker outage loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from forum import rendering
from forum.models import Post, Reaction, Status, Topic

from . import outbox
from .inbox import forget_unread
from .models import (
    HEARD_THROUGH_MUTES,
    CategorySubscription,
    Delivery,
    EmailOutbox,
    FanOutStatus,
    Notification,
    NotificationKind,
    OutboxStatus,
    PostFanOut,
    TopicMute,
    TopicSubscription,
)
from .preferences import delivery_for, preference_of, preferences_for

# A mention outranks "your topic", which outranks "a topic you follow": one notification each.
_PRIORITY = (
    NotificationKind.MENTION,
    NotificationKind.TOPIC_REPLY,
    NotificationKind.FOLLOWED_REPLY,
)
# Members per batch: at most nine queries each, so the cost grows with batches, not followers.
FAN_OUT_BATCH = 1000
# Replies in one topic fold into one unread notification per member; mentions never fold.
REPLY_KINDS = frozenset({NotificationKind.TOPIC_REPLY, NotificationKind.FOLLOWED_REPLY})


def replies_group(topic_id: int) -> str:
    return f"replies:{topic_id}"


def encouragement_group(post_id: int) -> str:
    return f"encouragement:{post_id}"


def is_muted(*, user_id: int, topic_id: int) -> bool:
    return TopicMute.objects.filter(user_id=user_id, topic_id=topic_id).exists()


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
    group_key: str = "",
) -> Notification | None:
    """recipient has an in-site notification and, per their email preference for `kind`, an
    outbox email row, written in the caller's transaction and dispatched after commit; with a
    `group_key`, folded into their unread notification of that group if they have one. Nothing
    is written about a topic they muted (models.HEARD_THROUGH_MUTES excepted). Idempotent on
    (event_key, recipient, kind)."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipient.is_active:
        return None
    if topic is None and post is not None:
        topic = post.topic
    if (
        topic is not None
        and kind not in HEARD_THROUGH_MUTES
        and is_muted(user_id=recipient.pk, topic_id=topic.pk)
    ):
        return None
    existing = Notification.objects.filter(
        event_key=event_key, recipient=recipient, kind=kind
    ).first()
    if existing is not None:
        return existing
    if group_key:
        folded = _fold_into_group(
            recipient=recipient, group_key=group_key, event_key=event_key, post=post, actor=actor
        )
        if folded is not None:
            return folded
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                event_key=event_key,
                group_key=group_key,
                topic=topic,
                post=post,
                last_post=post,
                actor=actor,
                message=message,
                url=url,
            )
    except IntegrityError:
        # A concurrent call for the same event won the race (its row is the notification), or
        # one for the same group did (this event folds into its row).
        found = Notification.objects.filter(
            event_key=event_key, recipient=recipient, kind=kind
        ).first()
        if found is None and group_key:
            found = _fold_into_group(
                recipient=recipient,
                group_key=group_key,
                event_key=event_key,
                post=post,
                actor=actor,
            )
        if found is None:
            raise
        return found
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


def _fold_into_group(
    *, recipient: User, group_key: str, event_key: str, post: Post | None, actor: User | None
) -> Notification | None:
    """The event is counted in `recipient`'s unread notification of `group_key`, and in the
    email still owed about it (or a new email row if none is); None when no such group is
    unread."""
    group = (
        Notification.objects.select_for_update()
        .filter(recipient=recipient, group_key=group_key, read_at__isnull=True)
        .order_by()
        .first()
    )
    if group is None:
        return None
    Notification.objects.filter(pk=group.pk).update(
        count=F("count") + 1, last_post=post, actor=actor, updated_at=timezone.now()
    )
    group.refresh_from_db()
    pending = (
        EmailOutbox.objects.select_for_update()
        .filter(notification=group, status=OutboxStatus.PENDING)
        .order_by("pk")
        .first()
    )
    if pending is not None:
        # The email not yet sent tells about this one too: no second email for one group.
        EmailOutbox.objects.filter(pk=pending.pk).update(count=F("count") + 1)
    else:
        delivery = delivery_for(preference_of(recipient), group.kind)
        if delivery != Delivery.NEVER and recipient.email:
            row = EmailOutbox.objects.create(
                notification=group,
                recipient=recipient,
                kind=group.kind,
                event_key=event_key,
                delivery=delivery,
                topic_id=group.topic_id,
            )
            if delivery == Delivery.IMMEDIATE:
                transaction.on_commit(lambda: outbox.dispatch_emails([row.pk]))
    transaction.on_commit(lambda: forget_unread([recipient.pk]))
    return group


def notify_encouragement(*, post: Post, sender: User) -> Notification | None:
    """The author of `post` has heard that `sender` sent encouragement (once per sender while
    they keep any on it), folded with other members' encouragement on that post while unread."""
    if Reaction.objects.filter(post=post, user=sender).count() > 1:
        # A second kind from the same member: they are already counted.
        return None
    return notify(
        recipient=post.author,
        kind=NotificationKind.ENCOURAGEMENT,
        event_key=f"encouragement:{post.pk}:{sender.pk}",
        post=post,
        actor=sender,
        group_key=encouragement_group(post.pk),
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
    # A muted topic tells its member nothing, even a mention or a reply to their own topic.
    for uid in TopicMute.objects.filter(topic=topic).values_list("user_id", flat=True):
        chosen.pop(uid, None)
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
    """Write the notifications and outbox rows for one batch of members: at most nine queries.

    A reply folds into each member's unread notification about the topic when they have one.
    The insert is what decides: it skips every member whose unread group already exists (a
    unique constraint), even one a concurrent fan-out has just created, and those members'
    groups are then locked and counted up instead.
    """
    active = dict(User.objects.filter(pk__in=batch, is_active=True).values_list("pk", "email"))
    members = [uid for uid in batch if uid in active]
    if not members:
        return
    result.batches += 1
    now = timezone.now()
    group_key = replies_group(post.topic_id)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=uid,
                kind=chosen[uid],
                event_key=event_key,
                group_key=group_key if chosen[uid] in REPLY_KINDS else "",
                topic_id=post.topic_id,
                post_id=post.pk,
                last_post_id=post.pk,
                actor_id=post.author_id,
                created_at=now,
                updated_at=now,
            )
            for uid in members
        ],
        ignore_conflicts=True,
    )
    result.recipients += len(members)
    # This event's rows, and the unread groups that refused one; locked in one order.
    found = list(
        Notification.objects.select_for_update()
        .filter(recipient_id__in=members)
        .filter(Q(event_key=event_key) | Q(group_key=group_key, read_at__isnull=True))
        .order_by("pk")
        .values_list("pk", "recipient_id", "event_key", "kind")
    )
    created = {uid: (pk, kind) for pk, uid, key, kind in found if key == event_key}
    groups = {
        uid: (pk, kind) for pk, uid, key, kind in found if key != event_key and uid not in created
    }
    if groups:
        Notification.objects.filter(pk__in=[pk for pk, _ in groups.values()]).update(
            count=F("count") + 1, last_post_id=post.pk, actor_id=post.author_id, updated_at=now
        )
    # An email still pending about a group tells about this reply too: no second email.
    pending: set[int] = set()
    if groups:
        pending_rows = list(
            EmailOutbox.objects.select_for_update()
            .filter(
                notification_id__in=[pk for pk, _ in groups.values()],
                status=OutboxStatus.PENDING,
            )
            .order_by("pk")
            .values_list("pk", "notification_id")
        )
        if pending_rows:
            EmailOutbox.objects.filter(pk__in=[pk for pk, _ in pending_rows]).update(
                count=F("count") + 1
            )
        pending = {notification_id for _, notification_id in pending_rows}
    owed = {**created, **{uid: row for uid, row in groups.items() if row[0] not in pending}}
    preferences = preferences_for(members)
    rows = []
    for uid in members:
        if uid not in owed:
            continue
        notification_id, kind = owed[uid]
        delivery = delivery_for(preferences[uid], kind)
        if delivery == Delivery.NEVER or not active[uid]:
            continue
        rows.append(
            EmailOutbox(
                notification_id=notification_id,
                recipient_id=uid,
                kind=kind,
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
