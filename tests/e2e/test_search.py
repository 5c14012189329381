"""Search in headless Chromium: a member finds a published story by a word in its text from
the header's search box, never another member's waiting or hidden post, and the pages pass
axe at a desktop and a phone width (tests/e2e/pages.py), the topic page with its "Stories
like yours" too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum import services
from forum.models import Status
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_finds_a_published_story_and_never_a_waiting_or_hidden_one(live_server, browser):
    base = live_server.url
    UserFactory(username="searching_owl", email="owl@example.test")
    writer = UserFactory(username="heron_writer")
    category = CategoryFactory(name="Small wins")
    # Written first: a story's suggestions are worked out when it is written.
    make_topic(
        author=UserFactory(),
        category=category,
        title="Breathing by the water in the morning",
        body="Slow breathing near the water every morning.",
    )
    story = make_topic(
        author=writer,
        category=category,
        title="The first morning by the water",
        body="I watched a heron fish in the reeds and my breathing slowed down.",
    )
    hidden = make_reply(topic=story, author=writer, body="A heron secret I regret sharing.")
    services.set_post_status(post=hidden, status=Status.HIDDEN)
    newcomer = UserFactory(approved_post_count=0)
    make_topic(author=newcomer, category=category, title="Waiting", body="Heron waiting post.")
    make_topic(author=writer, category=category, title="Sleep", body="Nothing about birds.")

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    log_in(page, base, "owl@example.test")

    header = page.get_by_role("search").first
    header.get_by_label("Search stories").fill("heron")
    header.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", name="1 post matched “heron”")).to_be_visible()
    result = page.get_by_role("link", name="The first morning by the water")
    expect(result).to_be_visible()
    expect(page.locator(".search-snippet mark").first).to_have_text("heron")
    expect(page.get_by_text("regret sharing")).to_have_count(0)
    expect(page.get_by_text("Heron waiting post")).to_have_count(0)
    # What was typed stays in the box, ready to change.
    expect(page.get_by_label("Search for")).to_have_value("heron")
    check_layout(page, "search results")

    page.get_by_label("Search for").fill("albatross")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("heading", name="No posts matched “albatross”")).to_be_visible()
    check_layout(page, "a search with no results")

    page.get_by_label("Search for").fill("heron")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.get_by_role("link", name="The first morning by the water").click()
    expect(page.get_by_role("heading", name="The first morning by the water")).to_be_visible()
    expect(page.get_by_text("my breathing slowed down")).to_be_visible()
    suggestions = page.get_by_role("complementary", name="Stories like yours")
    expect(suggestions.get_by_role("link", name="Breathing by the water")).to_be_visible()
    check_layout(page, "a topic page with stories like yours")
    context.close()
