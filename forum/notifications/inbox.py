"""Reading notifications in the site: the inbox page, the bell's unread count, marking read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.models import Post, Status

from .models import POST_KINDS, Notification, NotificationKind, TopicMute

logger = logging.getLogger(__name__)

_UNREAD_KEY = "forum:unread:{}"
_UNREAD_TTL = 300
# Lines per inbox page: three queries a page (count, the lines, which topics are muted).
PER_PAGE = 20


def _shown(user: User) -> QuerySet[Notification]:
    """`user`'s notifications, minus those about posts that are no longer published (a group
    stays while its newest reply does)."""
    first_gone = ~Q(post__status=Status.PUBLISHED)
    last_gone = Q(last_post__isnull=True) | ~Q(last_post__status=Status.PUBLISHED)
    gone = Q(kind__in=POST_KINDS) & ((first_gone & last_gone) | ~Q(topic__status=Status.PUBLISHED))
    return Notification.objects.filter(recipient=user).exclude(gone)


def unread_count(user: User) -> int:
    """How many unread lines the bell shows (a group counts once)."""
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
    # One line per group (a topic's replies, a post's encouragement), so rows are lines.
    count = _shown(user).filter(read_at__isnull=True).count()
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
    """One line on the notifications page: one notification, which may be a folded group."""

    notification: Notification
    unread: bool
    # Whether the member has muted the topic it is about (the line offers to unmute).
    muted: bool = False

    @property
    def kind(self) -> str:
        return self.notification.kind

    @property
    def count(self) -> int:
        return self.notification.count

    @property
    def actor_name(self) -> str:
        """Who caused it, as the line's first words: their username, "A former member" for one
        whose account deletion was finalised (never the placeholder username left behind),
        "A member" when nobody is recorded."""
        actor = self.notification.actor
        if actor is None:
            return "A member"
        return "A former member" if actor.is_former_member else actor.username

    @property
    def can_mute(self) -> bool:
        """Lines about a topic offer to mute it; urgent alerts are never muted."""
        return (
            self.notification.topic_id is not None
            and self.notification.kind != NotificationKind.URGENT_ALERT
        )

    @property
    def opens(self) -> str:
        """What following the line opens, in words for its accessible name."""
        notification = self.notification
        if notification.url:
            return "the page it is about"
        if notification.post_id:
            folded_replies = notification.group_key.startswith("replies:")
            return (
                "the first unread post" if folded_replies and notification.count > 1 else "the post"
            )
        if notification.topic_id:
            return "the topic"
        return "your notifications"


class PageOutOfRange(Exception):
    """No such inbox page; `nearest` is the real page to show instead."""

    def __init__(self, nearest: int) -> None:
        super().__init__(f"no such page; nearest is {nearest}")
        self.nearest = nearest


@dataclass
class InboxPage:
    items: list[InboxItem]
    page: Page[Notification]


def inbox_page(user: User, *, number: str | int | None = 1) -> InboxPage:
    """Page `number` of `user`'s notifications, newest activity first, one line per group;
    PageOutOfRange when there is no such page (a page past the end answers with the last)."""
    paginator = Paginator(
        _shown(user).select_related("topic", "post", "actor").order_by("-updated_at", "-id"),
        PER_PAGE,
        allow_empty_first_page=True,
    )
    last = paginator.num_pages
    try:
        wanted = last if number == "last" else int(number or 1)
    except (TypeError, ValueError):
        raise PageOutOfRange(1) from None
    if not 1 <= wanted <= last:
        raise PageOutOfRange(min(max(wanted, 1), last))
    page = paginator.page(wanted)
    rows = list(page.object_list)
    topic_ids = {row.topic_id for row in rows if row.topic_id is not None}
    muted = (
        set(
            TopicMute.objects.filter(user=user, topic_id__in=topic_ids).values_list(
                "topic_id", flat=True
            )
        )
        if topic_ids
        else set()
    )
    items = [
        InboxItem(notification=row, unread=row.read_at is None, muted=row.topic_id in muted)
        for row in rows
    ]
    return InboxPage(items=items, page=page)


def inbox(user: User) -> list[InboxItem]:
    """The first page of `user`'s notifications."""
    return inbox_page(user).items


def opening_url(*, user: User, notification: Notification) -> str:
    """Where opening `notification` goes: for replies folded into one, the first of them that
    `user` may still open (forum:post finds its page in the topic)."""
    post = notification.post
    if notification.group_key.startswith("replies:") and post is not None and not notification.url:
        first = (
            Post.objects.open_to(user)
            .filter(topic_id=post.topic_id, position__gte=post.position)
            .exclude(author=user)
            .order_by("position")
            .values_list("pk", flat=True)
            .first()
        )
        if first is not None:
            return reverse("forum:post", kwargs={"pk": first})
    return notification.get_absolute_url()


def mark_read(*, user: User, notification: Notification) -> Notification:
    """`notification` (the whole group it folds) is read: the next reply starts a new one."""
    Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread([user.pk])
    return notification


def mark_all_read(*, user: User) -> int:
    """Every notification of `user` is read; returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread([user.pk])
    return changed
