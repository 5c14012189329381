"""Reads, named for the question they answer. Who may see what is decided by the same rules
as forum.permissions (can_view_topic, can_see_in_thread), which a test checks against these."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from .status import Status


def _topics_visible_to(user: Any, via: str = "") -> Q:
    """The rule of which topics `user` may open, for a query on topics or (via "topic__")
    on what belongs to them; forum.permissions.can_view_topic states it for one topic."""
    if user.acts_as_moderator:
        return ~Q(**{f"{via}status": Status.DELETED})
    return Q(**{f"{via}status": Status.PUBLISHED}) | Q(
        **{f"{via}author": user, f"{via}status__in": [Status.PENDING, Status.HIDDEN]}
    )


# Not parameterised with their models: models.py imports this module, so naming them here
# would be an import cycle.
class TopicQuerySet(models.QuerySet):
    def listed(self) -> TopicQuerySet:
        """Topics anyone signed in sees in lists."""
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: Any) -> TopicQuerySet:
        """Topics `user` may open: published ones, plus their own still waiting or hidden."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(_topics_visible_to(user))


class PostQuerySet(models.QuerySet):
    def published(self) -> PostQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def in_thread_for(self, user: Any) -> PostQuerySet:
        """Posts shown in a thread to `user`: pending posts only to their author and moderators."""
        if user.is_authenticated and user.acts_as_moderator:
            return self
        return self.exclude(Q(status=Status.PENDING) & ~Q(author_id=user.pk))

    def visible_to(self, user: Any) -> PostQuerySet:
        """Posts of topics `user` may open, whatever each post's own status (community's
        reports read through this: a post hidden a moment ago can still be reported)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(_topics_visible_to(user, via="topic__"))

    def outside_topics_hidden_from(self, user: Any) -> PostQuerySet:
        """The same posts as visible_to(user), asked the other way round: not in a topic `user`
        may not open. For reads that scan many posts (search): the few topics hidden from
        someone are read once from a small partial index (topic_unlisted) and held in a hash,
        where visible_to would look up each post's topic by key, one index probe per post."""
        if not user.is_authenticated:
            return self.none()
        # By name: models.py imports this module (see below).
        topic_model = apps.get_model("forum", "Topic")
        hidden = topic_model._base_manager.exclude(_topics_visible_to(user)).values("pk")
        return self.exclude(topic_id__in=hidden)

    def open_to(self, user: Any, *, scanning: bool = False) -> PostQuerySet:
        """Posts `user` may open by id (permalink, edit, history, delete, encouragement): in
        topics they may open, and published unless their own (moderators: all).
        forum.permissions.can_view_post states the second half for one post. `scanning` gives
        the same posts through outside_topics_hidden_from, the faster plan over many posts."""
        if not user.is_authenticated:
            return self.none()
        posts = self.outside_topics_hidden_from(user) if scanning else self.visible_to(user)
        if user.acts_as_moderator:
            return posts
        return posts.filter(Q(status=Status.PUBLISHED) | Q(author_id=user.pk))

    def submitted_by(self, author: Any, token: Any) -> PostQuerySet:
        """The post `author` wrote from the form that carried `token` (at most one)."""
        if token is None:
            return self.none()
        return self.filter(author=author, submission_token=token)


class MilestoneCounterQuerySet(models.QuerySet):
    def owned_by(self, user: Any) -> MilestoneCounterQuerySet:
        """The counters of `user`: the only way any page reads a counter."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class MilestoneQuerySet(models.QuerySet):
    def in_stream(self) -> MilestoneQuerySet:
        """Milestones every signed-in member may read in "Small wins": their post is published
        in a published topic. Waiting, hidden, removed and deleted posts are never shown there,
        not even to their author or a moderator (the topic page is where those are read)."""
        return self.filter(post__status=Status.PUBLISHED, post__topic__status=Status.PUBLISHED)
