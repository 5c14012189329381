"""A private check-in in Chromium: a moderator writes from the review item, the author reads
and replies, and the moderator sees the reply."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from community.models import ReviewItem
from forum.services import create_reply, create_topic
from tests.e2e.pages import log_in
from tests.factories import CategoryFactory, UserFactory

CHECK_IN = "I read your post tonight and wanted to check in. How are you doing?"
REPLY = "Thank you for asking. Better after a walk, and glad someone noticed."


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_checks_in_from_the_item_and_the_author_replies(live_server, browser):
    base = live_server.url
    author = UserFactory(username="tired_fern", email="fern@example.test")
    moderator = UserFactory(username="steady_oak", email="oak@example.test")
    call_command("set_role", moderator.username, "moderator")
    topic = create_topic(
        author=UserFactory(),
        category=CategoryFactory(name="Hard days"),
        title="Rough night",
        body="Anyone else up?",
    )
    post = create_reply(author=author, topic=topic, body="Everything feels heavy tonight.")
    item = ReviewItem.objects.create(post=post)

    # The moderator checks in from the review item, choosing a starting text and changing it.
    mod = browser.new_context().new_page()
    log_in(mod, base, moderator.email)
    mod.goto(f"{base}{item.get_absolute_url()}")
    mod.get_by_role("link", name="Check in privately with tired_fern").click()
    expect(mod.get_by_role("heading", name="Check in privately with tired_fern")).to_be_visible()
    mod.get_by_role("link", name="Things sound hard").click()
    expect(mod.get_by_label("Your message")).to_have_value(
        "It sounds like things are really hard at the moment, and I'm glad you're here. Would "
        "it help to talk about what's going on, or about what has helped you before?"
    )
    mod.get_by_label("Your message").fill(CHECK_IN)
    mod.get_by_label("Include the crisis resources").check()
    mod.get_by_role("button", name="Send privately").click()
    expect(mod.get_by_text("Your message is sent.")).to_be_visible()
    mod.goto(f"{base}{item.get_absolute_url()}")
    expect(mod.get_by_text("about this item")).to_be_visible()

    # The author hears a message waits, reads it with the resources, and replies.
    writer = browser.new_context().new_page()
    log_in(writer, base, author.email)
    writer.get_by_role("link", name="Notifications").click()
    expect(writer.get_by_text(CHECK_IN)).to_have_count(0)
    writer.get_by_role("button", name="A private message is waiting for you").click()
    expect(
        writer.get_by_role("heading", name="Your conversation with the Lantern team")
    ).to_be_visible()
    expect(writer.get_by_text(CHECK_IN)).to_be_visible()
    expect(writer.get_by_text("Moderator", exact=True)).to_be_visible()
    expect(writer.get_by_role("heading", name="Support you can reach right now")).to_be_visible()
    writer.get_by_label("Your reply").fill(REPLY)
    writer.get_by_role("button", name="Send reply").click()
    expect(writer.get_by_text("Your message is with the moderation team.")).to_be_visible()
    expect(writer.get_by_text(REPLY)).to_be_visible()

    # The moderator finds the reply first in the team inbox.
    mod.goto(f"{base}/")
    mod.get_by_role("link", name="Moderation").click()
    mod.get_by_role("link", name="Team messages").click()
    expect(mod.get_by_text("Waiting for an answer", exact=True)).to_be_visible()
    mod.get_by_role("link", name="With tired_fern").click()
    expect(mod.get_by_text(REPLY)).to_be_visible()
