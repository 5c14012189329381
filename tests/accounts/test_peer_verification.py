"""Asking to be verified as a Certified Peer Specialist: the settings page, its form and the
request service (accounts.peer_verification*)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import peer_verification
from accounts.models import CredentialStatus, PeerCredential, PeerCredentialLog, PeerDecision
from tests.factories import UserFactory

URL = reverse("accounts:peer_specialist")


def valid(**changes) -> dict[str, str]:
    data = {
        "issuing_body": "Pennsylvania Certification Board",
        "certificate_number": "CPS-004471",
        "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
    }
    data.update(changes)
    return data


@pytest.fixture
def member(db):
    return UserFactory(username="steady_river")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_the_page_offers_a_labelled_form_and_says_who_sees_the_details(member_client):
    html = member_client.get(URL).content.decode()
    for label in ("Issuing state or certification body", "Certificate number", "Expiry date"):
        assert f">{label}</label>" in html
    assert "seen by Lantern's admins and you, nobody else" in html
    assert 'type="date"' in html


@pytest.mark.parametrize(
    "days, words",
    [(0, "The expiry date needs to be after today."), (-3, "needs to be after today")],
)
def test_an_expiry_date_not_in_the_future_is_refused_beside_the_field_keeping_what_was_typed(
    member_client, member, days, words
):
    past = (timezone.localdate() + timedelta(days=days)).isoformat()
    response = member_client.post(URL, valid(expires_on=past))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_expires_on_error"' in html and words in html
    assert 'value="Pennsylvania Certification Board"' in html
    assert 'value="CPS-004471"' in html
    assert f'value="{past}"' in html
    assert "Nothing you typed has been lost." in html
    assert not PeerCredential.objects.filter(member=member).exists()


def test_empty_fields_and_a_date_that_is_not_one_get_kind_messages(member_client, member):
    response = member_client.post(
        URL, valid(issuing_body=" ", certificate_number="", expires_on="soon")
    )
    html = response.content.decode()
    assert "Please enter the state or body that issued your certificate." in html
    assert "Please enter the number on your certificate." in html
    assert "Please enter the date as year-month-day, for example 2027-03-01." in html
    assert 'value="soon"' in html
    assert not PeerCredential.objects.exists()


def test_a_request_waits_for_review_logged_and_the_form_goes_until_it_is_decided(
    member_client, member
):
    response = member_client.post(URL, valid(), follow=True)
    credential = PeerCredential.objects.get(member=member)
    assert credential.status == CredentialStatus.PENDING
    assert credential.issuing_body == "Pennsylvania Certification Board"
    log = PeerCredentialLog.objects.get(credential=credential)
    assert (log.decision, log.actor) == (PeerDecision.REQUEST, member)
    html = response.content.decode()
    assert "Thank you. Your request is with Lantern&#x27;s admins." in html
    assert "We&#x27;re reviewing your request." in html
    assert "Send for review" not in html

    # A second request sent from a page opened earlier writes nothing.
    again = member_client.post(URL, valid(certificate_number="CPS-9"), follow=True)
    assert PeerCredential.objects.filter(member=member).count() == 1
    assert "We&#x27;re reviewing your request." in again.content.decode()


def test_only_one_request_waits_at_a_time(member):
    peer_verification.request_verification(
        member=member,
        issuing_body="Board",
        certificate_number="1",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    with pytest.raises(peer_verification.RequestWaiting):
        peer_verification.request_verification(
            member=member,
            issuing_body="Board",
            certificate_number="2",
            expires_on=timezone.localdate() + timedelta(days=90),
        )


def test_after_a_decline_the_member_reads_the_reason_and_may_ask_again(member_client, member):
    PeerCredential.objects.create(
        member=member,
        issuing_body="Board",
        certificate_number="CPS-1",
        expires_on=timezone.localdate() + timedelta(days=90),
        status=CredentialStatus.DECLINED,
        decline_reason="The number is not on the board's register.",
    )
    html = member_client.get(URL).content.decode()
    assert "Declined: The number is not on the board&#x27;s register." in html
    assert "Ask again or send a renewed certificate" in html
    assert member_client.post(URL, valid()).status_code == 302
    assert (
        PeerCredential.objects.filter(member=member, status=CredentialStatus.PENDING).count() == 1
    )


def test_an_approved_request_reads_approved_until_its_expiry_date(member_client, member):
    PeerCredential.objects.create(
        member=member,
        issuing_body="Board",
        certificate_number="CPS-1",
        expires_on=timezone.datetime(2027, 3, 1).date(),
        status=CredentialStatus.APPROVED,
    )
    assert "Approved until 1 Mar 2027." in member_client.get(URL).content.decode()


def test_members_see_only_their_own_requests(client, member):
    PeerCredential.objects.create(
        member=member,
        issuing_body="Board",
        certificate_number="CPS-ONLY-MINE",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    client.force_login(UserFactory())
    html = client.get(URL).content.decode()
    assert "CPS-ONLY-MINE" not in html
    assert "Ask to be verified" in html


def test_the_account_menu_links_to_the_page(member_client):
    html = member_client.get(reverse("accounts:edit_profile")).content.decode()
    assert f'href="{URL}"' in html and "Peer specialist verification" in html
