"""Who is notified of what, in the site and by email (eager Celery, in-memory mail)."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from forum import emails, notifications, services, tasks
from forum.models import (
    Delivery,
    EmailOutbox,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxStatus,
    Status,
    TopicSubscription,
)
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _publish_directly(settings):
    # These tests are about notifications, not the new-member review queue.
    settings.NEW_MEMBER_REVIEW_POSTS = 0


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a block and then its after-commit work (dispatch), as a real commit would."""

    class Runner:
        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Runner()


def set_pref(user, **values):
    NotificationPreference.objects.update_or_create(user=user, defaults=values)


def outbox(user, kind=None):
    rows = EmailOutbox.objects.filter(recipient=user)
    return rows.filter(kind=kind) if kind else rows


# --- the notify() contract -------------------------------------------------------------------


def test_notify_writes_notification_and_outbox_row_and_is_idempotent(run_on_commit, member):
    def call():
        return notifications.notify(
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


def test_moderator_alert_is_emailed_even_when_digest_is_chosen(run_on_commit):
    moderator = UserFactory(role=Role.MODERATOR)
    set_pref(moderator, moderator_alert=Delivery.DIGEST)
    topic = make_topic()
    run_on_commit(
        notifications.notify,
        recipient=moderator,
        kind=NotificationKind.MODERATOR_ALERT,
        event_key="review:1",
        topic=topic,
    )
    assert EmailOutbox.objects.get(recipient=moderator).delivery == Delivery.IMMEDIATE
    assert len(mail.outbox) == 1


# --- who hears about a post ------------------------------------------------------------------


def test_reply_notifies_author_now_and_followers_in_the_digest(run_on_commit):
    author, follower, replier = UserFactory(), UserFactory(), UserFactory()
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=follower, topic=topic)
    run_on_commit(make_reply, topic=topic, author=replier)

    assert Notification.objects.get(recipient=author).kind == NotificationKind.TOPIC_REPLY
    assert Notification.objects.get(recipient=follower).kind == NotificationKind.FOLLOWED_REPLY
    assert not Notification.objects.filter(recipient=replier).exists()
    assert outbox(author).get().status == OutboxStatus.SENT
    assert outbox(follower).get().delivery == Delivery.DIGEST
    assert outbox(follower).get().status == OutboxStatus.PENDING
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


@pytest.mark.parametrize(
    "kind",
    [NotificationKind.TOPIC_REPLY, NotificationKind.FOLLOWED_REPLY, NotificationKind.MENTION],
)
@pytest.mark.parametrize("delivery", list(Delivery))
def test_each_preference_is_honoured(run_on_commit, kind, delivery):
    recipient = UserFactory(username="sam_pref")
    set_pref(recipient, **{kind: delivery})
    topic_author = recipient if kind == NotificationKind.TOPIC_REPLY else UserFactory()
    topic = run_on_commit(make_topic, author=topic_author)
    if kind == NotificationKind.FOLLOWED_REPLY:
        TopicSubscription.objects.get_or_create(user=recipient, topic=topic)
    body = "hello @sam_pref" if kind == NotificationKind.MENTION else "hello"
    run_on_commit(make_reply, topic=topic, body=body)

    assert Notification.objects.get(recipient=recipient).kind == kind
    rows = outbox(recipient)
    to_recipient = [m for m in mail.outbox if m.to == [recipient.email]]
    if delivery == Delivery.NEVER:
        assert not rows.exists()
        assert to_recipient == []
    elif delivery == Delivery.DIGEST:
        assert rows.get().status == OutboxStatus.PENDING
        assert to_recipient == []
    else:
        assert rows.get().status == OutboxStatus.SENT
        assert len(to_recipient) == 1


def test_defaults_match_the_issue(member):
    prefs = notifications.preference_of(member)
    assert prefs.topic_reply == Delivery.IMMEDIATE
    assert prefs.mention == Delivery.IMMEDIATE
    assert prefs.followed_reply == Delivery.DIGEST
    assert prefs.encouragement == Delivery.NEVER
    assert prefs.include_excerpt is False


