"""Reads, named for the question they answer. Who may see what is decided by the same rules
as forum.permissions (can_view_topic, can_see_in_thread), which a test checks against these."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .status import Status


class TopicQuerySet(models.QuerySet):
    def listed(self):
        """Topics anyone signed in sees in lists."""
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Topics `user` may open: published ones, plus their own still waiting or hidden."""
        if not user.is_authenticated:
            return self.none()
        if user.is_moderator:
            return self.exclude(status=Status.DELETED)
        return self.filter(
            Q(status=Status.PUBLISHED) | Q(author=user, status__in=[Status.PENDING, Status.HIDDEN])
        )


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_thread_for(self, user):
        """Posts shown in a thread to `user`: pending posts only to their author and moderators."""
        if user.is_authenticated and user.is_moderator:
            return self
        return self.exclude(Q(status=Status.PENDING) & ~Q(author_id=user.pk))

    def visible_to(self, user):
        """Posts `user` may link to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(topic__in=self.model.topic.field.related_model.objects.visible_to(user))
