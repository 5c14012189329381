"""forum 0013: unread notifications written before groups fold on deploy, emails kept."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from forum.models import Delivery, EmailOutbox, Notification, NotificationKind, OutboxStatus
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forum.migrations.0013_fold_unread_notifications")


def _old_row(member, kind, post, *, sender=None, minutes_ago, read=False) -> Notification:
    """A row as 0010 wrote it: one per event, no group, never counted."""
    made = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=member,
        kind=kind,
        event_key=f"old:{post.pk}:{sender.pk if sender else 0}",
        topic=post.topic,
        post=post,
        actor=sender or post.author,
        created_at=made,
        updated_at=timezone.now(),
        read_at=made if read else None,
    )


def test_unread_replies_fold_per_topic_and_encouragement_per_post_keeping_emails(
    django_capture_on_commit_callbacks, member
):
    with django_capture_on_commit_callbacks(execute=False):
        topic = make_topic(author=member)
        replies = [make_reply(topic=topic) for _ in range(3)]
    Notification.objects.all().delete()
    rows = [
        _old_row(member, NotificationKind.TOPIC_REPLY, reply, minutes_ago=30 - n)
        for n, reply in enumerate(replies)
    ]
    read = _old_row(
        member, NotificationKind.TOPIC_REPLY, replies[0], sender=UserFactory(), minutes_ago=60
    )
    read.read_at = read.created_at
    read.save()
    opening = topic.posts.get(position=1)
    cheers = [
        _old_row(
            member, NotificationKind.ENCOURAGEMENT, opening, sender=UserFactory(), minutes_ago=5
        )
        for _ in range(2)
    ]
    owed = EmailOutbox.objects.create(
        notification=rows[2],
        recipient=member,
        kind=NotificationKind.TOPIC_REPLY,
        event_key=rows[2].event_key,
        delivery=Delivery.IMMEDIATE,
        topic=topic,
    )

    migration.fold_unread(apps, None)

    group = Notification.objects.get(recipient=member, group_key=f"replies:{topic.pk}")
    assert (group.pk, group.count) == (rows[0].pk, 3)
    assert (group.post_id, group.last_post_id) == (replies[0].pk, replies[2].pk)
    assert group.updated_at == rows[2].created_at
    praise = Notification.objects.get(recipient=member, group_key=f"encouragement:{opening.pk}")
    assert praise.count == 2
    # The read row stays as it was; nothing else is left.
    assert Notification.objects.filter(recipient=member).count() == 3
    assert Notification.objects.get(pk=read.pk).updated_at == read.created_at
    owed.refresh_from_db()
    assert owed.notification_id == group.pk and owed.status == OutboxStatus.PENDING
    assert cheers[0].pk == praise.pk
