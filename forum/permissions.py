"""Pure checks of who may do what with topics and posts; usable from views and templates."""

from __future__ import annotations

from accounts.models import User

from .models import Post, Status, Topic


def can_read_forum(user: User) -> bool:
    """Stories are for members: reading requires signing in."""
    return user.is_authenticated


def can_view_topic(user: User, topic: Topic) -> bool:
    """The rule of Topic.objects.visible_to, for one topic already in hand."""
    if not user.is_authenticated or topic.status == Status.DELETED:
        return False
    return (
        user.is_moderator
        or topic.status == Status.PUBLISHED
        or (topic.author_id == user.pk and topic.status in (Status.PENDING, Status.HIDDEN))
    )


def can_see_in_thread(user: User, post: Post) -> bool:
    """The rule of Post.objects.in_thread_for: others' waiting posts show only to moderators."""
    return post.status != Status.PENDING or post.author_id == user.pk or user.is_moderator


def can_start_topic(user: User) -> bool:
    """Signed-in members who are not muted may start topics."""
    return user.is_authenticated and not user.is_muted()


def can_reply(user: User, topic: Topic) -> bool:
    """Members who are not muted may reply to an open, published topic."""
    return (
        user.is_authenticated
        and not user.is_muted()
        and topic.status == Status.PUBLISHED
        and not topic.is_locked
    )


def can_edit_post(user: User, post: Post) -> bool:
    """Authors who are not muted may edit their own live posts."""
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and not user.is_muted()
        and post.status in (Status.PUBLISHED, Status.PENDING)
    )


def can_delete_post(user: User, post: Post) -> bool:
    """Authors may delete their own posts (even when muted: leaving is always allowed)."""
    return user.is_authenticated and post.author_id == user.pk and post.status != Status.DELETED


def can_react(user: User, post: Post) -> bool:
    """Members send encouragement on other members' published posts."""
    return user.is_authenticated and post.author_id != user.pk and post.status == Status.PUBLISHED


def can_follow_topic(user: User, topic: Topic) -> bool:
    """Members follow published topics they can read."""
    return user.is_authenticated and topic.status == Status.PUBLISHED
