"""Rows of topic lists (a category's topics, the latest activity on the home page).

Each row is a forum.fragments fragment whose only input is a `TopicRow`. Every member sees
the same rows (lists hold published topics only), so rows are shared by all readers, and a
reply re-renders only the row it changed. Times in rows are absolute; static/js/lantern.js
turns them into "3 hours ago" where scripts run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString, mark_safe

from . import fragments
from .models import Topic

CATEGORY_ROW_TEMPLATE = "forum/_category_row.html"
LATEST_ROW_TEMPLATE = "forum/_latest_row.html"

# The columns TopicRow.of reads; members' account columns stay unread.
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
    "author__is_active",
    "last_poster__id",
    "last_poster__username",
    "last_poster__is_active",
    "category__id",
    "category__slug",
    "category__name",
    # Lists leave out topics a reader hides (forum.content_warnings); rows never show it.
    "warning_flags",
)


@dataclass(frozen=True, slots=True)
class TopicRow:
    """Everything a row of a topic list shows: the row templates' only input."""

    pk: int
    title: str
    is_locked: bool
    author_username: str
    reply_count: int
    last_activity_at: datetime
    last_poster_username: str
    category_slug: str
    category_name: str

    @classmethod
    def of(cls, topic: Topic) -> TopicRow:
        last_poster = topic.last_poster
        return cls(
            pk=topic.pk,
            title=topic.title,
            is_locked=topic.is_locked,
            author_username=topic.author.shown_username,
            reply_count=topic.reply_count,
            last_activity_at=topic.last_activity_at,
            last_poster_username=last_poster.shown_username if last_poster else "",
            category_slug=topic.category.slug,
            category_name=topic.category.name,
        )


def _render(template_name: str, rows: Iterable[TopicRow]) -> SafeString:
    html = fragments.render_many(template_name, list(rows), as_name="row")
    # Each part was rendered (and escaped) by the template.
    return mark_safe("".join(html))  # noqa: S308


def category_rows(rows: Iterable[TopicRow]) -> SafeString:
    """The `<tr>` rows of a category's topic table."""
    return _render(CATEGORY_ROW_TEMPLATE, rows)


def latest_rows(rows: Iterable[TopicRow]) -> SafeString:
    """The `<li>` rows of the home page's latest activity, which also name each category."""
    return _render(LATEST_ROW_TEMPLATE, rows)
