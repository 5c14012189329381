"""A moderator sets their hours on duty and goes on and off duty now, in Chromium.

Set AXE_CORE_JS to the path of axe-core's axe.min.js (npm install axe-core@4) and the pages are
also checked with axe at 1280 px and 390 px: no violations, nothing scrolls sideways.
"""

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from community.models import Weekday
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"
AXE = os.environ.get("AXE_CORE_JS", "")


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def check_accessibility(page) -> None:
    """No axe violations and no sideways scrolling, at desktop and phone widths."""
    if not AXE:
        return
    source = Path(AXE).read_text()
    # The journey runs without JavaScript; axe needs it (and an exception to the strict CSP), so
    # the same page is opened again, signed in, in a context of its own.
    context = page.context.browser.new_context(
        storage_state=page.context.storage_state(), bypass_csp=True
    )
    try:
        checker = context.new_page()
        for width in (1280, 390):
            checker.set_viewport_size({"width": width, "height": 900})
            checker.goto(page.url)
            checker.add_script_tag(content=source)
            violations = checker.evaluate("async () => (await axe.run()).violations")
            assert [v["id"] for v in violations] == [], (width, violations)
            assert checker.evaluate(
                "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            ), width
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
    page.get_by_label("To").fill("06:00")
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
