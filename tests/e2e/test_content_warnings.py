"""Content warnings the reader controls, in headless Chromium: a reader who folds "suicide or
self-harm" sees such a post folded and opens it with a tap, with and without JavaScript, and
the pages are axe clean at desktop and phone widths (tests/e2e/pages.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from forum import services
from forum.content_warnings import ContentWarning
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory

BODY = "The winter I could not see a way through, and what changed."


def warned_story():
    topic = services.create_topic(
        author=UserFactory(username="brave_fern"),
        category=CategoryFactory(name="Through winters"),
        title="Through the winter",
        body=BODY,
        warning_flags=ContentWarning.SUICIDE_SELF_HARM,
        warning_note="Looking back, I am safe now",
    )
    return topic


def choose_fold_for_suicide(page, base: str) -> None:
    page.goto(f"{base}/settings/content-warnings/")
    group = page.get_by_role("group", name="Suicide or self-harm")
    group.get_by_label("Fold behind a tap").check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.get_by_text("Your content warning choices are saved.")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("scripts", [True, False], ids=["with-js", "without-js"])
def test_a_reader_who_folds_sees_the_post_folded_and_opens_it(live_server, browser, scripts):
    base = live_server.url
    UserFactory(username="quiet_river", email="river@example.test")
    topic = warned_story()
    url = topic.get_absolute_url()
    # bypass_csp: only so axe can be injected; the pages' own scripts run as usual. Without
    # scripts axe cannot run, so only the layout is checked.
    context = browser.new_context(java_script_enabled=scripts, bypass_csp=scripts)
    page = context.new_page()
    log_in(page, base, "river@example.test")
    choose_fold_for_suicide(page, base)
    if scripts:
        check_layout(page, "the content warning settings")

    page.goto(f"{base}{url}")
    summary = page.locator("details.content-warning summary")
    expect(summary).to_contain_text("Content warning: Suicide or self-harm. Looking back")
    expect(page.get_by_text(BODY)).to_be_hidden()
    check_layout(page, "a folded post", axe=scripts)

    # Keyboard reachable: focus the summary and press Enter, as a keyboard user would.
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(BODY)).to_be_visible()
    check_layout(page, "an opened post", axe=scripts)

    # The author's side: the warnings are a labelled group on the form.
    page.goto(f"{base}/c/{topic.category.slug}/new/")
    group = page.get_by_role("group", name="Content warnings (optional)")
    expect(group.get_by_label("Suicide or self-harm")).to_be_visible()
    check_layout(page, "the new topic form with warnings", axe=scripts)
    context.close()
