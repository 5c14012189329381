"""The reads behind the home page, category lists and topic pages: most of the traffic.

Each page reads the one row that says whether anything changed (the topic, the category, the
list of categories) and takes everything else from forum.fragments, remembered under that
row's `revision`. The services bump a revision with F() in the transaction that changes what
its pages show, so a page is read from the database once per change, not once per visit,
and nothing is ever invalidated. Pages that name members also carry
accounts.profile_version, which moves when a member's public name or role changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils.safestring import SafeString

from accounts import profile_version
from accounts.models import User

from . import fragments, topic_rows
from .models import Category, Post, Reaction, Topic
from .post_cards import POST_ROW_FIELDS, PostRow
from .subscriptions import followed_by, watched_by
from .topic_rows import TOPIC_ROW_FIELDS, TopicRow

LATEST_COUNT = 10


def categories() -> list[Category]:
    """Every category, in display order, with the revisions the home page is keyed by."""
    return list(Category.objects.all())


def latest_rows(categories: Iterable[Category]) -> SafeString:
    """The home page's latest activity, read again only after a change in some category."""
    revisions = tuple((c.pk, c.revision) for c in categories)

    def build() -> SafeString:
        topics = (
            Topic.objects.listed()
            .select_related("author", "category", "last_poster")
            .only(*TOPIC_ROW_FIELDS)
            .order_by("-last_activity_at", "-id")[:LATEST_COUNT]
        )
        return topic_rows.latest_rows(TopicRow.of(topic) for topic in topics)

    return fragments.remember(("latest", revisions, profile_version.current()), build)


def category_for(slug: str, *, user: User) -> Category | None:
    """The category `slug`, with `is_watched` for `user`."""
    return Category.objects.annotate(is_watched=watched_by(user.pk)).filter(slug=slug).first()


def category_rows(category: Category, *, page: int) -> SafeString:
    """Page `page` of the category's published topics, most recent activity first."""
    per_page = settings.TOPICS_PER_PAGE
    start = (page - 1) * per_page

    def build() -> SafeString:
        topics = (
            Topic.objects.listed()
            .filter(category=category)
            .select_related("author", "category", "last_poster")
            .only(*TOPIC_ROW_FIELDS)
            .order_by("-last_activity_at", "-id")[start : start + per_page]
        )
        return topic_rows.category_rows(TopicRow.of(topic) for topic in topics)

    parts = ("category", category.pk, category.revision, page, profile_version.current())
    return fragments.remember(parts, build)


def topic_for(pk: int, *, user: User) -> Topic | None:
    """Topic `pk` whatever its status (the view applies the scope rules), with its category
    and `is_followed` for `user`."""
    return (
        Topic.objects.select_related("category")
        .annotate(is_followed=followed_by(user.pk))
        .filter(pk=pk)
        .first()
    )


def thread_page(topic: Topic, *, page: int) -> list[PostRow]:
    """The posts of page `page` of `topic`, whatever their status, as the database holds them.

    Pages are ranges of positions, so the last page of a long topic costs what the first does.
    """
    per_page = settings.POSTS_PER_PAGE
    first = (page - 1) * per_page + 1

    def build() -> list[PostRow]:
        posts = (
            Post.objects.filter(topic=topic, position__gte=first, position__lt=first + per_page)
            .select_related("author")
            .only(*POST_ROW_FIELDS)
            .order_by("position")
        )
        return [PostRow.of(post) for post in posts]

    parts = ("thread", topic.pk, topic.revision, page, profile_version.current())
    return fragments.remember(parts, build)


def encouragement_sent(
    topic: Topic, *, page: int, user: User, post_ids: list[int]
) -> frozenset[tuple[int, str]]:
    """(post id, kind) for each encouragement `user` sent on those posts of that page."""

    def build() -> frozenset[tuple[int, str]]:
        sent = Reaction.objects.filter(user=user, post_id__in=post_ids).values_list(
            "post_id", "kind"
        )
        return frozenset(sent)

    # A reaction bumps the topic's revision, so the reader's own list is keyed by it too.
    return fragments.remember(("sent", topic.pk, topic.revision, page, user.pk), build)
