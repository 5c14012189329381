"""A moderator sets their hours on duty and goes on and off duty now, in Chromium.

Each page is also checked at 1280 px and 390 px: nothing scrolls sideways and axe finds no
violations (tests/e2e/pages.py).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from community.models import Weekday
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory


def check_accessibility(page) -> None:
    """No axe violations and no sideways scrolling, at desktop and phone widths."""
    # The journey runs without JavaScript; axe needs it (and an exception to the strict CSP), so
    # the same page is opened again, signed in, in a context of its own.
    context = page.context.browser.new_context(
        storage_state=page.context.storage_state(), bypass_csp=True
    )
    try:
        checker = context.new_page()
        checker.goto(page.url)
        check_layout(checker, page.url)
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_sets_hours_and_goes_on_and_off_duty(live_server, browser):
    base = live_server.url
    moderator = UserFactory(username="steady_oak", email="oak@example.test")
    call_command("set_role", moderator.username, "moderator")

    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, base, moderator.email)
    page.get_by_role("link", name="Moderation").click()
    expect(
        page.get_by_text("Nobody is on duty right now: at-risk alerts go to every moderator.")
    ).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Set when you're on duty").click()
    expect(page.get_by_role("heading", name="On duty", exact=True)).to_be_visible()
    check_accessibility(page)

    # A night shift on a day that is neither today nor yesterday in Kolkata, so the weekly
    # hours do not put the moderator on duty while the test runs.
    today = datetime.now(ZoneInfo("Asia/Kolkata")).weekday()
    day = Weekday((today + 3) % 7).label

    # Mistakes get a kind message and keep what was ticked.
    page.get_by_label(day).check()
    page.get_by_role("button", name="Save my hours").click()
    expect(page.get_by_text("Please choose the time your shift starts.")).to_be_visible()
    expect(page.get_by_label(day)).to_be_checked()
    check_accessibility(page)

    page.get_by_label("From").fill("22:00")
    page.get_by_label("To", exact=True).fill("06:00")
    page.get_by_label("Your time zone").select_option("Asia/Kolkata")
    page.get_by_role("button", name="Save my hours").click()
    expect(page.get_by_text("Your hours are saved.")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Kolkata")

    page.get_by_label("For how long?").select_option(label="4 hours")
    page.get_by_role("button", name="On duty now").click()
    expect(page.get_by_role("listitem").filter(has_text="You're on duty until")).to_be_visible()
    expect(page.get_by_text("because you chose “On duty now”")).to_be_visible()
    expect(page.get_by_text("On duty now: steady_oak.")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_text("On duty now: steady_oak.")).to_be_visible()
    page.get_by_role("link", name="Set when you're on duty").click()
    page.get_by_role("button", name="Off duty now").click()
    expect(page.get_by_text("You're off duty. Your weekly hours are unchanged.")).to_be_visible()
    expect(page.get_by_text("Nobody is on duty right now")).to_be_visible()
