"""Muting a topic: nothing more about it reaches the member, in the site or by email."""

from __future__ import annotations

import pytest
from django.core import mail

from forum.models import (
    Delivery,
    EmailOutbox,
    Notification,
    NotificationKind,
    OutboxStatus,
    Topic,
    TopicSubscription,
)
from forum.notifications import api, inbox, mutes
from forum.notifications.models import TopicMute
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


def test_a_muted_topic_tells_its_member_nothing_even_a_mention_or_their_own_topic(
    run_on_commit, set_pref, outbox_rows
):
    author, follower = UserFactory(), UserFactory()
    set_pref(follower, followed_reply=Delivery.IMMEDIATE)
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=follower, topic=topic)
    mutes.mute_topic(user=author, topic=topic)
    mutes.mute_topic(user=follower, topic=topic)
    run_on_commit(make_reply, topic=topic)
    run_on_commit(make_reply, topic=topic, body=f"@{author.username} @{follower.username} hi")
    assert not Notification.objects.filter(recipient__in=[author, follower]).exists()
    assert not outbox_rows(author).exists() and not outbox_rows(follower).exists()
    assert mail.outbox == []
    # notify() answers the same for every kind of members' activity about the topic.
    assert (
        api.notify(
            recipient=author,
            kind=NotificationKind.ENCOURAGEMENT,
            event_key="encouragement:muted",
            topic=topic,
        )
        is None
    )


def test_the_team_still_reaches_a_member_who_muted_the_topic(run_on_commit):
    # A decision about the member's own post there, or the team's message, is not chatter.
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    mutes.mute_topic(user=author, topic=topic)
    for kind in (NotificationKind.MODERATION, NotificationKind.TEAM_MESSAGE):
        heard = run_on_commit(
            api.notify,
            recipient=author,
            kind=kind,
            event_key=f"{kind}:muted-topic",
            topic=topic,
            message="About your topic.",
        )
        assert heard is not None, kind


def test_urgent_alerts_are_never_muted(run_on_commit):
    moderator = UserFactory()
    topic = run_on_commit(make_topic)
    mutes.mute_topic(user=moderator, topic=topic)
    alert = run_on_commit(
        api.notify,
        recipient=moderator,
        kind=NotificationKind.URGENT_ALERT,
        event_key="urgent:muted-topic",
        topic=topic,
        url="/moderation/",
    )
    assert alert is not None
    assert len(mail.outbox) == 1


def test_muting_reads_what_was_unread_and_cancels_emails_still_owed(
    run_on_commit, held_tasks, outbox_rows
):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    elsewhere = run_on_commit(make_topic, author=author)
    with held_tasks("forum.deliver_email"):
        run_on_commit(make_reply, topic=topic)
        run_on_commit(make_reply, topic=elsewhere)
    revision = Topic.objects.get(pk=topic.pk).revision
    assert inbox.unread_count(author) == 2

    run_on_commit(mutes.mute_topic, user=author, topic=topic)
    assert inbox.unread_count(author) == 1
    assert outbox_rows(author).get(topic=topic).status == OutboxStatus.CANCELLED
    assert outbox_rows(author).get(topic=elsewhere).status == OutboxStatus.PENDING
    # The topic page's buttons are cached under the topic's revision.
    assert Topic.objects.get(pk=topic.pk).revision > revision
    # Muting twice is one mute.
    mutes.mute_topic(user=author, topic=topic)
    assert TopicMute.objects.filter(user=author, topic=topic).count() == 1


def test_unmuting_lets_the_next_reply_through(run_on_commit):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    mutes.mute_topic(user=author, topic=topic)
    run_on_commit(make_reply, topic=topic)
    assert mutes.unmute_topic(user=author, topic=topic) is True
    assert mutes.unmute_topic(user=author, topic=topic) is False
    reply = run_on_commit(make_reply, topic=topic)
    [notification] = Notification.objects.filter(recipient=author)
    assert notification.post_id == reply.pk and notification.count == 1
    assert EmailOutbox.objects.filter(recipient=author).count() == 1
