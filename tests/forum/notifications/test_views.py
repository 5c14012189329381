"""Notification pages through the client: the inbox and bell, opening, preferences, following."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import FORMER_MEMBER, FORMER_USERNAME
from forum.models import (
    Delivery,
    Notification,
    NotificationPreference,
    OutboxStatus,
    Status,
    TopicSubscription,
)
from forum.notifications import inbox, preferences
from forum.notifications.models import TopicMute
from tests.factories import make_reply, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def replied_to(run_on_commit, member):
    """`member`'s unread notification about a reply to their topic."""
    topic = run_on_commit(make_topic, author=member)
    run_on_commit(make_reply, topic=topic)
    return Notification.objects.get(recipient=member)


# --- the inbox and the bell ------------------------------------------------------------------


def test_bell_mark_one_and_all_read(run_on_commit, member, member_client):
    # Two topics: replies in one topic fold into one line, so the bell counts topics.
    for topic in (
        run_on_commit(make_topic, author=member),
        run_on_commit(make_topic, author=member),
    ):
        run_on_commit(make_reply, topic=topic)
    page = member_client.get(reverse("forum:home")).content.decode()
    assert '2<span class="visually-hidden"> unread</span>' in page

    first = Notification.objects.filter(recipient=member).first()
    response = member_client.post(reverse("forum:notification_open", args=[first.pk]))
    assert response.status_code == 302
    assert inbox.unread_count(member) == 1
    member_client.post(reverse("forum:notifications_read_all"))
    assert inbox.unread_count(member) == 0
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


# --- opening a notification ------------------------------------------------------------------


def test_get_on_a_notification_changes_nothing(member, member_client, replied_to):
    response = member_client.get(reverse("forum:notification_open", args=[replied_to.pk]))
    assert response.status_code == 405
    replied_to.refresh_from_db()
    assert replied_to.read_at is None
    assert inbox.unread_count(member) == 1


def test_opening_marks_read_and_goes_to_the_post(member_client, replied_to):
    response = member_client.post(reverse("forum:notification_open", args=[replied_to.pk]))
    assert response.status_code == 302
    assert response.url == replied_to.get_absolute_url()
    assert response.url == reverse("forum:post", args=[replied_to.post_id])
    replied_to.refresh_from_db()
    assert replied_to.read_at is not None


