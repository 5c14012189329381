"""What each row of the data set holds, the same whichever loader writes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldDoesNotExist

from forum import rendering
from forum.management.bench_data.shape import (
    BENCH_CATEGORY_SLUG,
    BENCH_PASSWORD,
    EPOCH,
    PlannedTopic,
    bench_email,
    bench_username,
)
from forum.models import Category, Post, Status

# A fixed salt keeps the data set byte-for-byte repeatable (and hashes the password once).
_PASSWORD_SALT = "lanternbenchsalt"

# A handful of bodies, rendered once and reused: sanitizing a million posts one by one would
# spend hours proving nothing the rendering tests don't already prove.
_BODIES = [
    "Day {n}. I went for a short walk this morning and it helped more than I expected.",
    "Some days are heavier than others. Today I **asked for help**, and that was enough.\n\n"
    "- called my sponsor\n- ate a real lunch\n- wrote this post",
    "> Progress, not perfection.\n\nI keep coming back to that line. It carried me through "
    "a rough week at work.",
    "Thank you all for being here. Reading your stories at night makes the quiet easier.",
    "Week {n} of the new routine. *Small steps* still count as steps.",
    "I noticed an old habit creeping back and I named it out loud. Naming it took its power.",
    "What helped me was writing one thing that went okay each evening. Tonight: I cooked.",
    "Checking in. Not a great day, not a terrible one. Still here, still trying.",
]


def count_field(kind: str) -> str | None:
    """The Post field that counts `kind`, when the model has it (added alongside this seeder)."""
    name = f"{kind}_count"
    try:
        Post._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return name


def hashed_password() -> str:
    return make_password(BENCH_PASSWORD, salt=_PASSWORD_SALT)


def member_values(i: int, password: str, written: int) -> dict[str, Any]:
    """User fields of member `i`, by attname; the COPY loader relies on their order."""
    joined = EPOCH - timedelta(days=365)
    return {
        "username": bench_username(i),
        "email": bench_email(i),
        "password": password,
        "guidelines_version": 1,
        "guidelines_accepted_at": joined,
        "date_joined": joined,
        "approved_post_count": written,
    }


def topic_values(topic: PlannedTopic, members: int) -> dict[str, Any]:
    """Topic fields, by attname, and the member index of its last poster (each loader turns
    that into its own kind of reference); the COPY loader relies on their order."""
    last = topic.length
    return {
        "title": f"Bench story {topic.index:05d}: what helped this week",
        "created_at": topic.created_at,
        "last_activity_at": topic.post_time(last),
        "reply_count": last - 1,
        "last_position": last,
        "status": Status.PUBLISHED.value,
        "last_poster_index": topic.post_author(last, members),
    }


class PlannedPost(NamedTuple):
    topic_index: int
    position: int
    author: int  # member index
    body: str
    html: str
    created_at: datetime
    n: int  # numbers posts from 0 in writing order and picks their encouragement


def planned_posts(plan: list[PlannedTopic], members: int) -> Iterator[PlannedPost]:
    """Every post of the data set, in writing order."""
    rendered = [(body, rendering.render_markdown(body)) for body in _BODIES]
    n = 0
    for topic in plan:
        for position in range(1, topic.length + 1):
            # Opening posts take the topic's number, replies their own, as before.
            k = topic.index if position == 1 else (position if topic.index == 0 else n)
            source, html = rendered[k % len(rendered)]
            label = str(k)
            yield PlannedPost(
                topic.index,
                position,
                topic.post_author(position, members),
                source.replace("{n}", label),
                html.replace("{n}", label),
                topic.post_time(position),
                n,
            )
            n += 1


def create_bench_category() -> Category:
    """The measured category; both loaders write it through the ORM (it is one row)."""
    return Category.objects.create(
        name="Benchmark stories",
        slug=BENCH_CATEGORY_SLUG,
        description="A large, generated category used to measure page speed.",
        position=1000,
    )