def test_encouragement_is_in_site_only_by_default_and_grouped(run_on_commit, member):
    post = run_on_commit(make_topic, author=member).posts.get()
    for sender in UserFactory.create_batch(3):
        run_on_commit(services.set_reaction, user=sender, post=post, kind="hear", on=True)
        run_on_commit(services.set_reaction, user=sender, post=post, kind="proud", on=True)
    assert Notification.objects.filter(recipient=member).count() == 3
    assert not outbox(member).exists()
    items = notifications.inbox(member)
    assert len(items) == 1 and items[0].senders == 3
    assert notifications.unread_count(member) == 1

    client = Client()
    client.force_login(member)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "3 members sent you encouragement" in page


# --- coalescing and digest -------------------------------------------------------------------


def test_second_reply_within_15_minutes_joins_the_next_email(run_on_commit):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic)
    with mock.patch.object(notifications, "dispatch_emails") as later:
        run_on_commit(make_reply, topic=topic)
        run_on_commit(make_reply, topic=topic)
        handed_over = [i for call in later.call_args_list for i in call.args[0]]
        for outbox_id in handed_over:
            assert emails.deliver(outbox_id=outbox_id) == "deferred"
    assert len(mail.outbox) == 1
    waiting = outbox(author).filter(status=OutboxStatus.PENDING)
    assert waiting.count() == 2
    sent_at = outbox(author).get(status=OutboxStatus.SENT).sent_at
    assert all(row.send_after == sent_at + timedelta(minutes=15) for row in waiting)

    # The window closes: the next email covers both replies at once.
    EmailOutbox.objects.filter(recipient=author).update(
        sent_at=timezone.now() - timedelta(minutes=16), send_after=timezone.now()
    )
    assert emails.deliver(outbox_id=waiting.first().pk) == "sent"
    assert len(mail.outbox) == 2
    assert "2 new replies to a topic you started" in mail.outbox[1].body
    assert not outbox(author).filter(status=OutboxStatus.PENDING).exists()


def test_digest_groups_by_topic(run_on_commit):
    follower = UserFactory()
    first, second = run_on_commit(make_topic), run_on_commit(make_topic)
    for topic in (first, second):
        TopicSubscription.objects.create(user=follower, topic=topic)
    for _ in range(2):
        run_on_commit(make_reply, topic=first)
    run_on_commit(make_reply, topic=second)
    assert outbox(follower).filter(status=OutboxStatus.PENDING).count() == 3

    # The repliers follow too (replying follows), so they have digests of their own.
    assert run_on_commit(tasks.send_digests.apply).result >= 1
    mine = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(mine) == 1
    body = mine[0].body
    assert "2 new posts in a topic you follow" in body
    assert "A new post in a topic you follow" in body
    assert body.count("/p/") == 2
    assert set(outbox(follower).values_list("status", flat=True)) == {OutboxStatus.SENT}
    # Running it again sends nothing more.
    sent = len(mail.outbox)
    run_on_commit(tasks.send_digests.apply)
    assert len(mail.outbox) == sent


def test_nothing_is_emailed_about_a_post_hidden_before_delivery(run_on_commit):
    author, follower = UserFactory(), UserFactory()
    topic = run_on_commit(make_topic, author=author)
    TopicSubscription.objects.create(user=follower, topic=topic)
    with mock.patch.object(notifications, "dispatch_emails"):
        post = run_on_commit(make_reply, topic=topic)
    post.status = Status.HIDDEN
    post.save()
    row = outbox(author).get()
    assert emails.deliver(outbox_id=row.pk) == "cancelled"
    assert emails.send_digest(user_id=follower.pk) == "cancelled"
    assert mail.outbox == []
    assert notifications.inbox(author) == []
    assert notifications.unread_count(author) == 0


# --- failure and the sweeper -----------------------------------------------------------------


