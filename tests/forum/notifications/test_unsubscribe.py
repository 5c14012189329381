"""One-click unsubscribe: the signed link in every email, with and without the mail client."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forum.models import Delivery, NotificationPreference
from forum.notifications import unsubscribe

pytestmark = pytest.mark.django_db


def _unsubscribe_url(user, kind="topic_reply"):
    token = unsubscribe.unsubscribe_token(user=user, kind=kind)
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
    Client().post(_unsubscribe_url(member, unsubscribe.DIGEST_TOKEN_KIND))
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


def test_urgent_alerts_cannot_be_turned_off_by_a_link(member):
    url = _unsubscribe_url(member, "urgent_alert")
    assert Client().get(url).status_code == 400
    assert (
        Client()
        .post(
            url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        .status_code
        == 400
    )
    assert not NotificationPreference.objects.exists()
