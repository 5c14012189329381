"""The crisis panel on an author's own view of a topic where they wrote crisis language.

It stays for CRISIS_PANEL_HOURS after posting (a first visit is easy to miss when things are
hard), until the author dismisses it. What it remembers lives in the author's session, never
in the URL: a URL would say "crisis" in the browser's history and in shared links.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from accounts.models import User

from .models import Post
from .situation import words_for

SESSION_KEY = "crisis_panel"
CRISIS_PANEL_HOURS = 24


@dataclass(frozen=True, slots=True)
class Panel:
    topic_id: int
    # Where the author's post stands, then the way to help (forum.situation).
    words: str


def _shown(session: MutableMapping[str, Any], now: float) -> dict[str, list[int | float]]:
    """topic id (str, as JSON keys are) -> [post id, posted at]; expired entries dropped."""
    entries = session.get(SESSION_KEY) or {}
    cutoff = now - CRISIS_PANEL_HOURS * 3600
    return {topic: entry for topic, entry in entries.items() if entry[1] > cutoff}


def remember(session: MutableMapping[str, Any], *, post: Post, now: float | None = None) -> None:
    """The author's views of `post`'s topic show the panel for the next CRISIS_PANEL_HOURS."""
    now = time.time() if now is None else now
    entries = _shown(session, now)
    entries[str(post.topic_id)] = [post.pk, now]
    session[SESSION_KEY] = entries


def dismiss(session: MutableMapping[str, Any], *, topic_id: int) -> None:
    """The panel no longer shows on this topic for this session."""
    entries = _shown(session, time.time())
    entries.pop(str(topic_id), None)
    session[SESSION_KEY] = entries


def panel_for(
    session: MutableMapping[str, Any], *, topic_id: int, author: User, now: float | None = None
) -> Panel | None:
    """The panel `author` sees on topic `topic_id`, or None. One query, only when it shows."""
    entry = _shown(session, time.time() if now is None else now).get(str(topic_id))
    if entry is None:
        return None
    facts = (
        Post.objects.filter(pk=int(entry[0]), author=author, topic_id=topic_id)
        .values_list("status", "crisis_language")
        .first()
    )
    if facts is None:
        return None
    status, crisis_language = facts
    return Panel(
        topic_id=topic_id, words=words_for(status=status, crisis_language=crisis_language).panel
    )
