"""The rota pages through the client (community/duty_views.py), and the queue's "on duty now"."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from community.models import DutyOverride, DutyRota
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URLS = ["community:duty", "community:duty_on", "community:duty_off"]


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PEER_SPECIALIST])
@pytest.mark.parametrize("name", URLS)
def test_the_rota_answers_others_like_a_missing_page(role, name):
    client = Client()
    client.force_login(UserFactory(role=role))
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name), {"hours": 4}).status_code == 404
    assert not DutyRota.objects.exists()


@pytest.mark.parametrize("name", URLS)
def test_the_rota_asks_strangers_to_log_in(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_queue_says_nobody_is_on_duty_then_who_is(moderator, moderator_client):
    queue = reverse("community:queue")
    page = moderator_client.get(queue).content.decode()
    assert "Nobody is on duty right now: at-risk alerts go to every moderator." in page
    assert reverse("community:duty") in page

    response = moderator_client.post(reverse("community:duty_on"), {"hours": "4"})
    assert response.status_code == 302
    follow = moderator_client.get(response["Location"]).content.decode()
    assert "You&#x27;re on duty until" in follow
    page = moderator_client.get(queue).content.decode()
    assert f"On duty now: {moderator.public_name}." in page

    moderator_client.post(reverse("community:duty_off"))
    page = moderator_client.get(queue).content.decode()
    assert "Nobody is on duty right now" in page


def test_saving_weekly_hours(moderator, moderator_client):
    response = moderator_client.post(
        reverse("community:duty"),
        {"days": ["0", "6"], "starts": "22:00", "ends": "06:00", "time_zone": "Asia/Kolkata"},
    )
    assert response.status_code == 302
    saved = DutyRota.objects.get(moderator=moderator)
    assert (saved.days, saved.starts, saved.ends) == ([0, 6], time(22), time(6))
    assert saved.time_zone == "Asia/Kolkata"
    page = moderator_client.get(reverse("community:duty")).content.decode()
    assert "Your hours are saved." in page
    assert 'value="22:00"' in page
    assert '<option value="Asia/Kolkata" selected>' in page


def test_bad_hours_get_a_kind_message_and_keep_what_was_typed(moderator_client):
    response = moderator_client.post(
        reverse("community:duty"),
        {"days": ["2"], "starts": "", "ends": "7pm-ish", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose the time your shift starts." in page
    assert "Please write a time like 17:00 or 02:00." in page
    assert "Please choose your time zone from the list." in page
    assert 'value="7pm-ish"' in page
    assert 'value="2" id="id_days_2" checked' in page
    assert not DutyRota.objects.exists()


def test_a_bad_on_duty_length_changes_nothing(moderator_client):
    response = moderator_client.post(reverse("community:duty_on"), {"hours": "100"})
    assert response.status_code == 400
    assert "Please choose how long you will be on duty." in response.content.decode()
    assert not DutyRota.objects.filter(override=DutyOverride.ON).exists()


def test_the_toggles_need_post(moderator_client):
    assert moderator_client.get(reverse("community:duty_on")).status_code == 405
    assert moderator_client.get(reverse("community:duty_off")).status_code == 405


def test_the_page_offers_only_the_toggle_that_changes_something(moderator_client):
    url = reverse("community:duty")
    page = moderator_client.get(url).content.decode()
    assert ">On duty now</button>" in page and ">Off duty now</button>" not in page
    moderator_client.post(reverse("community:duty_on"), {"hours": "1"})
    page = moderator_client.get(url).content.decode()
    assert ">On duty now</button>" not in page and ">Off duty now</button>" in page
    assert "because you chose “On duty now”" in page