def test_mail_server_errors_retry_and_end_failed_visible_in_admin(run_on_commit, settings):
    settings.EMAIL_BACKEND = "tests.forum.test_notifications.RefusingBackend"
    settings.EMAIL_MAX_ATTEMPTS = 3
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic)
    row = outbox(author).get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.dispatched_at > timezone.now()  # the sweeper waits for the backoff
    assert tasks.deliver_email.apply(args=[row.pk]).result == "pending"
    assert tasks.deliver_email.apply(args=[row.pk]).result == "failed"
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 3
    assert mail.outbox == []
    assert row.last_error == "SMTPServerDisconnected"

    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:forum_emailoutbox_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert "Failed after every retry" in page.content.decode()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("connection closed")


def test_sweeper_redispatches_only_rows_pending_for_over_a_minute(run_on_commit):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    with mock.patch.object(notifications, "dispatch_emails", return_value=0):
        run_on_commit(make_reply, topic=topic)
    row = outbox(author).get()
    assert row.status == OutboxStatus.PENDING
    assert notifications.sweep_outbox()["emails"] == 0
    EmailOutbox.objects.filter(pk=row.pk).update(
        dispatched_at=timezone.now() - timedelta(seconds=61)
    )
    assert notifications.sweep_outbox()["emails"] == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_broker_failure_after_commit_is_logged_without_post_text(run_on_commit, caplog, settings):
    from config.celery_app import app

    app.conf.task_always_eager = False
    try:
        with mock.patch(
            "celery.app.task.Task.apply_async", side_effect=ConnectionError("broker down")
        ):
            topic = run_on_commit(make_topic, title="Secret title zq", body="secret body zq")
            run_on_commit(make_reply, topic=topic, body="secret reply zq")
    finally:
        app.conf.task_always_eager = True
    assert "could not hand forum.fan_out_post" in caplog.text
    assert "zq" not in caplog.text


# --- scale -----------------------------------------------------------------------------------


def test_fan_out_queries_grow_with_batches_not_followers(monkeypatch):
    monkeypatch.setattr(notifications, "FAN_OUT_BATCH", 50)

    def queries_for(followers: int) -> int:
        topic = make_topic()
        TopicSubscription.objects.bulk_create(
            [TopicSubscription(user=u, topic=topic) for u in UserFactory.create_batch(followers)]
        )
        with mock.patch.object(notifications, "_publish"):
            post = make_reply(topic=topic)
        with CaptureQueriesContext(connection) as ctx:
            result = notifications.fan_out_reply(post_id=post.pk)
        assert result.recipients == followers + 1
        return len(ctx)

    assert queries_for(10) == queries_for(40)  # one batch each
    one_batch, three_batches = queries_for(40), queries_for(140)
    assert three_batches - one_batch <= 2 * 5


# --- pages -----------------------------------------------------------------------------------


def test_bell_mark_one_and_all_read(run_on_commit, member, member_client):
    topic = run_on_commit(make_topic, author=member)
    run_on_commit(make_reply, topic=topic)
    run_on_commit(make_reply, topic=topic)
    page = member_client.get(reverse("forum:home")).content.decode()
    assert '2<span class="visually-hidden"> unread</span>' in page

    first = Notification.objects.filter(recipient=member).first()
    response = member_client.get(reverse("forum:notification_open", args=[first.pk]))
    assert response.status_code == 302
    assert notifications.unread_count(member) == 1
    member_client.post(reverse("forum:notifications_read_all"))
    assert notifications.unread_count(member) == 0
    page = member_client.get(reverse("forum:notifications")).content.decode()
    assert "unread</span>" not in page


