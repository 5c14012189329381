"""A new member writes crisis language: the page tells the truth and help is a tap away.

Checked at a desktop width and a phone width: the words, tap targets of at least 44 px,
nothing scrolling sideways, the no-JS dismiss button, and (with AXE_CORE_JS pointing at
axe.min.js from the axe-core npm package) no axe violations on the pages this flow shows.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community import services
from community.models import ModerationAction, ModerationLog, ModerationReason, ReviewItem
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory

WAITING = (
    "Your post is waiting for a moderator, who usually reads it within minutes. Only you and "
    "the moderators can see it for now. If you need to talk to someone now"
)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crisis_post_tells_the_truth_and_help_is_a_tap_away(live_server, browser):
    base = live_server.url
    UserFactory(username="new_dawn", email="dawn@example.test", approved_post_count=0)
    # bypass_csp: only so axe can be injected; the pages run no script of their own here.
    context = browser.new_context(locale="en-GB", bypass_csp=True)
    page = context.new_page()
    log_in(page, base, "dawn@example.test")

    page.get_by_role("link", name="Recovery stories").click()
    page.get_by_role("link", name="Start a topic").click()
    page.get_by_label("Title").fill("Tonight is hard")
    page.get_by_label("Your story").fill("Tonight I just want to end my life.")
    page.get_by_role("button", name="Post topic").click()

    panel = page.get_by_role("region", name="Thank you for telling us how you are")
    expect(panel).to_contain_text(WAITING)
    expect(panel).not_to_contain_text("members will read")
    # The browser says en-GB: the UK's services come first, the directory is always there.
    expect(panel.locator("a.tap").first).to_have_attribute("href", "tel:116123")
    expect(panel.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?&body=SHOUT"
    )
    expect(panel.get_by_role("heading", name="Find a Helpline")).to_be_visible()
    expect(page.locator("#post-1 .notice")).to_contain_text("Waiting for a moderator")
    topic_url = page.url
    check_layout(page, "the topic with the crisis panel", tap_targets="a.tap")

    # Still there on the next visit; a plain form button hides it.
    page.goto(topic_url)
    expect(panel).to_be_visible()
    panel.get_by_role("button", name="Hide this for now").click()
    expect(page.get_by_role("heading", name="Tonight is hard")).to_be_visible()
    expect(panel).to_have_count(0)

    page.goto(f"{base}/help-now/")
    expect(page.get_by_role("link", name="Call 116 123").first).to_be_visible()
    check_layout(page, "/help-now/", tap_targets="a.tap")

    # The moderator reads the truth on the item page, at the top of the queue.
    UserFactory(username="steady_oak", email="oak@example.test", role="moderator")
    moderator_page = browser.new_context(bypass_csp=True).new_page()
    log_in(moderator_page, base, "oak@example.test")
    item = ReviewItem.objects.get()
    moderator_page.goto(f"{base}{item.get_absolute_url()}")
    expect(moderator_page.get_by_text("at the top of the queue")).to_be_visible()
    check_layout(moderator_page, "the review item", tap_targets="a.tap")

    # Approved: the decision page is warm, names the post, and cites no guideline.
    services.act_on_item(
        moderator=item.claimed_by or UserFactory(role="moderator"),
        item=item,
        action=ModerationAction.APPROVE,
        reason=ModerationReason.SAFETY,
        explanation="Thank you for trusting us with this. We're glad you're here.",
    )
    log = ModerationLog.objects.get(action=ModerationAction.APPROVE)
    page.goto(f"{base}/my/decisions/{log.pk}/")
    expect(page.get_by_role("heading", name="Your post is published")).to_be_visible()
    expect(page.get_by_role("link", name="Tonight is hard")).to_be_visible()
    expect(page.get_by_text("Guideline concerned")).to_have_count(0)
    check_layout(page, "the decision page", tap_targets="a.tap")

    page.goto(f"{base}/settings/profile/")
    expect(page.get_by_label("Where you are (optional)")).to_be_visible()
    check_layout(page, "the profile form", tap_targets="a.tap")
