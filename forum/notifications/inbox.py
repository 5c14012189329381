"""Reading notifications in the site: the inbox page, the bell's unread count, marking read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from forum.models import Status

from .models import POST_KINDS, Notification, NotificationKind

logger = logging.getLogger(__name__)

_UNREAD_KEY = "forum:unread:{}"
_UNREAD_TTL = 300


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
        # Only unread_count writes this key, and it writes an int.
        cached: int | None = cache.get(key)
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
    # aggregate() is typed as a dict of Any; both are Counts, so ints.
    count: int = totals["single"] + totals["grouped"]
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

    @property
    def opens(self) -> str:
        """What following the line opens, in words for its accessible name."""
        notification = self.notification
        if notification.url:
            return "the page it is about"
        if notification.post_id:
            return "the post"
        if notification.topic_id:
            return "the topic"
        return "your notifications"


def inbox(user: User, *, limit: int = 50) -> list[InboxItem]:
    """`user`'s most recent notifications, newest first, encouragement grouped per post."""
    rows = list(
        _shown(user)
        .select_related("topic", "post", "actor")
        .order_by("-created_at", "-id")[: limit * 4]
    )
    items: list[InboxItem] = []
    groups: dict[int, InboxItem] = {}
    senders: dict[int, set[int]] = {}
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
