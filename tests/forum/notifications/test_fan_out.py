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


# --- folding: one notification per topic while unread ----------------------------------------


def test_five_replies_make_one_notification_that_says_five(run_on_commit):
    author, follower = UserFactory(), UserFactory()
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=follower, topic=topic)
    replies = [run_on_commit(make_reply, topic=topic) for _ in range(5)]
    for member, kind in ((author, "topic_reply"), (follower, "followed_reply")):
        [group] = Notification.objects.filter(recipient=member)
        assert (group.kind, group.count) == (kind, 5)
        assert group.group_key == f"replies:{topic.pk}"
        # Opening goes to the first unread reply; the newest is kept too.
        assert (group.post_id, group.last_post_id) == (replies[0].pk, replies[-1].pk)
        assert group.actor_id == replies[-1].author_id


def test_once_read_the_next_reply_starts_a_new_group(run_on_commit):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic)
    run_on_commit(make_reply, topic=topic)
    first = Notification.objects.get(recipient=author)
    first.read_at = first.created_at
    first.save()
    newest = run_on_commit(make_reply, topic=topic)
    second = Notification.objects.get(recipient=author, read_at__isnull=True)
    assert second.pk != first.pk and second.count == 1 and second.post_id == newest.pk
    first.refresh_from_db()
    assert first.count == 2


def test_a_mention_stays_its_own_line_beside_the_topics_group(run_on_commit):
    author, named = UserFactory(), UserFactory()
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=named, topic=topic)
    run_on_commit(make_reply, topic=topic)
    run_on_commit(make_reply, topic=topic, body=f"Thinking of you, @{named.username}.")
    run_on_commit(make_reply, topic=topic)
    kinds = sorted(Notification.objects.filter(recipient=named).values_list("kind", "count"))
    assert kinds == [("followed_reply", 2), ("mention", 1)]


def test_folding_costs_the_same_whatever_the_followers(monkeypatch):
    monkeypatch.setattr(fan_out, "FAN_OUT_BATCH", 50)

    def queries_for(followers: int) -> int:
        topic = make_topic()
        TopicSubscription.objects.bulk_create(
            [TopicSubscription(user=u, topic=topic) for u in UserFactory.create_batch(followers)]
        )
        with mock.patch("forum.dispatch.publish"):
            fan_out.fan_out_reply(post_id=make_reply(topic=topic).pk)
            post = make_reply(topic=topic)
        # Everyone but the two repliers has an unread group (and a digest row) to fold into.
        with CaptureQueriesContext(connection) as ctx:
            fan_out.fan_out_reply(post_id=post.pk)
        counts = set(Notification.objects.filter(topic=topic).values_list("count", flat=True))
        assert 2 in counts
        return len(ctx)

    assert queries_for(10) == queries_for(40)


def test_encouragement_from_five_members_is_one_notification(run_on_commit, member):
    from forum import services

    reply = run_on_commit(make_reply, topic=run_on_commit(make_topic), author=member)
    for sender in UserFactory.create_batch(5):
        run_on_commit(services.set_reaction, user=sender, post=reply, kind="hear", on=True)
    [group] = Notification.objects.filter(recipient=member, kind=NotificationKind.ENCOURAGEMENT)
    assert group.count == 5 and group.post_id == reply.pk


# serialized_rollback: the flush afterwards must not drop the seeded rows later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fan_outs_racing_on_one_topic_fold_into_one_group_each():
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    author = UserFactory()
    followers = UserFactory.create_batch(5)
    with mock.patch("forum.dispatch.publish"):
        topic = make_topic(author=author)
        TopicSubscription.objects.bulk_create(
            [TopicSubscription(user=u, topic=topic) for u in followers]
        )
        posts = [make_reply(topic=topic) for _ in range(6)]
    barrier = threading.Barrier(len(posts))
    errors: list[BaseException] = []

    def run(post_id: int) -> None:
        try:
            barrier.wait()
            fan_out.fan_out_reply(post_id=post_id)
        except BaseException as error:  # surfaced below with the thread's own traceback
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(post.pk,)) for post in posts]
    # Patched once, here: patches entered and left by racing threads restore each other's
    # mocks, and one would outlive the test.
    with mock.patch("forum.dispatch.publish"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    for member in [author, *followers]:
        [group] = Notification.objects.filter(recipient=member, topic=topic)
        own = sum(1 for post in posts if post.author_id == member.pk)
        assert group.count == len(posts) - own
        # Whatever order the workers ran in, one email row is owed for the whole group.
        rows = EmailOutbox.objects.filter(recipient=member, topic=topic)
        assert sum(rows.values_list("count", flat=True)) == group.count
