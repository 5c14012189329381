"""A member's activity on their profile: the topics they started and the replies they wrote,
as the reader may see them.

Everyone reads only published posts in topics they may open (`Post.objects.open_to`). The member
and the moderators also see the member's posts still waiting or hidden, each marked with the
words forum.situation gives that reader, so the profile and the topic page never disagree about
who can see a post. Removed and deleted posts are not listed: their words are not the member's
story any more.

Accounts sits below the forum and may not import it, so the profile view reaches this module
through settings.PROFILE_ACTIVITY, the way POST_REPORT_VIEW wires community into the forum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from .models import Post
from .pagination import PageInfo
from .situation import words_for
from .status import Status

TOPICS = "topics"
REPLIES = "replies"
SHOWS = (TOPICS, REPLIES)

# What a reader who is neither the member nor a moderator may see of the member's posts.
_EVERYONE = (Status.PUBLISHED,)
# What the member and the moderators also see: waiting and hidden posts, marked as such.
_AUTHOR_AND_MODERATORS = (Status.PUBLISHED, Status.PENDING, Status.HIDDEN)


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """One post in the list: where it is, when it was written, and what the reader is told
    about who can see it ("" when it is published)."""

    topic_title: str
    category_name: str
    category_url: str
    created_at: datetime
    url: str
    is_opening_post: bool
    note: str


@dataclass(frozen=True, slots=True)
class ActivityPage:
    show: str
    items: list[ActivityItem]
    page: PageInfo
    # Whether the member has any post this reader may see, in either list (read only when this
    # list is empty, to choose the empty state's words).
    has_any: bool


def _shown_posts(*, viewer: Any, member: Any) -> Any:
    """The member's posts `viewer` may read on the profile, newest first."""
    own = viewer.pk == member.pk
    moderator = viewer.is_authenticated and viewer.acts_as_moderator
    statuses = _AUTHOR_AND_MODERATORS if own or moderator else _EVERYONE
    return (
        Post.objects.open_to(viewer)
        .filter(author=member, status__in=statuses)
        .order_by("-created_at", "-pk")
    )


def _note(post: Post, *, own: bool) -> str:
    words = words_for(status=post.status, crisis_language=post.crisis_language)
    return words.author if own else words.moderator


def _item(post: Post, *, own: bool) -> ActivityItem:
    topic = post.topic
    # The post's place in its thread, as the topic page numbers its pages.
    url = f"{topic.get_absolute_url()}?page={post.page_number}#post-{post.position}"
    return ActivityItem(
        topic_title=topic.title,
        category_name=topic.category.name,
        category_url=topic.category.get_absolute_url(),
        created_at=post.created_at,
        url=url,
        is_opening_post=post.is_opening_post,
        note="" if post.status == Status.PUBLISHED else _note(post, own=own),
    )


def activity_page(*, viewer: Any, member: Any, show: str, page: int) -> ActivityPage:
    """Page `page` of the member's topics (`show` "topics") or replies ("replies") as `viewer`
    may see them; a page past the end gives the last real page, one before the first the
    first. Two queries (a count and the page), three when the list is empty."""
    posts = _shown_posts(viewer=viewer, member=member)
    if show == REPLIES:
        listed = posts.filter(position__gt=1)
    else:
        show = TOPICS
        listed = posts.filter(position=1)
    per_page = settings.ACTIVITY_PER_PAGE
    count = max(1, -(-listed.count() // per_page))
    number = min(max(page, 1), count)
    start = (number - 1) * per_page
    rows = list(listed.select_related("topic__category")[start : start + per_page])
    own = viewer.pk == member.pk
    return ActivityPage(
        show=show,
        items=[_item(post, own=own) for post in rows],
        page=PageInfo(number, count),
        has_any=bool(rows) or posts.exists(),
    )
