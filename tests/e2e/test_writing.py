"""Writing with confidence, in headless Chromium: a preview without JavaScript, the "Posting…"
state with it, and a reply written on page one of a long topic landing on the new post.

Checked at a desktop width and a phone width (tests/e2e/pages.py): nothing scrolls sideways,
and with AXE_CORE_JS set, axe finds nothing on the form pages where scripts run.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from forum.models import Post, Topic
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

STORY = (
    "Ninety days, **one at a time**.\n\n"
    "| Week | How it felt |\n"
    "| --- | --- |\n"
    "| 1 | ~~fine~~ hard |\n\n"
    "What helped: https://example.org/steps\n\n"
    "![my garden](https://example.org/garden.jpg)"
)

REPLY_URL = re.compile(r"/t/\d+/reply/$")
# Records what the post button shows and each submit (and whether the page ignored it).
RECORD_POSTING = """() => {
  const record = [];
  const keep = () => sessionStorage.setItem("posting-record", JSON.stringify(record));
  const button = document.querySelector("form[data-posting-form] [data-posting]");
  new MutationObserver(() => {
    record.push({text: button.textContent, ariaDisabled: button.getAttribute("aria-disabled")});
    keep();
  }).observe(button, {attributes: true, childList: true, characterData: true, subtree: true});
  document.addEventListener("submit", (event) => {
    record.push({prevented: event.defaultPrevented});
    keep();
  });
}"""


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_preview_without_javascript_shows_the_post_and_saves_nothing(live_server, browser):
    base = live_server.url
    UserFactory(username="quiet_river", email="river@example.test")
    category = CategoryFactory(name="Small wins")
    # No scripts at all: the preview is a plain form button.
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, base, "river@example.test")

    page.goto(f"{base}{category.get_absolute_url()}")
    page.get_by_role("link", name="Start a topic").click()
    expect(page.get_by_text("Images are not shown")).to_be_visible()
    page.get_by_label("Title").fill("Ninety days")
    page.get_by_label("Your story").fill(STORY)
    page.get_by_role("button", name="Preview").click()

    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("Nothing is posted yet")
    expect(preview.locator("strong")).to_have_text("one at a time")
    expect(preview.get_by_role("table")).to_be_visible()
    expect(preview.get_by_role("cell", name="fine hard")).to_be_visible()
    expect(preview.locator("s")).to_have_text("fine")
    bare = preview.get_by_role("link", name="https://example.org/steps")
    expect(bare).to_have_attribute("rel", "nofollow ugc noopener noreferrer")
    # The image is a link with its description, and nothing is loaded from its host.
    expect(preview.get_by_role("link", name="my garden")).to_have_attribute(
        "href", "https://example.org/garden.jpg"
    )
    expect(preview.locator("img")).to_have_count(0)
    # Every word is kept in the form, and nothing was saved.
    expect(page.get_by_label("Title")).to_have_value("Ninety days")
    expect(page.get_by_label("Your story")).to_have_value(STORY)
    assert not Topic.objects.filter(category=category).exists()
    check_layout(page, "the new topic form with its preview", axe=False)

    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", name="Ninety days", level=1)).to_be_visible()
    expect(page.locator("#post-1").get_by_role("cell", name="fine hard")).to_be_visible()
    assert Topic.objects.filter(category=category).count() == 1

    # Editing previews too, and saves nothing until asked.
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Your post").fill("Ninety-one days ~~already~~.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("region", name="Preview").locator("s")).to_have_text("already")
    expect(page.get_by_label("Your post")).to_have_value("Ninety-one days ~~already~~.")
    # (A browser sends a textarea's lines ending in CRLF.)
    assert Post.objects.get(topic__category=category).body.replace("\r\n", "\n") == STORY
    check_layout(page, "the edit form with its preview", axe=False)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reply_from_page_one_says_posting_and_lands_on_the_new_post(live_server, browser):
    base = live_server.url
    member = UserFactory(username="harbor_light", email="harbor@example.test")
    friend = UserFactory(username="steady_oak")
    topic = make_topic(author=friend, title="Check-in thread", body="How is everyone today?")
    for n in range(2, 46):
        make_reply(topic=topic, author=friend, body=f"Check-in number {n}")
    # bypass_csp: only so axe can be injected; the page's own script is posting.js.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, "harbor@example.test")

    page.goto(f"{base}{topic.get_absolute_url()}")
    expect(page.get_by_text("Page 1 of 3", exact=True)).to_be_visible()
    reply_box = page.get_by_role("region", name="Reply")
    expect(reply_box).to_contain_text("Your reply goes at the end of the topic")
    check_layout(page, "page one of a long topic with the reply box")

    # Preview first, from page one: the reply page shows it, with the words kept.
    reply_box.get_by_label("Your reply").fill("Reading from the start. *Proud* of all of you.")
    reply_box.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("region", name="Preview").locator("em")).to_have_text("Proud")
    check_layout(page, "the reply form with its preview")
    assert not Post.objects.filter(author=member).exists()

    # Hold the post on its way, to see what the member sees while it travels. Locators wait
    # for a navigation in flight, so the page keeps its own record (sessionStorage outlives it).
    page.evaluate(RECORD_POSTING)
    held = []
    page.route(REPLY_URL, lambda route: held.append(route))
    post_button = page.get_by_role("button", name="Post reply")
    post_button.scroll_into_view_if_needed()
    box = post_button.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # The mouse, not Locator.click, which would wait for the held navigation to finish. The
    # second press comes while the first is on its way.
    page.mouse.click(*middle)
    page.mouse.click(*middle)
    page.wait_for_timeout(500)
    assert len(held) == 1
    held[0].continue_()
    page.unroute(REPLY_URL)

    mine = page.locator("#post-46")
    expect(mine).to_contain_text("Proud of all of you.")
    pages = page.get_by_role("navigation", name="Pages of this topic")
    expect(pages.get_by_text("Page 3 of 3", exact=True)).to_be_visible()
    assert page.url.endswith(f"{topic.get_absolute_url()}?page=3#post-46")
    assert Post.objects.filter(topic=topic, author=member).count() == 1
    record = json.loads(page.evaluate("() => sessionStorage.getItem('posting-record')"))
    assert {"text": "Posting…", "ariaDisabled": "true"} in record, record
    # The first press submitted; the second was ignored by the page.
    assert [entry["prevented"] for entry in record if "prevented" in entry] == [False, True]