def test_someone_elses_notification_is_not_found(run_on_commit, member_client, other_member):
    topic = run_on_commit(make_topic, author=other_member)
    run_on_commit(make_reply, topic=topic)
    theirs = Notification.objects.get(recipient=other_member)
    response = member_client.post(reverse("forum:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_follow_and_unfollow_buttons(member_client, member):
    topic = make_topic()
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Follow this topic" in page
    member_client.post(reverse("forum:follow_topic", args=[topic.pk]))
    assert TopicSubscription.objects.filter(user=member, topic=topic).exists()
    assert "Unfollow" in member_client.get(topic.get_absolute_url()).content.decode()
    member_client.post(reverse("forum:unfollow_topic", args=[topic.pk]))
    assert not TopicSubscription.objects.filter(user=member, topic=topic).exists()

    category = topic.category
    member_client.post(reverse("forum:watch_category", args=[category.slug]))
    assert member.category_subscriptions.filter(category=category).exists()
    assert "Stop watching" in member_client.get(category.get_absolute_url()).content.decode()


def test_follow_requires_login(client):
    topic = make_topic()
    response = client.post(reverse("forum:follow_topic", args=[topic.pk]))
    assert response.status_code == 302
    assert not TopicSubscription.objects.exclude(user=topic.author).exists()


def test_preferences_page_saves_and_cancels_pending_mail(run_on_commit, member, member_client):
    follower_topic = run_on_commit(make_topic)
    TopicSubscription.objects.create(user=member, topic=follower_topic)
    run_on_commit(make_reply, topic=follower_topic)
    assert outbox(member).get().status == OutboxStatus.PENDING
    url = reverse("forum:notification_preferences")
    page = member_client.get(url).content.decode()
    assert "Replies in topics I follow" in page
    assert "Moderator alerts" not in page
    data = {kind.value: Delivery.IMMEDIATE for kind in notifications.MEMBER_KINDS}
    data["followed_reply"] = Delivery.NEVER
    data["include_excerpt"] = "on"
    assert member_client.post(url, data).status_code == 302
    prefs = NotificationPreference.objects.get(user=member)
    assert prefs.followed_reply == Delivery.NEVER and prefs.include_excerpt
    assert outbox(member).get().status == OutboxStatus.CANCELLED


def test_preferences_page_keeps_choices_on_error(member_client):
    url = reverse("forum:notification_preferences")
    response = member_client.post(url, {"topic_reply": "never", "mention": "bogus"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please choose how to hear about this." in page
    assert re.search(r'name="topic_reply" value="never"[^>]*checked', page)
    assert not NotificationPreference.objects.exists()


def test_excerpt_only_when_opted_in(run_on_commit):
    author = UserFactory()
    set_pref(author, include_excerpt=True)
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic, body="The **walk** helped today")
    assert "The walk helped today" in mail.outbox[0].body


# --- unsubscribe -----------------------------------------------------------------------------


def _unsubscribe_url(user, kind="topic_reply"):
    token = notifications.unsubscribe_token(user=user, kind=kind)
    return reverse("forum:unsubscribe", args=[token])


def test_unsubscribe_link_confirms_then_unsubscribes_without_login(member):
    client = Client(enforce_csrf_checks=True)
    url = _unsubscribe_url(member)
    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, unsubscribe me" in page.content.decode()
    assert not NotificationPreference.objects.exists()
    response = client.post(url)
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=member).topic_reply == Delivery.NEVER


def test_one_click_unsubscribe_post_from_the_mail_client(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _unsubscribe_url(member, "mention"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=member).mention == Delivery.NEVER


def test_digest_unsubscribe_turns_off_every_digested_kind(member):
    Client().post(_unsubscribe_url(member, notifications.DIGEST_TOKEN_KIND))
    prefs = NotificationPreference.objects.get(user=member)
    assert prefs.followed_reply == Delivery.NEVER
    assert prefs.topic_reply == Delivery.IMMEDIATE


def test_tampered_unsubscribe_link_changes_nothing(member, other_member):
    url = _unsubscribe_url(member)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = token.replace(token[-3:], "abc" if token[-3:] != "abc" else "abd")
    for bad in (forged, "garbage", token[:-1]):
        for method in ("get", "post"):
            response = getattr(Client(), method)(reverse("forum:unsubscribe", args=[bad]))
            assert response.status_code == 400
            assert "Nothing was changed" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_expired_unsubscribe_link_changes_nothing(member, settings):
    settings.UNSUBSCRIBE_LINK_MAX_AGE = 3600
    long_ago = timezone.now().timestamp() - 7200
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        url = _unsubscribe_url(member)
    response = Client().post(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# --- nothing leaks ---------------------------------------------------------------------------


def test_sentinel_markers_never_reach_any_email(run_on_commit, settings):
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
    ]:
        run_on_commit(
            notifications.notify,
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
