"""SQLite FTS5, for `make run`: a virtual table (forum/migrations/0015_search_sqlite_fts.py)
whose rowid is the post's id, holding the title (opening posts) and text, kept by the same
service calls as PostgreSQL's vectors; bm25 ranks (title weighted 10 to 1), snippet() and
highlight() mark matches. The member's query is rebuilt from its parsed words, each quoted,
so FTS5's own syntax can never be typed in.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet

from accounts.models import User
from forum.models import Post, Topic
from forum.querysets import PostQuerySet

from . import results, scope
from .types import RESULT_CAP, Order, ParsedQuery, RelatedStory, SearchPage, Term

TABLE = "forum_post_fts"
# SQLite's limit on parameters in one statement is 999 on older builds.
_CHUNK = 500
_RANK = f"bm25({TABLE}, 10.0, 1.0)"
_SELECT = {
    "rank": _RANK,
    "title_marks": f"highlight({TABLE}, 0, char(2), char(3))",
    "snippet": f"snippet({TABLE}, 1, char(2), char(3), '…', 24)",
}


def index_posts(post_ids: Sequence[int] | None) -> None:
    post_table = connection.ops.quote_name(Post._meta.db_table)
    topic_table = connection.ops.quote_name(Topic._meta.db_table)
    # Table names are fixed text; ids are parameters.
    insert = (
        f"INSERT INTO {TABLE} (rowid, title, body) "  # noqa: S608
        "SELECT p.id, CASE WHEN p.position = 1 THEN t.title ELSE '' END, "
        "replace(replace(p.body, char(2), ''), char(3), '') "
        f"FROM {post_table} AS p JOIN {topic_table} AS t ON t.id = p.topic_id"
    )
    with connection.cursor() as cursor:
        if post_ids is None:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
            cursor.execute(insert)
            return
        for i in range(0, len(post_ids), _CHUNK):
            chunk = list(post_ids[i : i + _CHUNK])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.execute(f"{insert} WHERE p.id IN ({marks})", chunk)


def _quoted(term: Term) -> str:
    # Words are letters and digits only (forum.search.types), so quoting cannot be escaped.
    return '"' + " ".join(term.words) + '"'


def match_expression(query: ParsedQuery) -> str:
    """`query` in FTS5's syntax, read as websearch_to_tsquery reads it: terms all required,
    "or" between two terms means either, a leading "-" leaves a term out."""
    groups: list[list[str]] = []
    for term in query.terms:
        if term.excluded:
            continue
        if term.or_before and groups:
            groups[-1].append(_quoted(term))
        else:
            groups.append([_quoted(term)])
    expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    left_out = [_quoted(term) for term in query.terms if term.excluded]
    if left_out:
        expression = f"({expression})" + "".join(f" NOT {word}" for word in left_out)
    return expression


def _matching(posts: PostQuerySet, expression: str) -> QuerySet[Post]:
    return posts.extra(  # noqa: S610 (fixed SQL; the member's words are a parameter)
        tables=[TABLE],
        where=[f"{TABLE}.rowid = {Post._meta.db_table}.id", f"{TABLE} MATCH %s"],
        params=[expression],
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
    matching = _matching(
        scope.filtered(
            scope.searchable_by(reader),
            category_slug=category_slug,
            author_username=author_username,
        ),
        match_expression(query),
    )
    count = matching.order_by().values("pk")[: RESULT_CAP + 1].count()
    pages = results.page_count(count, per_page)
    capped = min(count, RESULT_CAP)
    if count == 0 or page > pages:
        return SearchPage(
            hits=[], count=capped, more_than_cap=count > RESULT_CAP, page=page, page_count=pages
        )
    ordering = ("-created_at", "-id") if order == Order.NEWEST else ("rank", "-id")
    start = (page - 1) * per_page
    found = (
        matching.select_related("topic", "topic__category", "author")
        .only(*results.HIT_FIELDS)
        .extra(select=_SELECT)  # noqa: S610 (fixed SQL)
        .order_by(*ordering)[start : start + per_page]
    )
    hits = [
        results.hit(
            post,
            # Replies hold no title in the index; their topic's title is shown unmarked.
            title_marks=post.title_marks if post.position == 1 else "",
            snippet=post.snippet,
            reader=reader,
        )
        for post in found
    ]
    return SearchPage(
        hits=hits, count=capped, more_than_cap=count > RESULT_CAP, page=page, page_count=pages
    )


def related_stories(*, topic: Topic, limit: int) -> list[RelatedStory]:
    words = scope.story_words(topic)
    if not words:
        return []
    expression = " OR ".join(f'"{word}"' for word in words)
    found = (
        _matching(scope.listed_openings().exclude(topic_id=topic.pk), expression)
        .select_related("topic", "topic__category")
        .only(*results.RELATED_FIELDS)
        .extra(select={"rank": _RANK})  # noqa: S610 (fixed SQL)
        .order_by("rank", "-id")[:limit]
    )
    return [results.related(post) for post in found]
