"""Search over what the reader may see, and "stories like yours".

One typed front door for two engines: PostgreSQL full-text search (a weighted search vector
on each post, a GIN index, websearch syntax, ts_rank) in production, and SQLite FTS5 (a
virtual table kept by the same service calls, bm25) under `make run`. Views call only
`search_posts`, `related_stories` and `parse_query`; services call `index_posts`.

Who may see what is never decided here: every search starts from
`Post.objects.open_to(reader)` (forum.querysets) and then keeps only published posts and the
reader's own waiting ones. Snippets are escaped first and only then marked (forum.search.marks).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from types import ModuleType

from django.core.cache import cache
from django.db import connection, transaction

from accounts.models import User
from forum import fragments
from forum.models import Topic

from . import postgres, sqlite
from .types import (
    MAX_QUERY_LENGTH,
    RESULT_CAP,
    Order,
    ParsedQuery,
    QueryProblem,
    RelatedStory,
    SearchHit,
    SearchPage,
    parse_query,
    without_control_characters,
)
from .words import key_words

__all__ = [
    "MAX_QUERY_LENGTH",
    "RESULT_CAP",
    "Order",
    "ParsedQuery",
    "QueryProblem",
    "RelatedStory",
    "SearchHit",
    "SearchPage",
    "cached_related_stories",
    "index_posts",
    "listing_changed_after_commit",
    "parse_query",
    "rebuild_index",
    "refresh_related_stories",
    "related_stories",
    "search_posts",
    "story_words",
    "without_control_characters",
]


def _engine() -> ModuleType:
    # Chosen per call, not at import: tests and `make run` may point at either database.
    return postgres if connection.vendor == "postgresql" else sqlite


def search_posts(
    *,
    reader: User,
    query: ParsedQuery,
    category_slug: str = "",
    author_username: str = "",
    order: Order = Order.RELEVANCE,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """Page `page` of the posts `reader` may see that match `query`, with a count that stops
    at RESULT_CAP (the page says "more than 1,000" beyond it)."""
    return _engine().search_posts(
        reader=reader,
        query=query,
        category_slug=category_slug,
        author_username=author_username,
        order=order,
        page=page,
        per_page=per_page,
    )


def related_stories(*, topic: Topic, limit: int = 5) -> list[RelatedStory]:
    """Up to `limit` published topics other than `topic` whose words are most like those of
    its opening post (any reader signed in may open a published topic)."""
    return _engine().related_stories(topic=topic, limit=limit)


def index_posts(post_ids: Iterable[int]) -> None:
    """The search index holds the current title (opening posts) and text of `post_ids`."""
    ids = list(post_ids)
    if ids:
        _engine().index_posts(ids)


def rebuild_index() -> None:
    """The search index holds every post, in one statement per engine (for bulk loads)."""
    _engine().index_posts(None)


# "Stories like yours" is cached per topic revision and per version of the published set:
# the version moves (after commit) whenever a topic stops being listed or its title changes,
# so a hidden or removed story never lingers in another topic's suggestions. New stories
# join the suggestions within RELATED_SECONDS (EMPTY_RELATED_SECONDS where there were none).
_LISTING_KEY = "forum:search:listing-version"
RELATED_SECONDS = 60 * 60
# A story with nothing like it yet (the first on its subject) is looked at again sooner.
EMPTY_RELATED_SECONDS = 5 * 60


def listing_version() -> int:
    """The version of the set of published topics that cached suggestions are keyed by."""
    version = cache.get(_LISTING_KEY)
    if version is None:
        # Lost from the cache: a new version from the clock matches no key written before.
        cache.add(_LISTING_KEY, time.time_ns(), timeout=None)
        version = cache.get(_LISTING_KEY, time.time_ns())
    return version


def listing_changed_after_commit() -> None:
    """Once the current transaction commits, no cached suggestion from before is shown."""
    transaction.on_commit(lambda: cache.set(_LISTING_KEY, time.time_ns(), timeout=None))


def _related_key(topic: Topic) -> str:
    # The suggestions depend on the story's words (not on replies, encouragement or anything
    # else its revision counts) and on which topics are listed.
    return fragments.remember_key(("related", topic.pk, topic.search_words, listing_version()))


def cached_related_stories(topic: Topic) -> list[RelatedStory]:
    """related_stories(topic=topic), worked out once per version of the story's words and of
    the listed topics (usually already by refresh_related_stories, when it was written)."""
    found = cache.get(_related_key(topic))
    if found is None:
        found = refresh_related_stories(topic)
    return found


def refresh_related_stories(topic: Topic) -> list[RelatedStory]:
    """The cached suggestions for `topic` are worked out anew (services call this when the
    story's words change, so the author lands on a page whose suggestions are ready)."""
    found = related_stories(topic=topic)
    cache.set(_related_key(topic), found, RELATED_SECONDS if found else EMPTY_RELATED_SECONDS)
    return found


def story_words(title: str, body: str) -> str:
    """What Topic.search_words holds for a story with `title` and opening post `body`."""
    return " ".join(key_words(title, body))
