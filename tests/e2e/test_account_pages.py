"""The account pages a member opens from "Account", in headless Chromium at a desktop and a
phone width (tests/e2e/pages.py): nothing scrolls sideways and, with AXE_CORE_JS set, axe finds
nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signed_in_devices_fit_a_phone_whatever_the_browser_calls_itself(live_server, browser):
    base = live_server.url
    UserFactory(username="tidal_pool", email="pool@example.test")
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    log_in(page, base, "pool@example.test")
    page.goto(f"{base}/accounts/sessions/")
    expect(page.get_by_role("heading", name="Signed-in devices")).to_be_visible()
    # Chromium's own user agent: long words ("AppleWebKit/537.36") that cannot break at a space.
    expect(page.get_by_role("cell", name="This device")).to_be_visible()
    check_layout(page, "signed-in devices")
    context.close()
