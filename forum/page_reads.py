"""The reads behind the home page, category lists and topic pages: most of the traffic.

Each page reads the one row that says whether anything changed (the topic, the category, the
list of categories) and takes everything else from forum.fragments, remembered under that
row's `revision`. The services bump a revision with F() in the transaction that changes what
its pages show (following a topic or watching a category included), so a page is read from
the database once per change, not once per visit, and nothing is ever invalidated. Pages
that name members also carry accounts.profile_version, which moves when a member's public
name or role changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.safestring import SafeString

from accounts import profile_version
from accounts.models import User

from . import content_warnings, fragments, topic_rows
from .models import Category, CategorySubscription, Post, Reaction, Topic, TopicSubscription
from .notifications.models import TopicMute
from .post_cards import AUTHOR_FIELDS, MILESTONE_FIELDS, POST_ROW_FIELDS, PostRow
from .topic_rows import TOPIC_ROW_FIELDS, TopicRow

LATEST_COUNT = 10


def _listed_rows():
    return (
        Topic.objects.listed()
        .select_related("author", "category", "last_poster")
        .only(*TOPIC_ROW_FIELDS)
        .order_by("-last_activity_at", "-id")
    )


def categories() -> list[Category]:
    """Every category, in display order, with the revisions the home page is keyed by."""
    return list(Category.objects.all())


@dataclass(frozen=True)
class TopicListing:
    rows: SafeString
    # Topics of this list left out because their opening post carries a warning the reader
    # hides from lists (forum.content_warnings); the page says how many.
    left_out: int


def _shown(topics: Iterable[Topic], hide: int) -> tuple[list[TopicRow], int]:
    """The rows of `topics` a reader who hides the warnings in `hide` sees, and how many of
    `topics` were left out. Filtered after the page's slice, so pages stay the ranges the
    category's topic count promises and a list costs the same queries for everyone."""
    rows, left_out = [], 0
    for topic in topics:
        if topic.warning_flags & hide:
            left_out += 1
        else:
            rows.append(TopicRow.of(topic))
    return rows, left_out


def latest_listing(categories: Iterable[Category], *, reader: User | None) -> TopicListing:
    """The home page's latest activity as `reader` sees it, read again only after a change
    in some category; readers who hide the same warnings share it."""
    revisions = tuple((c.pk, c.revision) for c in categories)
    hide = content_warnings.hidden_mask(reader)

    def build() -> TopicListing:
        rows, left_out = _shown(_listed_rows()[:LATEST_COUNT], hide)
        return TopicListing(rows=topic_rows.latest_rows(rows), left_out=left_out)

    return fragments.remember(("latest", revisions, profile_version.current(), hide), build)


def latest_rows(categories: Iterable[Category]) -> SafeString:
    """The home page's latest activity, read again only after a change in some category."""
    return latest_listing(categories, reader=None).rows


def category_by_slug(slug: str) -> Category | None:
    """The category `slug`, or None."""
    found = Category.objects.filter(slug=slug).order_by()[:1]
    return next(iter(found), None)


@dataclass(frozen=True)
class CategoryPage:
    rows: SafeString
    is_watched: bool
    # Topics of this page left out for the reader's content warning choices.
    left_out: int = 0


def category_page(category: Category, *, page: int, reader: User) -> CategoryPage:
    """Page `page` of the category's published topics (most recent activity first) and
    whether `reader` watches it."""
    per_page = settings.TOPICS_PER_PAGE
    start = (page - 1) * per_page
    version = profile_version.current()
    hide = content_warnings.hidden_mask(reader)

    def rows(_: list) -> TopicListing:
        topics = _listed_rows().filter(category=category)[start : start + per_page]
        shown, left_out = _shown(topics, hide)
        return TopicListing(rows=topic_rows.category_rows(shown), left_out=left_out)

    def watching(_: list) -> bool:
        return CategorySubscription.objects.filter(category=category, user=reader).exists()

    revision = (category.pk, category.revision)
    listing, is_watched = fragments.remember_many(
        [
            (("category", *revision, page, version, hide), rows),
            (("watching", *revision, reader.pk), watching),
        ]
    )
    return CategoryPage(rows=listing.rows, is_watched=is_watched, left_out=listing.left_out)


def topic_for(pk: int) -> Topic | None:
    """Topic `pk` whatever its status (the view applies the scope rules), with its category."""
    # By key with no ORDER BY (first() would add the model's ordering for nothing).
    found = Topic.objects.select_related("category").filter(pk=pk).order_by()[:1]
    return next(iter(found), None)


@dataclass(frozen=True)
class ThreadPage:
    # Every post of the page whatever its status: the view applies the scope rules.
    rows: list[PostRow]
    is_followed: bool
    is_muted: bool
    # (post id, kind) for each encouragement the reader sent on this page.
    sent: frozenset[tuple[int, str]]
    # What the page's cards are keyed by besides the reader's situation.
    key: tuple


def thread_page(topic: Topic, *, page: int, reader: User) -> ThreadPage:
    """Page `page` of `topic` as the database holds it, and what `reader` did there.

    Pages are ranges of positions, so the last page of a long topic costs what the first does.
    """
    per_page = settings.POSTS_PER_PAGE
    first = (page - 1) * per_page + 1
    key = (topic.pk, topic.revision, page, profile_version.current())

    def rows(_: list) -> list[PostRow]:
        # Authors in a second query by key rather than a join: on a large forum PostgreSQL
        # misjudges how many posts the first positions of a long topic hold and hash-joins
        # every member (40-60 ms at 50,000 members instead of about 1 ms).
        posts = (
            Post.objects.filter(topic=topic, position__gte=first, position__lt=first + per_page)
            # The milestone card comes in the same query (forum.milestones).
            .select_related("milestone")
            .only(*POST_ROW_FIELDS, *MILESTONE_FIELDS)
            .prefetch_related(Prefetch("author", queryset=User.objects.only(*AUTHOR_FIELDS)))
            .order_by("position")
        )
        return [PostRow.of(post) for post in posts]

    def following_and_muting(_: list) -> tuple[bool, bool]:
        # Both buttons' states in one query: a cold page's budget is counted in queries.
        found = (
            Topic.objects.filter(pk=topic.pk)
            .annotate(
                followed=Exists(
                    TopicSubscription.objects.filter(topic=OuterRef("pk"), user=reader)
                ),
                muted=Exists(TopicMute.objects.filter(topic=OuterRef("pk"), user=reader)),
            )
            .order_by()
            .values_list("followed", "muted")
        )
        return next(iter(found), (False, False))

    def sent(before: list) -> frozenset[tuple[int, str]]:
        post_ids = [row.pk for row in before[0] if row.author_id != reader.pk]
        found = Reaction.objects.filter(user=reader, post_id__in=post_ids)
        return frozenset(found.values_list("post_id", "kind"))

    # Encouragement, following and muting bump the topic's revision, so the reader's own state
    # is keyed by it too.
    revision = (topic.pk, topic.revision)
    found_rows, (is_followed, is_muted), found_sent = fragments.remember_many(
        [
            (("thread", *key), rows),
            (("following_muting", *revision, reader.pk), following_and_muting),
            (("sent", *revision, page, reader.pk), sent),
        ]
    )
    return ThreadPage(
        rows=found_rows, is_followed=is_followed, is_muted=is_muted, sent=found_sent, key=key
    )
