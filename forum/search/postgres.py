"""PostgreSQL full-text search: a weighted vector on each post (title A for an opening post,
text B), a GIN index on it, websearch_to_tsquery, ts_rank and ts_headline.

Cost is bounded whatever the forum's size: a search reads at most RESULT_CAP + 1 matches and
ranks only those, so a common word costs about what a rare one does
(docs/benchmarks.md has the numbers at a million posts).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Replace

from accounts.models import User
from forum.models import Post, Topic

from . import results, scope
from .marks import START, STOP
from .types import RESULT_CAP, Order, ParsedQuery, RelatedStory, SearchPage

CONFIG = "english"
# "Stories like yours" ranks only this many of the newest topics sharing a word with the
# story: enough to find close ones, few enough to stay fast for common words.
RELATED_CANDIDATES = 300

# The one definition of a post's search vector, used for single posts and for bulk loads.
# The markers snippets use are removed, so only ts_headline's own can appear in a snippet.
_VECTOR = f"""
    setweight(to_tsvector('{CONFIG}', CASE WHEN p.position = 1 THEN t.title ELSE '' END), 'A')
    || setweight(to_tsvector('{CONFIG}', translate(p.body, E'\\x02\\x03', '')), 'B')
"""


def index_posts(post_ids: Sequence[int] | None) -> None:
    post_table = connection.ops.quote_name(Post._meta.db_table)
    topic_table = connection.ops.quote_name(Topic._meta.db_table)
    sql = (
        # Table names and _VECTOR are fixed text; the ids are a parameter.
        f"UPDATE {post_table} AS p SET search_vector = {_VECTOR} "  # noqa: S608
        f"FROM {topic_table} AS t WHERE t.id = p.topic_id"
    )
    params: list[list[int]] = []
    if post_ids is not None:
        sql += " AND p.id = ANY(%s)"
        params.append(list(post_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _clean_body() -> Replace:
    return Replace(Replace(F("body"), Value(START), Value("")), Value(STOP), Value(""))


def _headline(expression: Any, query: SearchQuery, **options: Any) -> SearchHeadline:
    return SearchHeadline(
        expression, query, config=CONFIG, start_sel=START, stop_sel=STOP, **options
    )


def search_posts(
    *,
    reader: User,
    query: ParsedQuery,
    category_slug: str,
    author_username: str,
    order: Order,
    page: int,
    per_page: int,
) -> SearchPage:
    tsquery = SearchQuery(query.text, search_type="websearch", config=CONFIG)
    matching = scope.filtered(
        scope.searchable_by(reader), category_slug=category_slug, author_username=author_username
    ).filter(search_vector=tsquery)
    start = (page - 1) * per_page
    if order == Order.NEWEST:
        # The first RESULT_CAP + 1 matches, as below: when that is all of them, this one read
        # answers both the count and the page. Only a word in more posts than that needs a
        # second read for the page, exact over every match and only as long as the page: for
        # a common word PostgreSQL walks the primary key backwards and stops at the page's
        # last row, for a rarer one it sorts the matches.
        found = sorted(matching.order_by().values_list("pk", flat=True)[: RESULT_CAP + 1])
        count = len(found)
        if count <= RESULT_CAP:
            page_ids = found[::-1][start : start + per_page]
        else:
            newest = matching.order_by("-pk").values_list("pk", flat=True)
            page_ids = list(newest[start : start + per_page])
    else:
        # The first RESULT_CAP + 1 matches the reader may see, in the order the GIN index
        # finds them: past the index itself, reading them costs the same whether a word is in
        # ten posts or in half of them (the topics hidden from the reader are read once, not
        # looked up per post: scope.searchable_by). They are ranked here, all of them
        # up to RESULT_CAP (beyond it the page says "more than 1,000"); this one read answers
        # both the count and the page.
        ranked = list(
            matching.annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by()
            .values_list("pk", "rank")[: RESULT_CAP + 1]
        )
        ranked.sort(key=lambda row: (-row[1], -row[0]))
        count = len(ranked)
        page_ids = [pk for pk, _ in ranked[start : start + per_page]]
    pages = results.page_count(count, per_page)
    capped = min(count, RESULT_CAP)
    if count == 0 or page > pages:
        return SearchPage(
            hits=[], count=capped, more_than_cap=count > RESULT_CAP, page=page, page_count=pages
        )
    rows = {
        post.pk: post
        for post in Post.objects.filter(pk__in=page_ids)
        .select_related("topic", "topic__category", "author")
        .only(*results.HIT_FIELDS)
        .annotate(
            title_marks=_headline("topic__title", tsquery, highlight_all=True),
            snippet=_headline(_clean_body(), tsquery, max_words=35, min_words=15),
        )
    }
    hits = [
        results.hit(post, title_marks=post.title_marks, snippet=post.snippet, reader=reader)
        for post in (rows[pk] for pk in page_ids if pk in rows)
    ]
    return SearchPage(
        hits=hits, count=capped, more_than_cap=count > RESULT_CAP, page=page, page_count=pages
    )


def related_stories(*, topic: Topic, limit: int) -> list[RelatedStory]:
    words = scope.story_words(topic)
    if not words:
        return []
    tsquery = reduce(or_, (SearchQuery(word, config=CONFIG) for word in words))
    newest = (
        scope.listed_openings()
        .exclude(topic_id=topic.pk)
        .filter(search_vector=tsquery)
        .order_by("-pk")
        .values("pk")[:RELATED_CANDIDATES]
    )
    found = (
        Post.objects.filter(pk__in=newest)
        .select_related("topic", "topic__category")
        .only(*results.RELATED_FIELDS)
        .annotate(rank=SearchRank(F("search_vector"), tsquery))
        .order_by("-rank", "-pk")[:limit]
    )
    return [results.related(post) for post in found]
