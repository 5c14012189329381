"""Leaving, the account's side: export requests and their link, deletion and its grace period."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts import dispatch, leaving
from accounts.models import AccountDeletion, ExportRequest, ExportState
from tests.factories import UserFactory, make_topic

PASSWORD = "a-long-test-password"


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_asking_for_an_export_hands_over_only_the_rows_id(
    member_client, member, monkeypatch, django_capture_on_commit_callbacks
):
    handed = []
    monkeypatch.setattr(dispatch, "publish", lambda name, args: handed.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("accounts:export"))
    export = ExportRequest.objects.get(member=member)
    assert response.status_code == 302
    assert handed == [(leaving.BUILD_EXPORT, [export.pk])]
    page = member_client.get(reverse("accounts:export")).content.decode()
    assert "Preparing your export..." in page
    assert 'data-export-state="queued"' in page
    assert "Check again" in page


@pytest.mark.django_db
def test_a_second_request_while_one_is_on_its_way_waits_for_the_same_export(member, monkeypatch):
    monkeypatch.setattr(dispatch, "publish", lambda name, args: True)
    first = leaving.request_export(member=member)
    assert leaving.request_export(member=member) == first
    assert ExportRequest.objects.filter(member=member).count() == 1


@pytest.mark.django_db
def test_the_ready_export_downloads_as_a_zip_with_the_members_story(
    member_client, member, django_capture_on_commit_callbacks
):
    make_topic(author=member, title="Ninety days", body="Ninety days today, and I told my sister.")
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(reverse("accounts:export"))
    page = member_client.get(reverse("accounts:export")).content.decode()
    assert "Your export is ready" in page
    export = ExportRequest.objects.get(member=member)
    assert export.state == ExportState.READY
    url = f"{reverse('accounts:download_export')}?t={leaving.download_token(export)}"
    assert reverse("accounts:download_export") + "?t=" in page
    response = member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip_of(response)
    assert "Ninety days today, and I told my sister." in archive.read("posts.json").decode()
    assert "Ninety days today, and I told my sister." in archive.read("index.html").decode()


@pytest.mark.django_db
def test_the_link_is_for_its_owner_only(
    client, member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = leaving.request_export(member=member)
    url = f"{reverse('accounts:download_export')}?t={leaving.download_token(export)}"
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_a_forged_or_expired_link_finds_nothing(
    member_client, member, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        export = leaving.request_export(member=member)
    base = reverse("accounts:download_export")
    forged = signing.TimestampSigner(salt="another-salt").sign(str(export.pk))
    assert member_client.get(f"{base}?t={forged}").status_code == 404
    assert member_client.get(base).status_code == 404
    token = leaving.download_token(export)
    settings.EXPORT_LINK_DAYS = 0
    assert member_client.get(f"{base}?t={token}").status_code == 404


@pytest.mark.django_db
def test_deleting_needs_the_password_and_keeps_the_choice(member_client, member):
    response = member_client.post(
        reverse("accounts:delete_account"), {"posts": "erase", "password": "not it"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "That password doesn&#x27;t match. Please try again." in html
    # The choice is kept; only the password has to be typed again.
    assert re.search(r'<input[^>]*value="erase"[^>]*checked', html)
    assert not AccountDeletion.objects.exists()


@pytest.mark.django_db
def test_asking_to_delete_starts_the_grace_period_and_hides_the_profile(
    member_client, member, other_member, client
):
    response = member_client.post(
        reverse("accounts:delete_account"), {"posts": "keep", "password": PASSWORD}
    )
    assert response.status_code == 302
    deletion = AccountDeletion.objects.get(member=member)
    assert not deletion.erase_posts
    assert deletion.delete_after - deletion.requested_at == timedelta(days=7)
    page = member_client.get(reverse("accounts:delete_account")).content.decode()
    assert "Your account is set to be deleted on" in page and "Keep my account?" in page
    # Others are told there is no such member; the member still sees their own profile.
    assert member_client.get(member.get_absolute_url()).status_code == 200
    client.force_login(other_member)
    assert client.get(member.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_logging_in_during_the_grace_period_offers_to_keep_the_account(client, member):
    leaving.request_deletion(member=member, erase_posts=True)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:delete_account")
    page = client.get(response["Location"]).content.decode()
    assert "Keep my account?" in page
    response = client.post(reverse("accounts:keep_account"))
    assert response.status_code == 302
    assert not AccountDeletion.objects.filter(member=member).exists()
    assert client.get(member.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_deletion_request_without_a_choice_says_so(member_client):
    response = member_client.post(reverse("accounts:delete_account"), {"password": PASSWORD})
    assert "Please choose what happens to your posts." in response.content.decode()
    assert not AccountDeletion.objects.exists()


@pytest.mark.django_db
def test_pending_deletion_is_none_once_cancelled_or_for_others():
    member = UserFactory()
    assert leaving.pending_deletion(member=member) is None
    leaving.request_deletion(member=member, erase_posts=False, now=timezone.now())
    assert leaving.pending_deletion(member=member) is not None
    assert leaving.cancel_deletion(member=member) is True
    assert leaving.cancel_deletion(member=member) is False
