"""Milestones without shame, in headless Chromium: a member keeps a private counter, shares
"30 days" as a card in a post, another member encourages it from Small wins (the author hears
of it), and the counter is started again with no trace anywhere others can look.

Checked at a desktop and a phone width with axe (tests/e2e/pages.py: check_layout).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum.models import Milestone, Notification, NotificationKind
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory

LABEL = "Days away from the betting shop"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_share_encourage_and_start_again_with_no_public_trace(live_server, browser):
    base = live_server.url
    author = UserFactory(username="bright_lake", email="lake@example.test")
    UserFactory(username="kind_pine", email="pine@example.test")
    started = timezone.localdate() - timedelta(days=30)

    # bypass_csp: only so axe can be injected; the pages' own scripts run as usual.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, "lake@example.test")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="My milestones"
    ).click()
    expect(page.get_by_role("heading", name="My milestones")).to_be_visible()
    page.get_by_label("What you are counting").fill(LABEL)
    page.get_by_label("Counting from").fill(started.isoformat())
    page.get_by_role("button", name="Start counting").click()
    expect(page.get_by_text("Your counter is started. Only you can see it.")).to_be_visible()
    counter = page.locator(".milestone-counter", has_text=LABEL)
    expect(counter.get_by_text("30 days")).to_be_visible()
    check_layout(page, "my milestones")

    # Sharing: the card says "30 days" and nothing else about the counter.
    counter.get_by_role("link", name="Share this milestone").click()
    expect(page.get_by_label("Your milestone")).to_have_value("30 days")
    page.get_by_label("Your milestone").fill("30 days without a bet")
    page.get_by_label("A few words for the community").fill("One day at a time. Thank you all.")
    check_layout(page, "share a milestone")
    page.get_by_role("button", name="Share my milestone").click()
    card = page.locator(".milestone-card")
    expect(card).to_contain_text("30 days without a bet")
    expect(card).to_contain_text("30 days")
    topic_url = page.url.split("#")[0]
    assert Milestone.objects.get().days == 30

    # Another member finds it in Small wins and sends encouragement.
    reader = browser.new_context(bypass_csp=True).new_page()
    log_in(reader, base, "pine@example.test")
    reader.get_by_role("link", name="Small wins", exact=True).click()
    win = reader.locator("article", has_text="30 days without a bet")
    expect(win.get_by_text("bright_lake")).to_be_visible()
    check_layout(reader, "small wins")
    win.get_by_role("button", name="Proud of you").click()
    expect(
        reader.locator("article", has_text="One day at a time.").get_by_role(
            "button", name="Proud of you 1"
        )
    ).to_have_attribute("aria-pressed", "true")

    # The author hears of it, like any other encouragement.
    page.goto(f"{base}/notifications/")
    expect(page.get_by_text("kind_pine encouraged your story")).to_be_visible()
    assert Notification.objects.filter(
        recipient=author, kind=NotificationKind.ENCOURAGEMENT
    ).exists()

    reader.goto(f"{base}/small-wins/")
    stream_before = reader.locator("main").inner_text()
    reader.goto(topic_url)
    topic_before = reader.locator("main").inner_text()
    notifications_before = Notification.objects.count()

    # Starting again: one button, a kind word, and the counter is back to today.
    page.goto(f"{base}/my/milestones/")
    page.locator(".milestone-counter", has_text=LABEL).get_by_role(
        "button", name="Start again from today"
    ).click()
    expect(page.get_by_text("Starting again is part of many recovery stories.")).to_be_visible()
    expect(page.locator(".milestone-counter", has_text=LABEL).get_by_text("0 days")).to_be_visible()
    check_layout(page, "my milestones after starting again")

    # Nothing others can see has changed: the stream, the post and its card, notifications.
    reader.goto(f"{base}/small-wins/")
    assert reader.locator("main").inner_text() == stream_before
    reader.goto(topic_url)
    assert reader.locator("main").inner_text() == topic_before
    expect(reader.locator(".milestone-card")).to_contain_text("30 days")
    expect(reader.get_by_text(LABEL)).to_have_count(0)
    assert Notification.objects.count() == notifications_before
    reader.goto(f"{base}/my/milestones/")
    expect(reader.get_by_text(LABEL)).to_have_count(0)
