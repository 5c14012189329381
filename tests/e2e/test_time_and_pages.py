"""Times and page numbers in headless Chromium: a post's time reads "3 hours ago" with the
reader's local time in its title and for screen readers; without JavaScript the absolute time
labelled UTC shows; and a page number past the end lands on the last page."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forum.models import Post
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory, make_reply, make_topic

READER_ZONE = "Pacific/Auckland"


def topic_written_three_hours_ago():
    UserFactory(username="quiet_river", email="river@example.test")
    topic = make_topic(title="Week one", body="Hard but okay.")
    written = (timezone.now() - timedelta(hours=3, minutes=10)).replace(microsecond=0)
    Post.objects.filter(topic=topic).update(created_at=written)
    return topic, written


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_post_time_is_relative_with_the_local_time_on_hover(live_server, browser):
    topic, written = topic_written_three_hours_ago()
    # bypass_csp: only so axe can be injected; the page's own script is time.js.
    context = browser.new_context(bypass_csp=True, timezone_id=READER_ZONE, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server.url, "river@example.test")

    page.goto(f"{live_server.url}{topic.get_absolute_url()}")
    when = page.locator("#post-1 time[data-when]")
    expect(when.locator("span").first).to_have_text("3 hours ago")
    local = written.astimezone(ZoneInfo(READER_ZONE))
    expect(when).to_have_attribute("title", re.compile(rf"\b{local:%H:%M}\b"))
    title = when.get_attribute("title")
    assert "UTC" not in title and str(local.year) in title
    # Screen readers hear the absolute local time too, after the relative words.
    expect(when.locator(".visually-hidden")).to_have_text(f" ({title})")
    check_layout(page, "a topic page with relative times")
    context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_javascript_the_time_is_absolute_and_labelled_utc(live_server, browser):
    topic, written = topic_written_three_hours_ago()
    context = browser.new_context(java_script_enabled=False, timezone_id=READER_ZONE)
    page = context.new_page()
    log_in(page, live_server.url, "river@example.test")

    page.goto(f"{live_server.url}{topic.get_absolute_url()}")
    words = f"{written.day} {written:%b %Y, %H:%M} UTC"
    when = page.locator("#post-1 time[data-when]")
    expect(when).to_have_text(words)
    expect(when).to_have_attribute("title", words)
    context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_number_past_the_end_lands_on_the_last_page(live_server, browser, settings):
    settings.POSTS_PER_PAGE = 2
    UserFactory(username="quiet_river", email="river@example.test")
    topic = make_topic(title="Check-in thread", body="How is everyone today?")
    for n in range(2, 6):  # five posts: three pages
        make_reply(topic=topic, body=f"Check-in number {n}")
    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server.url, "river@example.test")

    page.goto(f"{live_server.url}{topic.get_absolute_url()}?page=99")
    assert page.url.endswith(f"{topic.get_absolute_url()}?page=3")
    expect(page.get_by_text("Page 3 of 3", exact=True).first).to_be_visible()
    expect(page.get_by_text("Check-in number 5")).to_be_visible()
    context.close()
