"""Notifications without noise, in headless Chromium: five replies make one notification that
says five and opens at the first of them, and a topic is muted (and unmuted) from its page and
from the notification, without JavaScript.

Checked at a desktop width and a phone width (tests/e2e/pages.py): nothing scrolls sideways,
and with AXE_CORE_JS set, axe finds nothing.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from forum.models import Notification, TopicSubscription
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory, make_reply, make_topic


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_replies_make_one_notification_that_says_five(live_server, browser, settings):
    settings.POSTS_PER_PAGE = 4
    base = live_server.url
    author = UserFactory(username="morning_tide", email="tide@example.test")
    topic = make_topic(author=author, title="Daily check-in", body="How is today going?")
    for n in range(5):
        make_reply(topic=topic, body=f"Checking in, day {n + 1}.")
    # bypass_csp: only so axe can be injected.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, "tide@example.test")

    page.get_by_role("link", name=re.compile("Notifications")).first.click()
    lines = page.locator(".notification-list > li")
    expect(lines).to_have_count(1)
    opener = lines.get_by_role("button", name=re.compile("5 new replies in your topic"))
    expect(opener).to_contain_text("“Daily check-in”")
    expect(opener).to_contain_text("opens the first unread post")
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(1)
    check_layout(page, "the notifications page with a group of five replies")

    # Opening it goes to the first of the five: position 2, on page one of two.
    opener.click()
    expect(page).to_have_url(re.compile(r"\?page=1#post-2$"))
    expect(page.locator("#post-2")).to_contain_text("Checking in, day 1.")
    page.goto(f"{base}/notifications/")
    expect(page.get_by_role("button", name="Mark as read")).to_have_count(0)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mute_from_the_topic_page_and_from_the_notification(live_server, browser):
    base = live_server.url
    member = UserFactory(username="quiet_harbor", email="harbor@example.test")
    topic = make_topic(title="Evening gratitude", body="One thing that went well today?")
    TopicSubscription.objects.create(user=member, topic=topic)
    # Every core flow works without JavaScript: these are plain forms.
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, base, "harbor@example.test")

    page.goto(f"{base}{topic.get_absolute_url()}")
    page.get_by_role("button", name="Mute this topic").click()
    expect(
        page.get_by_text("You won't hear about this topic until you unmute it.").first
    ).to_be_visible()
    expect(page.get_by_role("button", name="Muted · Unmute")).to_be_visible()
    check_layout(page, "a muted topic", axe=False)
    make_reply(topic=topic, body=f"@{member.username} the sunset, thank you for asking.")
    assert not Notification.objects.filter(recipient=member).exists()

    page.get_by_role("button", name="Muted · Unmute").click()
    expect(page.get_by_role("button", name="Mute this topic")).to_be_visible()
    make_reply(topic=topic, body="A long walk.")
    make_reply(topic=topic, body="Tea with a friend.")

    # From the notification itself: the page stays, the line is read and offers to unmute.
    page.goto(f"{base}/notifications/")
    line = page.locator(".notification-list > li")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("2 new replies in “Evening gratitude”, which you follow")
    line.get_by_role("button", name=re.compile("^Mute this topic")).click()
    expect(page).to_have_url(f"{base}/notifications/")
    expect(
        page.get_by_text("You won't hear about this topic until you unmute it.").first
    ).to_be_visible()
    expect(line.get_by_role("button", name="Mark as read")).to_have_count(0)
    unmute = line.get_by_role("button", name=re.compile("^Unmute this topic"))
    expect(unmute).to_be_visible()
    check_layout(page, "the notifications page with a muted topic", axe=False)
    unmute.click()
    expect(line.get_by_role("button", name=re.compile("^Mute this topic"))).to_be_visible()

    # axe, with scripts on, over the same pages.
    checked = browser.new_context(
        bypass_csp=True, storage_state=page.context.storage_state()
    ).new_page()
    checked.goto(f"{base}/notifications/")
    check_layout(checked, "the notifications page")
    checked.goto(f"{base}{topic.get_absolute_url()}")
    check_layout(checked, "a topic page with the mute button")
