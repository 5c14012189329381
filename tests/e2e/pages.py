"""What the browser tests share: signing in, and the checks every page must pass at a desktop
and a phone width: nothing scrolls sideways, tap targets are at least 44 px, and axe-core finds
no violations.

axe-core comes from npm (`make axe` installs the pinned version; the Makefile then points
AXE_CORE_JS at it). Without it the checks run without axe, except where the services are
required (REQUIRE_SERVICES=1, as in CI): there a missing axe fails the test, so a run that
says "accessible" has actually asked axe.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

PASSWORD = "a-long-test-password"
WIDTHS = (1280, 390)
# What sticks out past the right edge, for the message when a page scrolls sideways.
WIDER_THAN_THE_PAGE = """
[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
  .map(e => `${e.tagName}.${e.className}`)
  .slice(0, 10)
"""


def log_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def axe_source() -> str | None:
    """axe-core's script, or None when it is not installed (a failure where it must be)."""
    path = os.environ.get("AXE_CORE_JS")
    if path:
        return Path(path).read_text()
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail("AXE_CORE_JS is not set: run `make axe` so the pages are checked with axe")
    return None


def axe_violations(page) -> list[dict]:
    """What axe-core finds on the page as it is now ([] when axe is not installed). The page
    must allow the injected script: open it in a context with bypass_csp=True."""
    source = axe_source()
    if source is None:
        return []
    page.add_script_tag(content=source)
    return page.evaluate("async () => (await axe.run()).violations")


def check_layout(
    page,
    label: str,
    *,
    tap_targets: str | None = None,
    axe: bool = True,
) -> None:
    """At each width: nothing scrolls sideways, every `tap_targets` element is at least 44 px
    both ways, and (unless `axe` is False, for a page opened without JavaScript) axe finds
    nothing. The viewport is left as it was."""
    before = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide = page.evaluate(WIDER_THAN_THE_PAGE)
            pytest.fail(f"{label} scrolls sideways by {overflow} px at {width} px: {wide}")
        if tap_targets:
            for box in page.locator(tap_targets).evaluate_all(
                "els => els.map(e => [e.getBoundingClientRect().height, "
                "e.getBoundingClientRect().width])"
            ):
                assert box[0] >= 44 and box[1] >= 44, f"a tap target on {label} is {box}"
        if axe:
            violations = axe_violations(page)
            assert violations == [], f"{label} at {width} px: {violations}"
    if before:
        page.set_viewport_size(before)
