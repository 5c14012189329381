"""Muting a topic: its member hears nothing more about it until they unmute it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from forum.models import Topic

from .inbox import forget_unread
from .models import HEARD_THROUGH_MUTES, EmailOutbox, Notification, OutboxStatus, TopicMute


# The mute button is part of the topic page cached under its revision (forum.page_reads), as
# the follow button is; muting is rare next to reading, so a new revision costs little.
def _topic_changed(topic: Topic) -> None:
    Topic.objects.filter(pk=topic.pk).update(revision=F("revision") + 1)


@transaction.atomic
def mute_topic(*, user: User, topic: Topic) -> TopicMute:
    """`user` hears nothing more from members about `topic` (the team still reaches them,
    models.HEARD_THROUGH_MUTES): what was unread about
    it is read, and emails about it still waiting are not sent."""
    mute, created = TopicMute.objects.get_or_create(user=user, topic=topic)
    if created:
        _topic_changed(topic)
    about_topic = {"recipient": user, "topic": topic}
    Notification.objects.filter(**about_topic, read_at__isnull=True).exclude(
        kind__in=HEARD_THROUGH_MUTES
    ).update(read_at=timezone.now())
    EmailOutbox.objects.filter(**about_topic, status=OutboxStatus.PENDING).exclude(
        kind__in=HEARD_THROUGH_MUTES
    ).update(status=OutboxStatus.CANCELLED)
    # Now, as marking read does, and again after commit in case a page counted in between.
    forget_unread([user.pk])
    transaction.on_commit(lambda: forget_unread([user.pk]))
    return mute


@transaction.atomic
def unmute_topic(*, user: User, topic: Topic) -> bool:
    """`user` hears about `topic` again as their following and preferences say; returns
    whether it was muted."""
    deleted, _ = TopicMute.objects.filter(user=user, topic=topic).delete()
    if deleted:
        _topic_changed(topic)
    return bool(deleted)
