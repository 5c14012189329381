"""A newcomer's whole journey in headless Chromium, as a person would do it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.pages import PASSWORD, log_in
from tests.factories import UserFactory


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sign_up_share_a_story_and_receive_a_reply_and_encouragement(live_server, browser):
    base = live_server.url
    newcomer = browser.new_context().new_page()

    # Sign up under a pseudonym.
    newcomer.goto(base)
    newcomer.get_by_role("link", name="Join Lantern").click()
    newcomer.get_by_label("Email").fill("newcomer@example.test")
    newcomer.get_by_label("Username").fill("morning_light")
    newcomer.get_by_label(re.compile(r"^Password:?$")).fill("walking-forward-2026")
    newcomer.get_by_label("Password (again)").fill("walking-forward-2026")
    newcomer.get_by_label("I have read the community guidelines").check()
    newcomer.get_by_role("button", name="Join Lantern").click()
    expect(newcomer.get_by_role("heading", name="Check your email")).to_be_visible()

    # Open the confirmation link from the email that was sent.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    newcomer.goto(link)
    newcomer.get_by_role("button", name="Confirm").click()

    # Confirming in the same browser signs the newcomer in; the guidelines are at the top.
    expect(newcomer.get_by_role("button", name="Log out")).to_be_visible()
    banner = newcomer.get_by_role("complementary", name="Our guidelines")
    expect(banner).to_be_visible()
    banner.get_by_text("Our guidelines").click()
    expect(banner.get_by_text("Build trust: what is shared here stays here.")).to_be_visible()

    # Start a story.
    newcomer.get_by_role("link", name="Recovery stories").click()
    newcomer.get_by_role("link", name="Start a topic").click()
    newcomer.get_by_label("Title").fill("Ninety days today")
    newcomer.get_by_label("Your story").fill(
        "I never thought I'd get here.\n\n**One day at a time.**"
    )
    newcomer.get_by_role("button", name="Post topic").click()
    expect(newcomer.get_by_role("heading", name="Ninety days today")).to_be_visible()
    # A newcomer's first posts wait for a moderator; the author is told so.
    expect(newcomer.get_by_text("Waiting for a moderator")).to_be_visible()
    topic_url = newcomer.url

    # A moderator approves it from the review queue.
    UserFactory(username="steady_oak", email="oak@example.test", role="moderator")
    moderator = browser.new_context().new_page()
    log_in(moderator, base, "oak@example.test", PASSWORD)
    moderator.get_by_role("link", name="Moderation").click()
    moderator.get_by_role("link", name="Ninety days today").click()
    moderator.get_by_label("Approve", exact=True).check()
    moderator.get_by_label("Reason", exact=True).select_option(label="Within the guidelines")
    moderator.get_by_label("Explanation for the member").fill("Welcome, and thank you for sharing.")
    moderator.get_by_role("button", name="Apply and open the next item").click()
    expect(moderator.get_by_text("It is logged.")).to_be_visible()

    # A second member replies and sends encouragement.
    UserFactory(username="harbor_light", email="harbor@example.test")
    helper = browser.new_context().new_page()
    log_in(helper, base, "harbor@example.test", PASSWORD)
    # Lists print absolute times (cached rows never go stale); the script shows them as
    # relative times, the local time after them for screen readers.
    when = helper.locator(".topic-row", has_text="Ninety days today").locator("time")
    expect(when.locator("span").first).to_have_text(re.compile(r"^(just now|\d+ minutes? ago)$"))
    expect(when).to_have_attribute("title", re.compile(r"\d"))
    helper.get_by_role("link", name="Ninety days today").click()
    helper.get_by_label("Your reply").fill("Ninety days is huge. Proud of you, truly.")
    helper.get_by_role("button", name="Post reply").click()
    expect(helper.get_by_text("Ninety days is huge.")).to_be_visible()
    opening = helper.locator("article", has_text="I never thought I'd get here.")
    opening.get_by_role("button", name="Sending strength").click()
    expect(
        helper.locator("article", has_text="I never thought I'd get here.").get_by_role(
            "button", name="Sending strength 1"
        )
    ).to_have_attribute("aria-pressed", "true")

    # The first member sees both.
    newcomer.goto(topic_url)
    expect(newcomer.get_by_text("Ninety days is huge. Proud of you, truly.")).to_be_visible()
    expect(newcomer.get_by_text("Sending strength 1")).to_be_visible()
    expect(newcomer.get_by_role("strong")).to_have_text("One day at a time.")
