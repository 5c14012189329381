"""A member's region: chosen in their profile, or read from the browser's language."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Region
from accounts.regions import region_from_accept_language, region_of
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("header", "region"),
    [
        ("en-GB,en;q=0.9", Region.GB),
        ("en-US,en;q=0.9", Region.US),
        ("fr-CA", Region.CA),
        ("en;q=0.9, en-AU;q=0.8", Region.AU),
        ("de-DE,en-NZ;q=0.5", Region.NZ),
        ("en-in", Region.IN),
        ("en-IE;q=0.2,en-US;q=0.7", Region.US),
        ("zh-Hant-TW", Region.OTHER),
        ("en", Region.OTHER),
        ("", Region.OTHER),
        ("garbage;q=x,,", Region.OTHER),
    ],
)
def test_the_browser_language_names_the_region(header, region):
    assert region_from_accept_language(header) == region


@pytest.mark.django_db
def test_the_profile_choice_wins_over_the_browser():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    request.user = UserFactory(region=Region.GB)
    assert region_of(request) == Region.GB
    request.user = UserFactory()
    assert region_of(request) == Region.US


@pytest.mark.django_db
def test_members_choose_their_region_in_their_profile(client):
    member = UserFactory()
    client.force_login(member)
    page = client.get(reverse("accounts:edit_profile")).content.decode()
    assert 'name="region"' in page and "Only you see this" in page
    response = client.post(
        reverse("accounts:edit_profile"),
        {"display_name": "", "pronouns": "", "bio": "", "region": Region.NZ},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.region == Region.NZ
    # Private: the public profile never shows it.
    assert "New Zealand" not in client.get(member.get_absolute_url()).content.decode()
