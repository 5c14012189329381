"""Pure checks of who may do what with topics and posts, one condition per line.

Views decide with these and hand the answers to templates; templates never decide. Checks
about a post take anything with the post's `author_id` and `status` (a Post, or the PostRow
a cached topic page holds).
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings

from accounts.models import User

from .models import Category, Status, Topic


class PostFacts(Protocol):
    @property
    def author_id(self) -> int: ...

    @property
    def status(self) -> str: ...


def can_view_topic(user: User, topic: Topic) -> bool:
    """The rule of Topic.objects.visible_to, for one topic already in hand."""
    if not user.is_authenticated or topic.status == Status.DELETED:
        return False
    return (
        user.acts_as_moderator
        or topic.status == Status.PUBLISHED
        or (topic.author_id == user.pk and topic.status in (Status.PENDING, Status.HIDDEN))
    )


def can_see_in_thread(user: User, post: PostFacts) -> bool:
    """The rule of Post.objects.in_thread_for: others' waiting posts show only to moderators."""
    return post.status != Status.PENDING or post.author_id == user.pk or user.acts_as_moderator


def can_read_post_body(user: User, post: PostFacts) -> bool:
    """A post's words show unless it is gone, or hidden from someone other than its author
    and the moderators."""
    if post.status in (Status.DELETED, Status.REMOVED):
        return False
    return post.status != Status.HIDDEN or post.author_id == user.pk or user.acts_as_moderator


def can_view_post(user: User, post: PostFacts) -> bool:
    """The rule of Post.objects.open_to beyond the topic's: others' posts only once published
    (moderators see every post)."""
    return post.status == Status.PUBLISHED or post.author_id == user.pk or user.acts_as_moderator


def can_publish(user: User) -> bool:
    """Signed-in members who are not muted may put words or encouragement in front of others:
    start topics, reply, edit and react. Muted members still read, report, follow and delete."""
    return user.is_authenticated and not user.is_muted()


def can_start_topic(user: User) -> bool:
    """Members who may publish may start topics."""
    return can_publish(user)


def is_peer_specialist_corner(category: Category) -> bool:
    """Peer specialists' corner (settings.PEER_SPECIALIST_CORNER) is where topics are started
    only by verified peer specialists and moderators."""
    return category.slug == settings.PEER_SPECIALIST_CORNER


def can_start_topic_in(user: User, category: Category) -> bool:
    """Members who may start topics may start them in `category`; in Peer specialists'
    corner, only verified peer specialists and moderators (everyone may reply there)."""
    if not can_start_topic(user):
        return False
    return (
        not is_peer_specialist_corner(category)
        or user.is_certified_peer_specialist
        or user.acts_as_moderator
    )


def can_reply(user: User, topic: Topic) -> bool:
    """Members who may publish may reply to an open, published topic."""
    return can_publish(user) and topic.status == Status.PUBLISHED and not topic.is_locked


def can_edit_post(user: User, post: PostFacts) -> bool:
    """Authors who may publish may edit their own live posts."""
    return (
        can_publish(user)
        and post.author_id == user.pk
        and post.status in (Status.PUBLISHED, Status.PENDING)
    )


def can_see_post_history(user: User, post: PostFacts) -> bool:
    """Earlier versions of a post are for its author and the moderators."""
    return user.is_authenticated and (post.author_id == user.pk or user.acts_as_moderator)


def can_delete_post(user: User, post: PostFacts) -> bool:
    """Authors may delete their own posts (even when muted: leaving is always allowed)."""
    return user.is_authenticated and post.author_id == user.pk and post.status != Status.DELETED


def can_react(user: User, post: PostFacts) -> bool:
    """Members who may publish send encouragement on other members' published posts."""
    return can_publish(user) and post.author_id != user.pk and post.status == Status.PUBLISHED


def can_report_post(user: User, post: PostFacts) -> bool:
    """Signed-in members may report published posts they did not write."""
    return user.is_authenticated and post.author_id != user.pk and post.status == Status.PUBLISHED


def can_check_in_with_author(user: User, post: PostFacts) -> bool:
    """Moderators and peer specialists may write privately to the author of a post (not their
    own, not a deleted one) to check in on them."""
    return (
        user.is_authenticated
        and (user.is_moderator or user.is_peer_specialist)
        and not user.has_sanction_in_force
        and post.author_id != user.pk
        and post.status != Status.DELETED
    )


def can_follow_topic(user: User, topic: Topic) -> bool:
    """Members follow published topics they can read."""
    return user.is_authenticated and topic.status == Status.PUBLISHED


def can_set_post_warnings(user: User, post: PostFacts) -> bool:
    """Moderators may add or change the content warnings of any post still standing."""
    return user.is_authenticated and user.acts_as_moderator and post.status != Status.DELETED


def can_share_milestone(user: User) -> bool:
    """Members who may start topics may share a milestone (it starts a topic)."""
    return can_start_topic(user)
