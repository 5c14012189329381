"""Composing and sending emails: coalescing, the digest, what an email may say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from forum import services
from forum.models import (
    Delivery,
    EmailOutbox,
    NotificationKind,
    OutboxStatus,
    Status,
    TopicSubscription,
)
from forum.notifications import api, delivery, inbox, tasks
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


# --- coalescing and digest -------------------------------------------------------------------


def test_second_reply_within_15_minutes_joins_the_next_email(
    run_on_commit, held_tasks, outbox_rows
):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic)
    with held_tasks("forum.deliver_email") as later:
        run_on_commit(make_reply, topic=topic)
        run_on_commit(make_reply, topic=topic)
        for outbox_id in later.ids:
            assert delivery.deliver(outbox_id=outbox_id) == "deferred"
    assert len(later.ids) == 2
    assert len(mail.outbox) == 1
    waiting = outbox_rows(author).filter(status=OutboxStatus.PENDING)
    assert waiting.count() == 2
    sent_at = outbox_rows(author).get(status=OutboxStatus.SENT).sent_at
    assert all(row.send_after == sent_at + timedelta(minutes=15) for row in waiting)

    # The window closes: the next email covers both replies at once.
    EmailOutbox.objects.filter(recipient=author).update(
        sent_at=timezone.now() - timedelta(minutes=16), send_after=timezone.now()
    )
    assert delivery.deliver(outbox_id=waiting.first().pk) == "sent"
    assert len(mail.outbox) == 2
    assert "2 new replies to a topic you started" in mail.outbox[1].body
    assert not outbox_rows(author).filter(status=OutboxStatus.PENDING).exists()


def test_digest_groups_by_topic(run_on_commit, outbox_rows):
    follower = UserFactory()
    first, second = run_on_commit(make_topic), run_on_commit(make_topic)
    for topic in (first, second):
        TopicSubscription.objects.create(user=follower, topic=topic)
    for _ in range(2):
        run_on_commit(make_reply, topic=first)
    run_on_commit(make_reply, topic=second)
    assert outbox_rows(follower).filter(status=OutboxStatus.PENDING).count() == 3

    # The repliers follow too (replying follows), so they have digests of their own.
    assert run_on_commit(tasks.send_digests.apply).result >= 1
    mine = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(mine) == 1
    body = mine[0].body
    assert "2 new posts in a topic you follow" in body
    assert "A new post in a topic you follow" in body
    assert body.count("/p/") == 2
    assert set(outbox_rows(follower).values_list("status", flat=True)) == {OutboxStatus.SENT}
    # Running it again sends nothing more.
    sent = len(mail.outbox)
    run_on_commit(tasks.send_digests.apply)
    assert len(mail.outbox) == sent


def test_nothing_is_emailed_about_a_post_hidden_before_delivery(
    run_on_commit, held_tasks, outbox_rows
):
    author, follower = UserFactory(), UserFactory()
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=follower, topic=topic)
    with held_tasks("forum.deliver_email"):
        post = run_on_commit(make_reply, topic=topic)
    post.status = Status.HIDDEN
    post.save()
    row = outbox_rows(author).get()
    assert delivery.deliver(outbox_id=row.pk) == "cancelled"
    assert delivery.send_digest(user_id=follower.pk) == "cancelled"
    assert mail.outbox == []
    assert inbox.inbox(author) == []
    assert inbox.unread_count(author) == 0


def test_excerpt_only_when_opted_in(run_on_commit, set_pref):
    author = UserFactory()
    set_pref(author, include_excerpt=True)
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic, body="The **walk** helped today")
    assert "The walk helped today" in mail.outbox[0].body


# --- nothing leaks ---------------------------------------------------------------------------


def test_sentinel_markers_never_reach_any_email(run_on_commit, set_pref, settings):
    """Every kind of email, about a post full of unique markers: none of them in any email."""
    settings.NOTIFICATION_COALESCE_SECONDS = 0  # one email per event, so every kind is sent
    markers = ["MRKTITLE7q", "MRKBODY7q", "MRKCAT7q", "mrkauthor7q", "MRKDISPLAY7q", "MRKMSG7q"]
    category = CategoryFactory(name="Category MRKCAT7q", description="About MRKCAT7q")
    author = UserFactory(username="mrkauthor7q", display_name="Name MRKDISPLAY7q")
    topic_owner = UserFactory(username="owner_s")
    follower, mentioned, reporter = UserFactory(), UserFactory(username="ment_s"), UserFactory()
    moderator = UserFactory(role=Role.MODERATOR)
    set_pref(topic_owner, encouragement=Delivery.IMMEDIATE)

    topic = run_on_commit(
        services.create_topic,
        author=topic_owner,
        category=category,
        title="Title MRKTITLE7q",
        body="Opening MRKBODY7q",
    )
    TopicSubscription.objects.create(user=follower, topic=topic)
    post = run_on_commit(
        services.create_reply, author=author, topic=topic, body="Reply MRKBODY7q @ment_s"
    )
    opening = topic.posts.get(position=1)
    run_on_commit(services.set_reaction, user=author, post=opening, kind="hear", on=True)
    for recipient, kind in [
        (author, NotificationKind.MODERATION),
        (reporter, NotificationKind.REPORT_CLOSED),
        (moderator, NotificationKind.MODERATOR_ALERT),
        (follower, NotificationKind.TEAM_MESSAGE),
    ]:
        run_on_commit(
            api.notify,
            recipient=recipient,
            kind=kind,
            event_key=f"sentinel:{kind}",
            post=post,
            message="Moderator note MRKMSG7q",
        )
    run_on_commit(tasks.send_digests.apply)

    kinds_emailed = set(
        EmailOutbox.objects.filter(status=OutboxStatus.SENT).values_list("kind", flat=True)
    )
    assert kinds_emailed == set(NotificationKind.values)
    assert any(m.to == [mentioned.email] for m in mail.outbox)
    assert len(mail.outbox) >= 6
    for message in mail.outbox:
        parts = [message.subject, message.body, message.from_email, *message.to]
        parts += [f"{k}: {v}" for k, v in message.extra_headers.items()]
        parts += [content for content, _ in message.alternatives]
        parts.append(message.message().as_string())
        blob = "\n".join(parts).lower()
        for marker in markers:
            assert marker.lower() not in blob, (marker, message.subject)
        assert message.subject == "You have new activity on Lantern"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
        assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]
