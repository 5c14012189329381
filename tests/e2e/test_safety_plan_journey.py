"""My safety plan in headless Chromium: written without JavaScript, read, printed (only the
plan reaches the paper), and offered beside the crisis resources after a hard post."""

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import PASSWORD, log_in
from tests.factories import UserFactory, make_topic


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_write_read_print_and_find_my_plan_after_a_hard_post(live_server, browser):
    base = live_server.url
    UserFactory(username="quiet_fern", email="fern@example.test")
    topic = make_topic()
    # No JavaScript, at a phone's width: every step still works and nothing scrolls sideways.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, base, "fern@example.test", PASSWORD)

    page.get_by_role("link", name="Account").click()
    page.get_by_role("navigation", name="Your account").get_by_role(
        "link", name="My safety plan"
    ).click()
    expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Write my safety plan").click()
    page.get_by_label("Things I can do on my own").fill("Make tea\nWalk round the block")
    page.get_by_label("People I can ask for help").fill(
        "My sister Ines, 555 0143\nhttps://support.example.test/localcrisisteamforthenorthdistrictandtheislands"
    )
    page.get_by_label("My reasons for living").fill("<b>My cat, Pepper</b>")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_text("Your safety plan is saved. Only you can see it.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Walk round the block")).to_be_visible()
    expect(page.get_by_text("<b>My cat, Pepper</b>")).to_be_visible()  # plain text, as typed
    expect(page.get_by_role("button", name="Print my plan")).to_be_hidden()  # no script, no button
    assert no_sideways_scroll(page)

    # On paper: the plan, and nothing of the site around it.
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="My safety plan")).to_be_visible()
    expect(page.get_by_text("My sister Ines, 555 0143")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Your account")).to_be_hidden()
    expect(page.get_by_role("link", name="Change my plan")).to_be_hidden()
    expect(page.get_by_text("Your safety plan is saved.")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    page.emulate_media(media="screen")

    # After a post with crisis language, the first steps sit beside the resources.
    page.goto(f"{base}{topic.get_absolute_url()}")
    page.get_by_label("Your reply").fill("Tonight I just want to end my life.")
    page.get_by_role("button", name="Post reply").click()
    panel = page.get_by_role("region", name="Thank you for telling us how you are")
    expect(panel.get_by_role("heading", name="From your safety plan")).to_be_visible()
    expect(panel.get_by_text("Make tea")).to_be_visible()
    assert no_sideways_scroll(page)  # a long address in the plan wraps inside the panel
    panel.get_by_role("link", name="Open my whole safety plan").click()
    expect(page.get_by_text("My cat, Pepper")).to_be_visible()
    context.close()

    # With scripts on, a print button appears; the plan is still only its author's.
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "fern@example.test", PASSWORD)
    page.goto(f"{base}/my/safety-plan/")
    expect(page.get_by_role("button", name="Print my plan")).to_be_visible()
    context.close()
    UserFactory(username="steady_oak", email="oak@example.test", role="moderator")
    other = browser.new_context().new_page()
    log_in(other, base, "oak@example.test", PASSWORD)
    other.goto(f"{base}/my/safety-plan/")
    expect(other.get_by_role("link", name="Write my safety plan")).to_be_visible()
    expect(other.get_by_text("Make tea")).to_have_count(0)
