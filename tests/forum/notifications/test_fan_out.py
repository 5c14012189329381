"""Who is notified of what: notify() for one member, fan-out for everyone owed one about a post."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import (
    Delivery,
    EmailOutbox,
    Notification,
    NotificationKind,
    OutboxStatus,
    TopicSubscription,
)
from forum.notifications import api, fan_out
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


# --- the notify() contract -------------------------------------------------------------------


def test_notify_writes_notification_and_outbox_row_and_is_idempotent(run_on_commit, member):
    def call():
        return api.notify(
            recipient=member,
            kind=NotificationKind.MODERATION,
            event_key="modaction:7",
            message="Your post was hidden because it named a medication dose.",
        )

    first = run_on_commit(call)
    second = run_on_commit(call)
    assert first.pk == second.pk
    assert Notification.objects.filter(recipient=member).count() == 1
    row = EmailOutbox.objects.get(recipient=member)
    assert row.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "You have new activity on Lantern"
    assert "medication" not in sent.body
    assert "medication" not in sent.alternatives[0][0]


# --- who hears about a post ------------------------------------------------------------------


def test_reply_notifies_author_now_and_followers_in_the_digest(run_on_commit, outbox_rows):
    author, follower, replier = UserFactory(), UserFactory(), UserFactory()
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=follower, topic=topic)
    run_on_commit(make_reply, topic=topic, author=replier)

    assert Notification.objects.get(recipient=author).kind == NotificationKind.TOPIC_REPLY
    assert Notification.objects.get(recipient=follower).kind == NotificationKind.FOLLOWED_REPLY
    assert not Notification.objects.filter(recipient=replier).exists()
    assert outbox_rows(author).get().status == OutboxStatus.SENT
    assert outbox_rows(follower).get().delivery == Delivery.DIGEST
    assert outbox_rows(follower).get().status == OutboxStatus.PENDING
    assert [m.to for m in mail.outbox] == [[author.email]]
    # Replying follows the topic.
    assert TopicSubscription.objects.filter(user=replier, topic=topic).exists()


def test_watching_a_category_notifies_of_new_topics(run_on_commit):
    watcher = UserFactory()
    category = CategoryFactory()
    watcher.category_subscriptions.create(category=category)
    run_on_commit(make_topic, category=category)
    assert Notification.objects.get(recipient=watcher).kind == NotificationKind.FOLLOWED_REPLY


def test_mention_outranks_topic_reply_and_links(run_on_commit):
    author = UserFactory(username="river_a")
    topic = run_on_commit(make_topic, author=author)
    post = run_on_commit(make_reply, topic=topic, body="Thinking of you @river_a")
    notification = Notification.objects.get(recipient=author)
    assert notification.kind == NotificationKind.MENTION
    assert 'class="mention"' in post.body_html


# --- scale -----------------------------------------------------------------------------------


def test_fan_out_queries_grow_with_batches_not_followers(monkeypatch):
    monkeypatch.setattr(fan_out, "FAN_OUT_BATCH", 50)

    def queries_for(followers: int) -> int:
        topic = make_topic()
        TopicSubscription.objects.bulk_create(
            [TopicSubscription(user=u, topic=topic) for u in UserFactory.create_batch(followers)]
        )
        with mock.patch("forum.dispatch.publish"):
            post = make_reply(topic=topic)
        with CaptureQueriesContext(connection) as ctx:
            result = fan_out.fan_out_reply(post_id=post.pk)
        assert result.recipients == followers + 1
        return len(ctx)

    assert queries_for(10) == queries_for(40)  # one batch each
    one_batch, three_batches = queries_for(40), queries_for(140)
    assert three_batches - one_batch <= 2 * 5
