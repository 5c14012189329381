"""Composing and sending emails: coalescing, the digest, what an email may say."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from accounts.message_ids import stable_message_id
from accounts.models import Role
from forum import services
from forum.models import (
    Delivery,
    EmailOutbox,
    Notification,
    NotificationKind,
    OutboxStatus,
    Status,
    TopicSubscription,
)
from forum.notifications import api, delivery, inbox, outbox, tasks
from forum.notifications.models import MailServerPause
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
    # The third reply folds into the email still owed for the second: one row, counting two.
    assert len(later.ids) == 1
    assert len(mail.outbox) == 1
    waiting = outbox_rows(author).filter(status=OutboxStatus.PENDING)
    assert waiting.count() == 1 and waiting.get().count == 2
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


def test_five_replies_in_a_followed_topic_make_one_email_that_says_five(
    run_on_commit, held_tasks, outbox_rows, set_pref
):
    follower = UserFactory()
    set_pref(follower, followed_reply=Delivery.IMMEDIATE)
    topic = run_on_commit(make_topic, title="MRKGROUPTITLE")
    TopicSubscription.objects.create(user=follower, topic=topic)
    with held_tasks("forum.deliver_email") as later:
        replies = [run_on_commit(make_reply, topic=topic) for _ in range(5)]
    # One row owed while the group's email waits, counting every reply folded into it.
    row = outbox_rows(follower).get()
    assert row.count == 5 and later.ids.count(row.pk) == 1
    assert delivery.deliver(outbox_id=row.pk) == "sent"
    [email] = [m for m in mail.outbox if m.to == [follower.email]]
    assert email.subject == "You have new activity on Lantern"
    assert "5 new replies in a topic you follow" in email.body
    assert "MRKGROUPTITLE" not in email.subject + email.body
    # The link opens the first of the five.
    assert f"/p/{replies[0].pk}/" in email.body
    assert email.extra_headers["Message-ID"] == stable_message_id(kind="outbox", ids=[row.pk])


def test_a_reply_after_the_groups_email_went_out_owes_one_more_email(
    run_on_commit, outbox_rows, set_pref, settings
):
    settings.NOTIFICATION_COALESCE_SECONDS = 0
    follower = UserFactory()
    set_pref(follower, followed_reply=Delivery.IMMEDIATE)
    topic = run_on_commit(make_topic)
    TopicSubscription.objects.create(user=follower, topic=topic)
    run_on_commit(make_reply, topic=topic)
    assert outbox_rows(follower).get().status == OutboxStatus.SENT
    run_on_commit(make_reply, topic=topic)
    # Still one unread line in the site, and a second email for what is new since the first.
    assert Notification.objects.get(recipient=follower).count == 2
    assert list(outbox_rows(follower).values_list("status", "count").order_by("pk")) == [
        (OutboxStatus.SENT, 1),
        (OutboxStatus.SENT, 1),
    ]
    assert len([m for m in mail.outbox if m.to == [follower.email]]) == 2


def test_digest_groups_by_topic(run_on_commit, outbox_rows):
    follower = UserFactory()
    first, second = run_on_commit(make_topic), run_on_commit(make_topic)
    for topic in (first, second):
        TopicSubscription.objects.create(user=follower, topic=topic)
    for _ in range(2):
        run_on_commit(make_reply, topic=first)
    run_on_commit(make_reply, topic=second)
    # One digest row per topic: the second reply in `first` folded into the row still owed.
    pending = outbox_rows(follower).filter(status=OutboxStatus.PENDING)
    assert sorted(pending.values_list("count", flat=True)) == [1, 2]

    # The repliers follow too (replying follows), so they have digests of their own.
    assert run_on_commit(tasks.send_digests.apply).result >= 1
    mine = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(mine) == 1
    body = mine[0].body
    assert "2 new replies in a topic you follow" in body
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
        (moderator, NotificationKind.URGENT_ALERT),
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
        assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]
        if message.subject == "Lantern: Urgent: a member may need support now":
            # Urgent alerts have no one-click unsubscribe (tests below).
            continue
        assert message.subject == "You have new activity on Lantern"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
        assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]


# --- mail-server trouble ---------------------------------------------------------------------


def test_a_batch_of_emails_goes_over_one_connection(mail_server, owed_emails):
    ids = owed_emails(21)
    assert tasks.deliver_email.apply(args=ids).result == {"sent": 21}
    assert mail_server.opened == 1
    assert len(mail_server.taken) == 21
    assert set(EmailOutbox.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


@pytest.mark.parametrize(
    "lost",
    [
        OperationalError("terminating connection due to administrator command"),
        InterfaceError("connection already closed"),
    ],
    ids=["terminated", "already-closed"],
)
def test_an_email_sent_before_the_database_connection_died_is_marked_sent_not_sent_again(
    mail_server, owed_emails, lost
):
    # The mail server took the email, then the connection holding the row lock was killed
    # before the commit: the rows are marked sent on a fresh connection, so the sweep (which
    # hands over pending rows) never sends the same email twice.
    from django.db.models import QuerySet

    ids = owed_emails(1)
    real_update = QuerySet.update
    calls = {"n": 0}

    def update_dies_once_after_the_send(self, **kwargs):
        if kwargs.get("status") == OutboxStatus.SENT and calls["n"] == 0:
            calls["n"] += 1
            raise lost
        return real_update(self, **kwargs)

    with (
        mock.patch.object(QuerySet, "update", update_dies_once_after_the_send),
        mock.patch.object(delivery.db_connection, "close"),
    ):
        assert tasks.deliver_email.apply(args=ids).result == {"sent": 1}
    assert len(mail_server.taken) == 1
    row = EmailOutbox.objects.get(pk=ids[0])
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert outbox.sweep_outbox()["emails"] == 0
    assert len(mail_server.taken) == 1


def test_a_refusing_mail_server_costs_one_attempt_not_one_per_email(mail_server, owed_emails):
    ids = owed_emails(21)
    mail_server.refuse_with = ConnectionRefusedError(111, "Connection refused")
    assert tasks.deliver_email.apply(args=ids).result == {"retry": 1, "paused": 20}
    # The sweep and every later batch leave the server alone while it is paused.
    assert outbox.sweep_outbox()["emails"] == 0
    assert tasks.deliver_email.apply(args=ids).result == {"paused": 21}
    assert mail_server.opened == 1
    rows = EmailOutbox.objects.filter(pk__in=ids)
    assert set(rows.values_list("status", flat=True)) == {OutboxStatus.PENDING}
    assert all(row.send_after > timezone.now() for row in rows)
    assert sorted(rows.values_list("attempts", flat=True)) == [0] * 20 + [1]

    # The pause ends and the server takes mail again: everything goes, once.
    mail_server.refuse_with = None
    later = max(row.send_after for row in rows) + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        swept = outbox.sweep_outbox()
    assert swept["emails"] == 21
    assert len(mail_server.taken) == 21
    assert set(rows.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert not MailServerPause.objects.exists()


def test_a_permanent_refusal_fails_the_row_at_once_and_the_rest_are_sent(mail_server, owed_emails):
    ids = owed_emails(3)
    refused = smtplib.SMTPRecipientsRefused({"x@example.test": (550, b"5.1.1 No such user")})
    with mock.patch.object(
        delivery, "_send", side_effect=[None, refused, None], autospec=True
    ) as send:
        assert tasks.deliver_email.apply(args=ids).result == {"sent": 2, "failed": 1}
    assert send.call_count == 3
    failed = EmailOutbox.objects.get(pk=ids[1])
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 1)
    assert failed.last_error == "SMTPRecipientsRefused 550"
    assert not MailServerPause.objects.exists(), "one bad address must not stop other mail"


def test_a_temporary_refusal_of_one_recipient_retries_that_row_only(mail_server, owed_emails):
    ids = owed_emails(3)
    full = smtplib.SMTPRecipientsRefused({"x@example.test": (452, b"4.2.2 Mailbox full")})
    with mock.patch.object(delivery, "_send", side_effect=[full, None, None], autospec=True):
        assert tasks.deliver_email.apply(args=ids).result == {"retry": 1, "sent": 2}
    row = EmailOutbox.objects.get(pk=ids[0])
    assert (row.status, row.attempts, row.last_error) == (
        OutboxStatus.PENDING,
        1,
        "SMTPRecipientsRefused 452",
    )
    assert row.send_after > timezone.now() and row.dispatched_at is None


def test_a_data_rejection_with_5xx_fails_and_with_4xx_pauses(mail_server, owed_emails):
    ids = owed_emails(2)
    mail_server.reject_with = smtplib.SMTPDataError(554, b"5.7.1 Message rejected")
    assert tasks.deliver_email.apply(args=ids[:1]).result == {"failed": 1}
    mail_server.reject_with = smtplib.SMTPDataError(451, b"4.3.0 Try again later")
    assert tasks.deliver_email.apply(args=ids[1:]).result == {"retry": 1}
    assert MailServerPause.objects.get().last_error == "SMTPDataError 451"


# --- urgent alerts ---------------------------------------------------------------------------


def test_an_urgent_alert_says_it_is_urgent_and_has_no_unsubscribe(run_on_commit, set_pref):
    moderator = UserFactory(role=Role.MODERATOR)
    # Even a moderator who turned every other email off, excerpts on, hears an urgent alert.
    set_pref(moderator, moderator_alert=Delivery.NEVER, include_excerpt=True)
    post = make_reply(topic=make_topic(title="Title MRKURGENT"), body="Words MRKURGENT")
    run_on_commit(
        api.notify,
        recipient=moderator,
        kind=NotificationKind.URGENT_ALERT,
        event_key="at-risk:1:0:1",
        message="Urgent: a member may need support now.",
        url="/moderation/items/1/",
    )
    (message,) = [m for m in mail.outbox if m.to == [moderator.email]]
    assert message.subject == "Lantern: Urgent: a member may need support now"
    assert message.body.startswith(
        "A member may need support now. An item is waiting at the top of the review queue."
    )
    assert "/moderation/items/1/" in message.body
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    html = message.alternatives[0][0]
    everything = message.message().as_string() + html
    assert "/unsubscribe/" not in everything
    assert "MRKURGENT" not in everything
    assert post.author.username not in everything
    assert "cannot be turned off by a link" in message.body


# --- a resend is recognisable as the same email ----------------------------------------------


def test_an_email_sent_again_after_a_lost_reply_has_the_same_message_id(mail_server, owed_emails):
    # The mail server took the email but its "250" never arrived (the worker died): the row
    # stays pending and is sent again. Both copies carry one Message-ID, so the member's mail
    # system can show it once; a different email has its own.
    ids = owed_emails(2)
    assert delivery.deliver(outbox_id=ids[0]) == "sent"
    EmailOutbox.objects.filter(pk=ids[0]).update(status=OutboxStatus.PENDING, sent_at=None)
    assert delivery.deliver(outbox_id=ids[0]) == "sent"
    assert delivery.deliver(outbox_id=ids[1]) == "sent"

    first, again, other = (message.message()["Message-ID"] for message in mail_server.taken)
    assert first == again
    assert other != first
    assert first == stable_message_id(kind="outbox", ids=[ids[0]])


def test_message_ids_are_keyed_and_name_the_site(settings):
    settings.SITE_URL = "https://lantern.example.org"
    one = stable_message_id(kind="outbox", ids=[12, 7])
    assert one == stable_message_id(kind="outbox", ids=[7, 12])
    # A keyed digest: it says nothing about row ids or how much mail the site sends.
    assert re.fullmatch(r"<[0-9a-f]{32}@lantern\.example\.org>", one)
    assert one != stable_message_id(kind="outbox", ids=[7])
    assert one != stable_message_id(kind="account-mail", ids=[7, 12])
    settings.SECRET_KEY = "another key entirely, as on another site"
    assert one != stable_message_id(kind="outbox", ids=[7, 12])


def test_no_excerpt_of_a_warned_post_even_when_opted_in(run_on_commit, set_pref):
    author = UserFactory()
    set_pref(author, include_excerpt=True)
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(
        services.create_reply,
        author=UserFactory(),
        topic=topic,
        body="WARNEDEXCERPT about that night",
        warning_flags=1,
    )
    assert len(mail.outbox) == 1
    assert "WARNEDEXCERPT" not in mail.outbox[0].body
