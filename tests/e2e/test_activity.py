"""My activity and drafts, in headless Chromium: a new member finds their waiting topic from
"My activity", marked as waiting, while another member sees no trace of it; the words of an
unsent reply survive a reload, are gone once posted, and logging out clears every draft.

The profile is checked at a desktop and a phone width (tests/e2e/pages.py): nothing scrolls
sideways and, with AXE_CORE_JS set, axe finds nothing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum.models import Post
from forum.situation import WORDS, Situation
from forum.status import Status
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory, make_topic

DRAFT_KEYS = """() => Object.keys(localStorage).filter((key) => key.startsWith("lantern:draft:"))"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_my_activity_shows_my_waiting_topic_and_nobody_else_sees_it(live_server, browser):
    base = live_server.url
    UserFactory(username="new_leaf", email="leaf@example.test", approved_post_count=0)
    UserFactory(username="steady_oak", email="oak@example.test")
    category = CategoryFactory(name="Small wins")
    # bypass_csp: only so axe can be injected; the pages' own scripts run as usual.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, "leaf@example.test")

    page.goto(f"{base}{category.get_absolute_url()}")
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("A first week without")
    page.get_by_label("Your story").fill("It was hard, and I am still here.")
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", name="A first week without", level=1)).to_be_visible()
    assert Post.objects.get(author__username="new_leaf").status == Status.PENDING

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My activity").click()
    activity = page.get_by_role("region", name="Your activity")
    expect(activity.get_by_role("link", name="Topics")).to_have_attribute("aria-current", "page")
    expect(activity.get_by_role("link", name="A first week without")).to_be_visible()
    expect(activity).to_contain_text(WORDS[Situation.WAITING_FIRST_POSTS].author)
    expect(activity.get_by_text("Small wins")).to_be_visible()
    check_layout(page, "my activity with a waiting topic")

    activity.get_by_role("link", name="A first week without").click()
    expect(page.locator("#post-1")).to_contain_text("It was hard, and I am still here.")

    other = browser.new_context(bypass_csp=True).new_page()
    log_in(other, base, "oak@example.test")
    other.goto(f"{base}/u/new_leaf/")
    their = other.get_by_role("region", name="Activity")
    expect(their).to_contain_text("new_leaf hasn't shared a story yet.")
    expect(other.get_by_text("A first week without")).to_have_count(0)
    expect(other.get_by_text("Waiting for a moderator")).to_have_count(0)
    their.get_by_role("link", name="Replies").click()
    expect(their).to_contain_text("new_leaf hasn't shared a story yet.")
    check_layout(other, "another member's empty profile")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_survives_a_reload_and_is_gone_after_posting(live_server, browser):
    base = live_server.url
    UserFactory(username="harbor_light", email="harbor@example.test")
    topic = make_topic(title="Check-in thread", body="How is everyone today?")
    page = browser.new_context().new_page()
    log_in(page, base, "harbor@example.test")
    words = "Slept six hours. Walked to the river and back."

    page.goto(f"{base}{topic.get_absolute_url()}")
    reply_box = page.get_by_role("region", name="Reply")
    expect(reply_box).to_contain_text("a draft is kept only on this device")
    reply_box.get_by_label("Your reply").fill(words)
    expect(reply_box.get_by_role("status")).to_have_text("Draft kept on this device")

    # A reload (or a lost connection) brings the words back into the empty box.
    page.reload()
    reply_box = page.get_by_role("region", name="Reply")
    expect(reply_box.get_by_label("Your reply")).to_have_value(words)
    expect(reply_box.get_by_role("status")).to_have_text("Draft restored")
    expect(reply_box.get_by_role("button", name="Discard draft")).to_be_visible()

    # The reply page posts to the same place, so it finds the same draft.
    page.goto(f"{base}/t/{topic.pk}/reply/")
    expect(page.get_by_label("Your reply")).to_have_value(words)
    # A refusal sends the form back with every word (the server never loses a form), and the
    # draft stays: nothing was posted.
    too_long = "a" * 20_001
    page.get_by_label("Your reply").fill(too_long)
    expect(page.get_by_role("status")).to_have_text("Draft kept on this device")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".field-invalid")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_value(too_long)
    assert page.evaluate(DRAFT_KEYS) == [f"lantern:draft:/t/{topic.pk}/reply/"]
    page.get_by_label("Your reply").fill(words)
    expect(page.get_by_role("status")).to_have_text("Draft kept on this device")

    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#post-2")).to_contain_text("Walked to the river and back.")
    assert page.evaluate(DRAFT_KEYS) == []
    reply_box = page.get_by_role("region", name="Reply")
    expect(reply_box.get_by_label("Your reply")).to_have_value("")
    page.reload()
    expect(page.get_by_role("region", name="Reply").get_by_label("Your reply")).to_have_value("")
    assert Post.objects.filter(topic=topic, author__username="harbor_light").count() == 1


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_discarding_and_logging_out_clear_drafts(live_server, browser):
    base = live_server.url
    UserFactory(username="harbor_light", email="harbor@example.test")
    topic = make_topic(title="Check-in thread", body="How is everyone today?")
    page = browser.new_context().new_page()
    log_in(page, base, "harbor@example.test")

    page.goto(f"{base}/t/{topic.pk}/reply/")
    page.get_by_label("Your reply").fill("Not ready to say this yet.")
    expect(page.get_by_role("status")).to_have_text("Draft kept on this device")
    page.get_by_role("button", name="Discard draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft discarded")
    expect(page.get_by_label("Your reply")).to_have_value("")
    assert page.evaluate(DRAFT_KEYS) == []

    page.get_by_label("Your reply").fill("Something for later.")
    expect(page.get_by_role("status")).to_have_text("Draft kept on this device")
    assert len(page.evaluate(DRAFT_KEYS)) == 1
    # Words typed a moment before logging out are not saved as the page goes.
    page.get_by_label("Your reply").press_sequentially(" And more.")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert page.evaluate(DRAFT_KEYS) == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_draft_comes_back_only_while_the_post_is_unchanged(live_server, browser):
    base = live_server.url
    member = UserFactory(username="harbor_light", email="harbor@example.test")
    topic = make_topic(author=member, title="Ninety days", body="Ninety days today.")
    post = topic.posts.get()
    page = browser.new_context().new_page()
    log_in(page, base, "harbor@example.test")
    edit_url = f"{base}/p/{post.pk}/edit/"

    page.goto(edit_url)
    page.get_by_label("Your post").fill("Ninety-one days today, and a walk.")
    expect(page.get_by_role("status")).to_have_text("Draft kept on this device")
    page.reload()
    expect(page.get_by_label("Your post")).to_have_value("Ninety-one days today, and a walk.")
    expect(page.get_by_role("status")).to_have_text("Draft restored")

    # The post changed since (edited elsewhere): its words win over the draft.
    Post.objects.filter(pk=post.pk).update(body="Ninety days today. Edited on my phone.")
    page.reload()
    expect(page.get_by_label("Your post")).to_have_value("Ninety days today. Edited on my phone.")
    expect(page.get_by_role("status")).to_have_text("")
