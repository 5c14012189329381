"""The whole crisis path in Chromium with a real Celery worker, Redis and SMTP: a new member who
wrote a safety plan posts in crisis and is told the truth with help a tap away; the moderator on
duty has the urgent email within 30 s, checks in privately from the review item; the author
reads the message from the in-site notification and replies; the moderator sees the reply."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from community.models import DutyOverride, DutyRota, ReviewItem, SafetyPlan
from tests.e2e.pages import log_in
from tests.e2e.test_crisis_help import WAITING
from tests.factories import UserFactory
from tests.harness import celery_worker, private_redis, smtp_sink  # noqa: F401

CRISIS_TITLE = "Tonight is hard"
CRISIS_TEXT = "Tonight I just want to end my life."
URGENT_SUBJECT = "Lantern: Urgent: a member may need support now"
ALERT_DEADLINE_SECONDS = 30
CHECK_IN = "I read your post tonight and wanted to check in. How are you doing?"
REPLY = "Thank you for asking. Better after a walk, and glad someone noticed."


@pytest.mark.e2e
@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_whole_crisis_path_from_post_to_a_private_check_in(
    live_server,
    browser,
    celery_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
    capsys,
):
    base = live_server.url
    author = UserFactory(username="new_dawn", email="dawn@example.test", approved_post_count=0)
    SafetyPlan.objects.create(
        owner=author,
        coping_on_my_own="Make tea\nWalk round the block",
        people_to_ask="My sister Ines, 555 0143",
        reasons_for_living="My cat, Pepper",
    )
    on_duty = UserFactory(username="steady_oak", email="oak@example.test", role=Role.MODERATOR)
    DutyRota.objects.create(
        moderator=on_duty,
        days=[],
        time_zone="Europe/London",
        override=DutyOverride.ON,
        override_until=timezone.now() + timedelta(hours=4),
    )
    off_duty = UserFactory(username="calm_birch", email="birch@example.test", role=Role.MODERATOR)

    # The new member writes a crisis post.
    writer = browser.new_context(locale="en-GB").new_page()
    log_in(writer, base, author.email)
    writer.get_by_role("link", name="Recovery stories").click()
    writer.get_by_role("link", name="Start a topic").click()
    writer.get_by_label("Title").fill(CRISIS_TITLE)
    writer.get_by_label("Your story").fill(CRISIS_TEXT)
    posted = time.monotonic()
    writer.get_by_role("button", name="Post topic").click()

    # The page tells the truth and help is a tap away, with their own plan's first steps.
    panel = writer.get_by_role("region", name="Thank you for telling us how you are")
    expect(panel).to_contain_text(WAITING)
    expect(panel.locator("a[href^='tel:']").first).to_be_visible()
    expect(panel.locator("a.tap").first).to_have_attribute("href", "tel:116123")
    expect(panel.get_by_role("heading", name="From your safety plan")).to_be_visible()
    expect(panel.get_by_text("Make tea")).to_be_visible()
    expect(panel.get_by_text("My sister Ines, 555 0143")).to_be_visible()
    expect(panel.get_by_text("My cat, Pepper")).to_have_count(0)  # a reason, not a first step

    # The moderator on duty has the urgent email through the worker, Redis and SMTP.
    alerts = smtp_sink.wait_for_recipient(on_duty.email, timeout=ALERT_DEADLINE_SECONDS)
    elapsed = time.monotonic() - posted
    with capsys.disabled():
        print(f"\ncrisis post (submit) -> on-duty moderator's urgent email: {elapsed:.2f} s")
    assert elapsed < ALERT_DEADLINE_SECONDS
    urgent = [m for m in alerts if m["Subject"] == URGENT_SUBJECT]
    assert len(urgent) == 1
    raw = urgent[0].as_string()
    body = urgent[0].get_body(preferencelist=("plain",)).get_content()
    for secret in (CRISIS_TEXT, "end my life", CRISIS_TITLE, author.username):
        assert secret not in urgent[0]["Subject"]
        assert secret not in raw and secret not in body
    item = ReviewItem.objects.get(post__topic__title=CRISIS_TITLE)
    assert item.at_risk and item.alert_count == 1
    smtp_sink.settle()
    assert not [
        m
        for m in smtp_sink.received()
        if m["Subject"] == URGENT_SUBJECT and off_duty.email in m["To"]
    ]

    # The moderator checks in privately from the review item.
    mod = browser.new_context().new_page()
    log_in(mod, base, on_duty.email)
    mod.goto(f"{base}{item.get_absolute_url()}")
    expect(mod.get_by_text("at the top of the queue")).to_be_visible()
    mod.get_by_role("link", name="Check in privately with new_dawn").click()
    expect(mod.get_by_role("heading", name="Check in privately with new_dawn")).to_be_visible()
    mod.get_by_label("Your message").fill(CHECK_IN)
    mod.get_by_label("Include the crisis resources").check()
    mod.get_by_role("button", name="Send privately").click()
    expect(mod.get_by_text("Your message is sent.")).to_be_visible()

    # The author reads it through the in-site notification and replies.
    writer.goto(f"{base}/")
    writer.get_by_role("link", name="Notifications").click()
    expect(writer.get_by_text(CHECK_IN)).to_have_count(0)
    writer.get_by_role("button", name="A private message is waiting for you").click()
    expect(
        writer.get_by_role("heading", name="Your conversation with the Lantern team")
    ).to_be_visible()
    expect(writer.get_by_text(CHECK_IN)).to_be_visible()
    expect(writer.get_by_role("heading", name="Support you can reach right now")).to_be_visible()
    writer.get_by_label("Your reply").fill(REPLY)
    writer.get_by_role("button", name="Send reply").click()
    expect(writer.get_by_text("Your message is with the moderation team.")).to_be_visible()

    # The moderator sees the reply.
    mod.goto(f"{base}/")
    mod.get_by_role("link", name="Moderation").click()
    mod.get_by_role("link", name="Team messages").click()
    expect(mod.get_by_text("Waiting for an answer", exact=True)).to_be_visible()
    mod.get_by_role("link", name="With new_dawn").click()
    expect(mod.get_by_text(REPLY)).to_be_visible()
