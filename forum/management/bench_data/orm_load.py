"""The bulk_create loader: SQLite and any database without COPY."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import models

from accounts.models import User
from forum.management.bench_data.rows import (
    count_field,
    hashed_password,
    member_values,
    planned_posts,
    topic_values,
)
from forum.management.bench_data.shape import KINDS, PlannedTopic, reactions_for
from forum.models import Category, Post, Reaction, Topic

BATCH = 1000


def load_members(written: list[int]) -> list[User]:
    """One verified member per entry of `written` (their approved_post_count)."""
    password = hashed_password()
    users = User.objects.bulk_create(
        [User(**member_values(i, password, n)) for i, n in enumerate(written)],
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )
    return users


def load_topics(
    plan: list[PlannedTopic], categories: list[Category], users: list[User]
) -> list[type[models.Model]]:
    """Write the topics, posts and encouragement of `plan`; returns the models written."""
    members = len(users)
    rows = []
    for topic in plan:
        values = topic_values(topic, members)
        last_poster = users[values.pop("last_poster_index")]
        rows.append(
            Topic(
                category=categories[topic.category],
                author=users[topic.author],
                last_poster=last_poster,
                **values,
            )
        )
    made = Topic.objects.bulk_create(rows, batch_size=BATCH)
    counters = {kind: count_field(kind) for kind in KINDS}
    posts: list[Post] = []
    encouragement: list[list[tuple[int, str]]] = []
    for topic_index, position, author, body, html, created_at, n in planned_posts(plan, members):
        sent = reactions_for(n)
        post = Post(
            topic=made[topic_index],
            author=users[author],
            position=position,
            body=body,
            body_html=html,
            created_at=created_at,
        )
        for _, kind in sent:
            if counter := counters[kind]:
                setattr(post, counter, getattr(post, counter) + 1)
        posts.append(post)
        encouragement.append(sent)
    Post.objects.bulk_create(posts, batch_size=BATCH)
    Reaction.objects.bulk_create(
        [
            Reaction(
                post=post,
                user=users[member % members],
                kind=kind,
                created_at=post.created_at + timedelta(minutes=j + 1),
            )
            for post, sent in zip(posts, encouragement, strict=True)
            for j, (member, kind) in enumerate(sent)
        ],
        batch_size=BATCH,
    )
    return [Topic, Post, Reaction]
