"""Writing to the forum. Each service owns its transaction and returns what it changed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from . import notifications, rendering, subscriptions
from .models import Category, Post, PostRevision, Reaction, ReactionKind, Status, Topic


class ForumError(Exception):
    """A rule that spans rows refused the change; the message is safe to show the member."""


def _render(body: str) -> str:
    mentioned = rendering.find_mentions(body)
    if not mentioned:
        return rendering.render_markdown(body)
    existing = {
        name.lower(): name
        for name in get_user_model()
        .objects.filter(username__in=mentioned, is_active=True)
        .values_list("username", flat=True)
    }
    # Only members who exist become links; unknown @words stay plain text.
    exact = {
        name: f"/u/{existing[name.lower()]}/" for name in mentioned if name.lower() in existing
    }
    return rendering.render_markdown(body, mention_url=exact.get)


@transaction.atomic
def create_topic(*, author: User, category: Category, title: str, body: str) -> Topic:
    """A new published topic exists in `category` with `body` as its opening post."""
    now = timezone.now()
    topic = Topic.objects.create(
        category=category,
        author=author,
        title=title.strip(),
        created_at=now,
        last_activity_at=now,
        last_poster=author,
        last_position=1,
    )
    post = Post.objects.create(
        topic=topic,
        author=author,
        position=1,
        body=body,
        body_html=_render(body),
        created_at=now,
    )
    Category.objects.filter(pk=category.pk).update(
        topic_count=F("topic_count") + 1,
        post_count=F("post_count") + 1,
        last_activity_at=now,
    )
    subscriptions.auto_follow(user=author, topic=topic)
    notifications.schedule_fan_out(post=post)
    return topic


@transaction.atomic
def create_reply(*, author: User, topic: Topic, body: str) -> Post:
    """A new published reply is the last post of `topic`; the topic's counters include it."""
    # The row lock serialises position numbers per topic; other topics are not blocked.
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.is_locked:
        raise ForumError("This topic is closed to new replies.")
    if locked.status != Status.PUBLISHED:
        raise ForumError("This topic is not open for replies right now.")
    now = timezone.now()
    position = locked.last_position + 1
    post = Post.objects.create(
        topic=locked,
        author=author,
        position=position,
        body=body,
        body_html=_render(body),
        created_at=now,
    )
    Topic.objects.filter(pk=locked.pk).update(
        last_position=position,
        reply_count=F("reply_count") + 1,
        last_activity_at=now,
        last_poster=author,
    )
    Category.objects.filter(pk=locked.category_id).update(
        post_count=F("post_count") + 1, last_activity_at=now
    )
    subscriptions.auto_follow(user=author, topic=locked)
    notifications.schedule_fan_out(post=post)
    topic.last_position = position
    return post


@transaction.atomic
def edit_post(
    *, editor: User, post: Post, body: str, title: str | None = None, reason: str = ""
) -> Post:
    """`post` shows `body` (and the topic `title`, for an opening post); the old text is kept."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.status == Status.DELETED:
        raise ForumError("This post was removed, so it can't be edited.")
    topic = post.topic
    new_title = title.strip() if (title is not None and post.is_opening_post) else topic.title
    if body == post.body and new_title == topic.title:
        return post
    PostRevision.objects.create(
        post=post,
        editor=editor,
        title=topic.title if post.is_opening_post else "",
        body=post.body,
        reason=reason,
    )
    post.body = body
    post.body_html = _render(body)
    post.edited_at = timezone.now()
    post.edit_count = F("edit_count") + 1
    post.save(update_fields=["body", "body_html", "edited_at", "edit_count"])
    if new_title != topic.title:
        Topic.objects.filter(pk=topic.pk).update(title=new_title)
    post.refresh_from_db()
    return post


@transaction.atomic
def delete_post(*, user: User, post: Post) -> Post:
    """`post` is a "removed by its author" placeholder; its text and history are gone."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.status == Status.DELETED:
        return post
    was_published = post.status == Status.PUBLISHED
    # Stories are health information: deleting erases the words, not just hides them.
    post.revisions.all().delete()
    post.status = Status.DELETED
    post.body = ""
    post.body_html = ""
    post.save(update_fields=["status", "body", "body_html"])
    if was_published and not post.is_opening_post:
        Topic.objects.filter(pk=post.topic_id).update(reply_count=F("reply_count") - 1)
        Category.objects.filter(pk=post.topic.category_id).update(post_count=F("post_count") - 1)
    return post


def set_reaction(*, user: User, post: Post, kind: str, on: bool) -> bool:
    """`user` has sent `kind` on `post` exactly when `on`; returns whether anything changed."""
    if kind not in ReactionKind.values:
        raise ForumError("That kind of encouragement doesn't exist.")
    if not on:
        deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        return bool(deleted)
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
            notifications.notify_encouragement(post=post, sender=user)
    except IntegrityError:
        # Already sent (a double click or a second tab): at most one of each kind.
        return False
    return True
