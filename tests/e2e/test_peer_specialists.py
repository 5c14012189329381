"""Peer specialists' corner in Chromium, with a real Celery worker, Redis and SMTP: a member who
is not verified is not offered the corner and is refused kindly; they ask to be verified, an
admin approves in Django's admin, and they start a topic there with the badge naming the issuing
body; once the certificate's expiry date has passed, the daily beat job, run by a real worker,
removes the badge, tells them how to renew, and the corner is closed to them again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import CredentialStatus, PeerCredential, Role
from forum import dispatch
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory
from tests.harness import celery_worker, private_redis, smtp_sink, wait_until  # noqa: F401

BODY = "Pennsylvania Certification Board"
NUMBER = "CPS-E2E-8812"
BADGE = f"Certified Peer Specialist · {BODY}"
CORNER = "Peer specialists' corner"
CLOSED = "Topics here are started by peer specialists"
TITLE = "A grounding exercise that helps in groups"


@pytest.mark.e2e
@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_a_verified_peer_specialist_starts_topics_in_the_corner_until_the_badge_expires(
    live_server,
    browser,
    celery_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    base = live_server.url
    member = UserFactory(username="steady_river", email="river@example.test")
    admin = UserFactory(username="lantern_admin", email="admin@example.test", role=Role.ADMIN)
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    corner_url = f"{base}/c/{settings.PEER_SPECIALIST_CORNER}/"

    # Not verified: the corner offers no "Start a topic", and going straight there is refused.
    # bypass_csp: only so axe can be injected; these pages need no script of their own.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, member.email)
    page.get_by_role("link", name=CORNER).first.click()
    expect(page.get_by_role("heading", name=CORNER)).to_be_visible()
    expect(page.get_by_role("link", name="Start a topic")).to_have_count(0)
    page.goto(f"{corner_url}new/")
    expect(page.get_by_role("heading", name=CLOSED)).to_be_visible()
    expect(
        page.get_by_text("You are welcome to read every topic here and to reply.")
    ).to_be_visible()
    check_layout(page, "the corner's refusal")

    # They ask to be verified; a date in the past is refused beside the field, keeping the rest.
    page.get_by_role("link", name="ask to be verified").click()
    page.get_by_label("Issuing state or certification body").fill(BODY)
    page.get_by_label("Certificate number").fill(NUMBER)
    page.get_by_label("Expiry date").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("The expiry date needs to be after today.")).to_be_visible()
    expect(page.get_by_label("Certificate number")).to_have_value(NUMBER)
    check_layout(page, "the verification form with an error")
    page.get_by_label("Expiry date").fill((timezone.localdate() + timedelta(days=300)).isoformat())
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("We're reviewing your request.")).to_be_visible()
    check_layout(page, "the verification page while waiting")

    # An admin approves in Django's admin.
    credential = PeerCredential.objects.get(member=member)
    admin_page = browser.new_context().new_page()
    log_in(admin_page, base, admin.email)
    admin_page.goto(f"{base}/admin/accounts/peercredential/{credential.pk}/change/")
    expect(admin_page.get_by_text(NUMBER)).to_be_visible()
    admin_page.get_by_label("Your decision").select_option("approve")
    admin_page.get_by_role("button", name="Save", exact=True).click()
    expect(
        admin_page.get_by_text("Approved: the member is told and has the badge.")
    ).to_be_visible()

    # Verified: they start a topic in the corner, and it carries the badge naming the body.
    page.goto(corner_url)
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your story").fill("Five things you can see, four you can touch.")
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text(BADGE).first).to_be_visible()
    expect(page.get_by_text(NUMBER)).to_have_count(0)

    # The certificate's expiry date passes; the daily beat job runs on the real worker.
    PeerCredential.objects.filter(pk=credential.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    job = settings.CELERY_BEAT_SCHEDULE["community-peer-credentials"]["task"]
    assert dispatch.publish(job, [])
    wait_until(
        lambda: PeerCredential.objects.get(pk=credential.pk).status == CredentialStatus.EXPIRED,
        timeout=30,
        what="the worker to end the expired certificate",
    )
    # A second run (a redelivery, or beat again) changes and sends nothing more.
    assert dispatch.publish(job, [])

    page.goto(corner_url)
    expect(page.get_by_role("heading", name=CORNER)).to_be_visible()
    expect(page.get_by_role("link", name="Start a topic")).to_have_count(0)
    page.goto(f"{corner_url}new/")
    expect(page.get_by_role("heading", name=CLOSED)).to_be_visible()
    page.get_by_role("link", name="Back to the category").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    # Their profile shows no badge now. (Topic pages are cached; the worker's bump of the
    # profile version reaches them through the cache web and workers share in production,
    # which this harness's per-process caches are not: tests/accounts/test_peer_verification_
    # reviews.py checks a cached topic page drops the badge.)
    page.goto(f"{base}{member.get_absolute_url()}")
    expect(page.get_by_text("@steady_river")).to_be_visible()
    expect(page.get_by_text(BADGE)).to_have_count(0)

    # They were told in the site how to renew, and by email with nothing of the certificate.
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("the Certified Peer Specialist badge was removed")).to_be_visible()
    mail = smtp_sink.settle(quiet=3)
    to_member = [m for m in mail if any(a.addr_spec == member.email for a in m["To"].addresses)]
    assert len(to_member) == 2  # approved, then expired: once each
    for message in to_member:
        raw = message.as_string()
        for secret in (NUMBER, BODY, member.username, "Certified"):
            assert secret not in message["Subject"] and secret not in raw
