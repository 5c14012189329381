"""The reads behind the home page, category lists and topic pages, compiled once per process
(forum.compiled_queries) because these pages are most of the traffic.

Each function is the queryset written out beside it; tests/forum/test_page_reads.py checks
that both return the same thing. Scope rules stay in the views (forum.permissions), which
decide on the rows read here.
"""

from __future__ import annotations

from django.db.models import Count, Q

from .compiled_queries import CompiledQuery
from .models import Category, Post, Reaction, Topic
from .notifications.api import followed_by, watched_by

# What a row of a topic list shows; members' account columns stay unread.
TOPIC_ROW_FIELDS = (
    "id",
    "category_id",
    "title",
    "status",
    "is_locked",
    "reply_count",
    "last_activity_at",
    "author__id",
    "author__username",
    "last_poster__id",
    "last_poster__username",
)

# What a post card shows (the page never reads the Markdown source or the author's account).
POST_CARD_FIELDS = (
    "id",
    "topic_id",
    "author_id",
    "position",
    "status",
    "body_html",
    "created_at",
    "edited_at",
    "author__id",
    "author__username",
    "author__display_name",
    "author__role",
)

LATEST_COUNT = 10

_categories = CompiledQuery(lambda shape: Category.objects.all())

_latest = CompiledQuery(
    lambda shape: (
        Topic.objects.listed()
        .select_related("author", "category", "last_poster")
        .only(*TOPIC_ROW_FIELDS, "category__slug", "category__name")
        .order_by("-last_activity_at", "-id")[:LATEST_COUNT]
    )
)

_category = CompiledQuery(
    lambda shape, slug, user_id: Category.objects.annotate(is_watched=watched_by(user_id)).filter(
        slug=slug
    )
)

_category_topics = CompiledQuery(
    lambda shape, category_id: (
        Topic.objects.listed()
        .filter(category_id=category_id)
        .select_related("author", "last_poster")
        .only(*TOPIC_ROW_FIELDS)
        .order_by("-last_activity_at", "-id")[shape[0] : shape[0] + shape[1]]
    )
)

_topic = CompiledQuery(
    lambda shape, pk, user_id: (
        Topic.objects.select_related("category")
        .annotate(is_followed=followed_by(user_id))
        .filter(pk=pk)
    )
)

_thread_posts = CompiledQuery(
    lambda shape, topic_id, first, end: (
        Post.objects.filter(topic_id=topic_id, position__gte=first, position__lt=end)
        .select_related("author")
        .only(*POST_CARD_FIELDS)
        .order_by("position")
    )
)

_thread_reactions = CompiledQuery(
    lambda shape, topic_id, first, end, user_id: (
        Reaction.objects.filter(
            post__topic_id=topic_id, post__position__gte=first, post__position__lt=end
        )
        .values("post_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=user_id)))
        .order_by()
    )
)


def categories() -> list[Category]:
    """Every category, in their display order."""
    return _categories()


def latest_topics() -> list[Topic]:
    """The most recently active published topics, with their categories."""
    return _latest()


def category_for(slug: str, *, user_id: int) -> Category | None:
    """The category `slug`, with `is_watched` for member `user_id`."""
    found = _category(slug=slug, user_id=user_id)
    return found[0] if found else None


def category_topics(category_id: int, *, start: int, count: int) -> list[Topic]:
    """A page of a category's published topics, most recent activity first."""
    return _category_topics(shape=(start, count), category_id=category_id)


def topic_for(pk: int, *, user_id: int) -> Topic | None:
    """Topic `pk` whatever its status (the view applies the scope rules), with its category and
    `is_followed` for member `user_id`."""
    found = _topic(pk=pk, user_id=user_id)
    return found[0] if found else None


def thread_posts(topic_id: int, *, first: int, count: int) -> list[Post]:
    """Posts at positions first .. first + count - 1, whatever their status, with authors."""
    return _thread_posts(topic_id=topic_id, first=first, end=first + count)


def thread_reactions(
    topic_id: int, *, first: int, count: int, user_id: int
) -> dict[tuple[int, str], tuple[int, bool]]:
    """For the posts of that range: (post id, kind) -> (how many sent it, whether `user_id` did)."""
    rows = _thread_reactions(topic_id=topic_id, first=first, end=first + count, user_id=user_id)
    return {(r["post_id"], r["kind"]): (r["n"], bool(r["mine"])) for r in rows}
