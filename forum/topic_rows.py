"""Rows of topic lists (a category's topics, the latest activity on the home page), rendered
once and reused while nothing they show has changed.

Every member sees the same rows (lists hold published topics only), so a list page is one
forum.fragments fragment keyed by the values its rows show. Times in rows are absolute;
static/js/lantern.js turns them into "3 hours ago" where scripts run.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from . import fragments
from .models import Topic

CATEGORY_ROWS_TEMPLATE = "forum/_category_rows.html"
LATEST_ROWS_TEMPLATE = "forum/_latest_rows.html"


def _row_shows(topic: Topic) -> tuple:
    last_poster = topic.last_poster
    return (
        topic.pk,
        topic.title,
        topic.is_locked,
        topic.author.username,
        topic.reply_count,
        topic.last_activity_at.isoformat(),
        last_poster.username if last_poster else "",
    )


def category_rows(topics: list[Topic]) -> SafeString:
    """The `<tr>` rows of a category's topic table."""
    shown = tuple(_row_shows(topic) for topic in topics)
    return fragments.render(CATEGORY_ROWS_TEMPLATE, shown, {"topics": topics})


def latest_rows(topics: list[Topic]) -> SafeString:
    """The `<li>` rows of the home page's latest activity, which also name each category."""
    shown = tuple((*_row_shows(t), t.category.slug, t.category.name) for t in topics)
    return fragments.render(LATEST_ROWS_TEMPLATE, shown, {"topics": topics})
