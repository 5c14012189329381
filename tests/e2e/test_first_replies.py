"""No story left unanswered, in headless Chromium: a member volunteers, finds a story nobody
has answered for twelve hours, takes it, replies, and the story leaves the list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum.models import Post, Topic
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory, make_topic


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_waiting_story_reaches_the_volunteer_and_leaves_the_list_once_answered(
    live_server, browser
):
    base = live_server.url
    UserFactory(username="harbor_light", email="harbor@example.test")
    category = CategoryFactory(name="Stories told here", holds_stories=True)
    story = make_topic(category=category, title="Thirty days and scared")
    then = timezone.now() - timedelta(hours=13)
    Topic.objects.filter(pk=story.pk).update(created_at=then)
    Post.objects.filter(topic=story).update(created_at=then)
    make_topic(category=category, title="Posted an hour ago")

    # bypass_csp: only so axe can be injected; the pages need no script of their own.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, "harbor@example.test")
    page.goto(f"{base}/waiting/")
    page.get_by_role("link", name="Volunteer for first replies").click()
    check_layout(page, "the first replies settings")
    page.get_by_role("button", name="Volunteer for first replies").click()

    expect(page.get_by_text("Thank you for volunteering.")).to_be_visible()
    expect(page.get_by_role("heading", name="Stories waiting for a first reply")).to_be_visible()
    expect(page.get_by_text("One story is waiting.")).to_be_visible()
    expect(page.get_by_role("link", name="Thirty days and scared")).to_be_visible()
    expect(page.get_by_role("link", name="Posted an hour ago")).to_have_count(0)
    check_layout(page, "the waiting stories list")

    page.get_by_role(
        "button", name=re.compile(r"^Take this story\W+Thirty days and scared$")
    ).click()
    expect(page).to_have_url(re.compile(rf"/t/{story.pk}/\?page=last#reply$"))
    expect(page.get_by_text("This story is yours to answer")).to_be_visible()
    page.get_by_label("Your reply").fill("What helped me at thirty days was one call a day.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("What helped me at thirty days")).to_be_visible()

    page.get_by_role("link", name="Waiting stories").click()
    expect(page.get_by_text("No story is waiting right now")).to_be_visible()
    expect(page.get_by_role("link", name="Thirty days and scared")).to_have_count(0)
