"""An admin's review of a peer specialist request and the daily expiry run
(community.services.peer_specialists, its Django admin page and its Celery task): every step
logged, the member told once in the site and by email, certificate details with admins only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    CredentialStatus,
    PeerCredential,
    PeerCredentialLog,
    PeerDecision,
    Role,
    User,
)
from community import services, tasks
from forum.models import NotificationKind
from forum.notifications.models import Notification
from tests.factories import UserFactory, make_topic

BODY = "Pennsylvania Certification Board"
NUMBER = "CPS-SECRET-4471"


def change_url(credential: PeerCredential) -> str:
    return reverse("admin:accounts_peercredential_change", args=[credential.pk])


def request_of(member: User, *, expires_on: date | None = None, **fields) -> PeerCredential:
    return PeerCredential.objects.create(
        member=member,
        issuing_body=BODY,
        certificate_number=NUMBER,
        expires_on=expires_on or timezone.localdate() + timedelta(days=365),
        **fields,
    )


def messages_to(member: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind=NotificationKind.MODERATION))


@pytest.fixture
def admin_user(db):
    # An admin by role (staff follows the role), not a superuser: the pages are theirs.
    return UserFactory(username="lantern_admin", role=Role.ADMIN, is_staff=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def member(db):
    return UserFactory(username="steady_river", email="river@example.test")


def test_an_admin_approves_from_the_admin_and_the_member_has_the_badge_and_is_told(
    admin_client, admin_user, member, django_capture_on_commit_callbacks
):
    credential = request_of(member)
    page = admin_client.get(change_url(credential)).content.decode()
    assert NUMBER in page and BODY in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(credential), {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    credential.refresh_from_db()
    member.refresh_from_db()
    assert credential.status == CredentialStatus.APPROVED
    assert credential.decided_by == admin_user
    assert (member.certified_by, member.role) == (BODY, Role.PEER_SPECIALIST)
    log = PeerCredentialLog.objects.get(credential=credential, decision=PeerDecision.APPROVE)
    assert log.actor == admin_user
    [told] = messages_to(member)
    assert "verified as a Certified Peer Specialist until" in told.message
    assert told.url == reverse("accounts:peer_specialist")
    assert NUMBER not in told.message
    [email] = [m for m in mail.outbox if member.email in m.to]
    assert email.subject == "You have new activity on Lantern"
    for secret in (NUMBER, BODY, member.username, "Peer Specialist"):
        assert secret not in email.subject
        assert secret not in email.body


def test_declining_requires_a_reason_and_the_member_reads_it(
    admin_client, admin_user, member, django_capture_on_commit_callbacks
):
    credential = request_of(member)
    undecided = admin_client.post(change_url(credential), {"decision": "", "reason": ""})
    assert "Please choose whether to approve or decline." in undecided.content.decode()
    refused = admin_client.post(change_url(credential), {"decision": "decline", "reason": "  "})
    assert refused.status_code == 200
    assert "Please write the reason for declining: the member reads it." in refused.content.decode()
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.PENDING
    assert not PeerCredentialLog.objects.filter(decision=PeerDecision.DECLINE).exists()

    reason = "The number is not on the board's register; please check it."
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(change_url(credential), {"decision": "decline", "reason": reason})
    credential.refresh_from_db()
    member.refresh_from_db()
    assert (credential.status, credential.decline_reason) == (CredentialStatus.DECLINED, reason)
    assert (member.certified_by, member.role) == ("", Role.MEMBER)
    log = PeerCredentialLog.objects.get(credential=credential, decision=PeerDecision.DECLINE)
    assert (log.actor, log.reason) == (admin_user, reason)
    [told] = messages_to(member)
    assert reason in told.message and "send a new request" in told.message
    assert len([m for m in mail.outbox if member.email in m.to]) == 1


def test_a_decided_request_is_read_only_and_cannot_be_decided_twice(admin_user, member):
    credential = request_of(member)
    services.decline_peer_credential(credential=credential, admin=admin_user, reason="No match.")
    with pytest.raises(services.ModerationError):
        services.approve_peer_credential(credential=credential, admin=admin_user)
    member.refresh_from_db()
    assert member.certified_by == ""


def test_only_admins_decide(member):
    moderator = UserFactory(role=Role.MODERATOR)
    credential = request_of(member)
    with pytest.raises(services.ModerationError):
        services.approve_peer_credential(credential=credential, admin=moderator)
    assert PeerCredential.objects.get(pk=credential.pk).status == CredentialStatus.PENDING


def test_moderators_are_not_shown_the_admin_pages(client, member):
    credential = request_of(member)
    client.force_login(UserFactory(role=Role.MODERATOR))
    response = client.get(change_url(credential))
    assert response.status_code == 302 and NUMBER not in response.content.decode()


def test_a_renewal_replaces_the_certificate_in_force(admin_user, member):
    first = request_of(member, expires_on=timezone.localdate() + timedelta(days=20))
    services.approve_peer_credential(credential=first, admin=admin_user)
    renewed = PeerCredential.objects.create(
        member=member,
        issuing_body="Texas Certification Board",
        certificate_number="TX-2",
        expires_on=timezone.localdate() + timedelta(days=700),
    )
    services.approve_peer_credential(credential=renewed, admin=admin_user)
    first.refresh_from_db()
    member.refresh_from_db()
    assert first.status == CredentialStatus.REPLACED
    assert member.certified_by == "Texas Certification Board"


def test_others_see_the_badge_and_issuing_body_never_the_number_or_expiry(
    client, admin_user, member
):
    expires_on = date(2031, 3, 1)
    credential = request_of(member, expires_on=expires_on)
    services.approve_peer_credential(credential=credential, admin=admin_user)
    topic = make_topic(author=member)
    for viewer in (UserFactory(), UserFactory(role=Role.MODERATOR)):
        client.force_login(viewer)
        for url in (topic.get_absolute_url(), member.get_absolute_url()):
            html = client.get(url).content.decode()
            assert f"Certified Peer Specialist · {BODY}" in html, url
            assert NUMBER not in html
            assert "2031" not in html


def day_ahead(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def approved(member: User, expires_on: date) -> PeerCredential:
    credential = request_of(member, expires_on=expires_on, status=CredentialStatus.APPROVED)
    User.objects.filter(pk=member.pk).update(certified_by=BODY, role=Role.PEER_SPECIALIST)
    return credential


def test_the_daily_run_reminds_once_30_days_before_expiry_and_not_earlier(
    db, django_capture_on_commit_callbacks
):
    soon = UserFactory(email="soon@example.test")
    later = UserFactory(email="later@example.test")
    due = approved(soon, day_ahead(settings.PEER_RENEWAL_NOTICE_DAYS))
    approved(later, day_ahead(settings.PEER_RENEWAL_NOTICE_DAYS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.remind_and_expire_peer_credentials.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.remind_and_expire_peer_credentials.delay().get()
    assert (first, second) == ({"reminded": 1, "expired": 0}, {"reminded": 0, "expired": 0})
    [told] = messages_to(soon)
    assert told.message.startswith("It's time to renew")
    assert messages_to(later) == []
    assert (
        PeerCredentialLog.objects.filter(credential=due, decision=PeerDecision.REMIND).count() == 1
    )
    assert len([m for m in mail.outbox if "soon@example.test" in m.to]) == 1
    soon.refresh_from_db()
    assert soon.certified_by == BODY  # still shown until its expiry date


def test_the_daily_run_removes_an_expired_badge_once_and_says_how_to_renew(
    db, django_capture_on_commit_callbacks
):
    member = UserFactory(email="ended@example.test")
    today_ends = UserFactory()
    credential = approved(member, day_ahead(-1))
    approved(today_ends, day_ahead(0))
    with django_capture_on_commit_callbacks(execute=True):
        reminded, expired = services.remind_and_expire_peer_credentials()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_and_expire_peer_credentials() == (0, 0)
    # The one expiring today is still valid today: reminded, not removed.
    assert (reminded, expired) == (1, 1)
    credential.refresh_from_db()
    member.refresh_from_db()
    assert credential.status == CredentialStatus.EXPIRED
    assert (member.certified_by, member.role) == ("", Role.MEMBER)
    assert (
        PeerCredentialLog.objects.filter(
            credential=credential, decision=PeerDecision.EXPIRE
        ).count()
        == 1
    )
    [told] = messages_to(member)
    assert "badge was removed" in told.message and "To renew" in told.message
    assert len([m for m in mail.outbox if "ended@example.test" in m.to]) == 1
    today_ends.refresh_from_db()
    assert today_ends.certified_by == BODY


def test_expiry_leaves_a_moderators_role_alone(db):
    moderator = UserFactory(role=Role.MODERATOR)
    credential = request_of(moderator, expires_on=day_ahead(-1), status=CredentialStatus.APPROVED)
    User.objects.filter(pk=moderator.pk).update(certified_by=BODY)
    services.remind_and_expire_peer_credentials()
    moderator.refresh_from_db()
    credential.refresh_from_db()
    assert (moderator.role, moderator.certified_by) == (Role.MODERATOR, "")


def test_the_log_is_append_only(admin_user, member):
    credential = request_of(member)
    services.decline_peer_credential(credential=credential, admin=admin_user, reason="No.")
    with pytest.raises(DatabaseError), transaction.atomic():
        PeerCredentialLog.objects.filter(credential=credential).update(reason="rewritten")


def test_the_job_is_on_the_beat_schedule_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["community-peer-credentials"]
    assert entry["task"] == "community.remind_and_expire_peer_credentials"
    assert entry["task"] in tasks.remind_and_expire_peer_credentials.app.tasks


def test_a_cached_topic_page_drops_the_badge_once_it_expires(
    client, admin_user, member, django_capture_on_commit_callbacks
):
    credential = request_of(member)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_peer_credential(credential=credential, admin=admin_user)
    topic = make_topic(author=member)
    client.force_login(UserFactory())
    assert BODY in client.get(topic.get_absolute_url()).content.decode()  # now cached
    PeerCredential.objects.filter(pk=credential.pk).update(expires_on=day_ahead(-1))
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_and_expire_peer_credentials()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Certified Peer Specialist" not in html and BODY not in html