def test_someone_elses_notification_cannot_be_opened(run_on_commit, member_client, other_member):
    topic = run_on_commit(make_topic, author=other_member)
    run_on_commit(make_reply, topic=topic)
    theirs = Notification.objects.get(recipient=other_member)
    response = member_client.post(reverse("forum:notification_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_needs_the_csrf_token(member, replied_to):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("forum:notification_open", args=[replied_to.pk]))
    assert response.status_code == 403
    replied_to.refresh_from_db()
    assert replied_to.read_at is None


def test_inbox_opens_each_notification_with_a_form_not_a_link(member_client, replied_to):
    url = reverse("forum:notification_open", args=[replied_to.pk])
    page = member_client.get(reverse("forum:notifications")).content.decode()
    form = re.search(rf'<form method="post" action="{url}"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    button = re.search(
        r'<button type="submit" class="link-button">(.*?)</button>', form.group(1), re.S
    )
    assert button is not None
    # The button's accessible name says what the notification is and what it opens.
    name = re.sub(r"<[^>]+>", "", button.group(1))
    assert "replied to your topic" in name
    assert "(opens the post)" in name
    assert f'href="{url}"' not in page


# --- following -------------------------------------------------------------------------------


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


# --- preferences -----------------------------------------------------------------------------


def test_preferences_page_saves_and_cancels_pending_mail(
    run_on_commit, member, member_client, outbox_rows
):
    follower_topic = run_on_commit(make_topic)
    TopicSubscription.objects.create(user=member, topic=follower_topic)
    run_on_commit(make_reply, topic=follower_topic)
    assert outbox_rows(member).get().status == OutboxStatus.PENDING
    url = reverse("forum:notification_preferences")
    page = member_client.get(url).content.decode()
    assert "Replies in topics I follow" in page
    assert "Moderator alerts" not in page
    data = {kind.value: Delivery.IMMEDIATE for kind in preferences.MEMBER_KINDS}
    data["followed_reply"] = Delivery.NEVER
    data["include_excerpt"] = "on"
    assert member_client.post(url, data).status_code == 302
    prefs = NotificationPreference.objects.get(user=member)
    assert prefs.followed_reply == Delivery.NEVER and prefs.include_excerpt
    assert outbox_rows(member).get().status == OutboxStatus.CANCELLED


def test_preferences_page_keeps_choices_on_error(member_client):
    url = reverse("forum:notification_preferences")
    response = member_client.post(url, {"topic_reply": "never", "mention": "bogus"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please choose how to hear about this." in page
    assert re.search(r'name="topic_reply" value="never"[^>]*checked', page)
    assert not NotificationPreference.objects.exists()


def test_preferences_page_tells_moderators_why_urgent_alerts_have_no_switch(member_client):
    from accounts.models import Role
    from tests.factories import UserFactory

    url = reverse("forum:notification_preferences")
    assert "Urgent alerts" not in member_client.get(url).content.decode()
    client = Client()
    client.force_login(UserFactory(role=Role.MODERATOR))
    page = client.get(url).content.decode()
    assert "Moderator alerts" in page
    assert "Urgent alerts can't be turned off here or by a link in the email" in page
    assert 'name="urgent_alert"' not in page


def test_following_and_watching_too_often_is_paused_with_429(member_client, member, settings):
    from django.core.cache import cache

    from accounts.rate_limits import ACTIONS

    cache.clear()
    settings.MEMBER_RATE_LIMITS = {action: ("3/m", "3/m") for action in ACTIONS}
    topic = make_topic()
    follow = reverse("forum:follow_topic", args=[topic.pk])
    unfollow = reverse("forum:unfollow_topic", args=[topic.pk])
    assert [member_client.post(url).status_code for url in (follow, unfollow, follow)] == [302] * 3
    refused = member_client.post(unfollow)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "followed or unfollowed several times" in html
    assert "Anything you wrote" not in html, "nothing was written: the words must say so"
    # Nothing happened: the member still follows the topic.
    assert TopicSubscription.objects.filter(user=member, topic=topic).exists()
    watch = reverse("forum:watch_category", args=[topic.category.slug])
    assert member_client.post(watch).status_code == 429
    assert not member.category_subscriptions.exists()
    cache.clear()


# --- muting ----------------------------------------------------------------------------------


def test_mute_and_unmute_from_the_topic_page(run_on_commit, member, member_client):
    topic = run_on_commit(make_topic, author=member)
    page = member_client.get(topic.get_absolute_url()).content.decode()
    mute_url = reverse("forum:mute_topic", args=[topic.pk])
    assert f'action="{mute_url}"' in page and "Mute this topic" in page
    response = member_client.post(mute_url, follow=True)
    assert response.redirect_chain[-1][0] == topic.get_absolute_url()
    page = response.content.decode()
    assert (
        "You won&#x27;t hear about this topic until you unmute it; "
        "messages from the moderators still reach you." in page
    )
    assert f'action="{reverse("forum:unmute_topic", args=[topic.pk])}"' in page
    assert TopicMute.objects.filter(user=member, topic=topic).exists()
    run_on_commit(make_reply, topic=topic)
    assert inbox.unread_count(member) == 0

    response = member_client.post(reverse("forum:unmute_topic", args=[topic.pk]), follow=True)
    assert "Mute this topic" in response.content.decode()
    assert not TopicMute.objects.filter(user=member, topic=topic).exists()
    run_on_commit(make_reply, topic=topic)
    assert inbox.unread_count(member) == 1


def test_mute_and_unmute_from_the_notification(member, member_client, replied_to):
    here = reverse("forum:notifications")
    page = member_client.get(here).content.decode()
    mute_url = reverse("forum:mute_topic", args=[replied_to.topic_id])
    assert f'action="{mute_url}"' in page
    response = member_client.post(mute_url, {"next": here}, follow=True)
    assert response.redirect_chain[-1][0] == here
    page = response.content.decode()
    # The line stays, read now, offering to unmute.
    assert "Unmute this topic" in page and "New</span>" not in page
    assert inbox.unread_count(member) == 0
    unmute_url = reverse("forum:unmute_topic", args=[replied_to.topic_id])
    page = member_client.post(unmute_url, {"next": here}, follow=True).content.decode()
    assert "Mute this topic" in page and "Unmute this topic" not in page


def test_muting_a_topic_one_may_not_see_is_not_found(member_client, member):
    hidden = make_topic()
    hidden.status = Status.PENDING
    hidden.save()
    for name in ("forum:mute_topic", "forum:unmute_topic"):
        assert member_client.post(reverse(name, args=[hidden.pk])).status_code == 404
        assert member_client.get(reverse(name, args=[make_topic().pk])).status_code == 405
    assert not TopicMute.objects.filter(user=member).exists()


def test_muting_too_often_is_paused_with_429(member_client, member, settings):
    from django.core.cache import cache

    cache.clear()
    settings.MEMBER_RATE_LIMITS = {"mute": ("2/m", "2/m")}
    topic = make_topic()
    mute = reverse("forum:mute_topic", args=[topic.pk])
    unmute = reverse("forum:unmute_topic", args=[topic.pk])
    assert [member_client.post(url).status_code for url in (mute, unmute)] == [302, 302]
    refused = member_client.post(mute)
    assert refused.status_code == 429
    assert "muted or unmuted topics several times" in refused.content.decode()
    assert not TopicMute.objects.filter(user=member, topic=topic).exists()
    cache.clear()


def test_mark_as_read_goes_back_to_the_page_it_was_pressed_on(member, member_client, replied_to):
    here = reverse("forum:notifications") + "?page=1"
    page = member_client.get(here).content.decode()
    assert f'<input type="hidden" name="next" value="{here}">' in page
    url = reverse("forum:notification_read", args=[replied_to.pk])
    response = member_client.post(url, {"next": here})
    assert response.url == here
    replied_to.refresh_from_db()
    assert replied_to.read_at is not None
    # Somewhere else entirely is not "back".
    assert member_client.post(url, {"next": "https://elsewhere.example/"}).url == (
        reverse("forum:notifications")
    )


def test_a_former_member_is_named_as_one_not_by_their_placeholder(member_client, replied_to):
    # What finalising an account deletion leaves (community.services.leaving).
    actor = replied_to.actor
    actor.username = f"{FORMER_USERNAME}0123456789ab"
    actor.display_name = FORMER_MEMBER
    actor.is_active = False
    actor.save()
    page = member_client.get(reverse("forum:notifications")).content.decode()
    assert "A former member replied to your topic" in page
    assert FORMER_USERNAME not in page
