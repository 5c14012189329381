"""Reads, named for the question they answer."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class TopicQuerySet(models.QuerySet):
    def listed(self):
        """Topics anyone signed in sees in lists."""
        return self.filter(status="published")

    def visible_to(self, user):
        """Topics `user` may open: published ones, plus their own still waiting or hidden."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_moderator", False):
            return self.exclude(status="deleted")
        return self.filter(Q(status="published") | Q(author=user, status__in=["pending", "hidden"]))


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def in_thread_for(self, user):
        """Posts shown in a thread to `user`: pending posts only to their author and moderators."""
        if getattr(user, "is_moderator", False):
            return self
        return self.exclude(Q(status="pending") & ~Q(author_id=user.pk))

    def visible_to(self, user):
        """Posts `user` may link to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(topic__in=self.model.topic.field.related_model.objects.visible_to(user))
