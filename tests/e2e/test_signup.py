"""Joining Lantern in headless Chromium: errors beside their fields, then signed in by the link.

A visitor signs up with a username that looks like a real name and a short password: each
error appears under its own field (and is what a screen reader hears for it), the email and
username are kept, both password boxes say to type the password again. Fixed, the signup sends
a confirmation link; opened in the same browser it signs the member in, and the first-visit
welcome greets them once. The signup and login pages pass the layout checks.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.pages import check_layout

PASSWORD = "walking-forward-2026"
WELCOME = "Welcome to Lantern, morning_light"


def described_by(page, label: str) -> str:
    """What a screen reader reads after the field's label: the texts its aria-describedby names."""
    field = page.get_by_label(label, exact=True)
    ids = (field.get_attribute("aria-describedby") or "").split()
    return " ".join(page.locator(f"#{i}").inner_text() for i in ids)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signup_errors_beside_their_fields_then_signed_in_by_the_link(live_server, browser):
    base = live_server.url
    page = browser.new_context(bypass_csp=True).new_page()

    page.goto(base)
    page.get_by_role("link", name="Join Lantern").click()
    expect(page.get_by_role("heading", name="Join Lantern", level=1)).to_be_visible()
    check_layout(page, "the signup page")
    # The pseudonym advice is there before anything is typed.
    assert "Choose a pseudonym" in described_by(page, "Username")

    page.get_by_label("Email", exact=True).fill("newcomer@example.test")
    page.get_by_label("Username", exact=True).fill("Jane_Doe")
    page.get_by_label("Password", exact=True).fill("short1")
    page.get_by_label("Password (again)", exact=True).fill("short1")
    page.get_by_label("I have read the community guidelines").check()
    page.get_by_role("button", name="Join Lantern").click()

    expect(page.get_by_role("alert")).to_contain_text("Please check the fields marked below")
    # Each error is under its own field, and read out with it.
    username_field = page.locator(".field", has=page.get_by_label("Username", exact=True))
    expect(username_field.locator(".error")).to_contain_text("first and last name")
    email_field = page.locator(".field", has=page.get_by_label("Email", exact=True))
    expect(email_field.locator(".error")).to_have_count(0)
    assert "first and last name" in described_by(page, "Username")
    # What was typed is kept, except the passwords, which say why they are empty.
    expect(page.get_by_label("Email", exact=True)).to_have_value("newcomer@example.test")
    expect(page.get_by_label("Username", exact=True)).to_have_value("Jane_Doe")
    for label in ("Password", "Password (again)"):
        expect(page.get_by_label(label, exact=True)).to_have_value("")
        assert "Please type your password again" in described_by(page, label)
    assert "at least 10 characters" in described_by(page, "Password")
    check_layout(page, "the signup page with errors")

    page.get_by_label("Username", exact=True).fill("morning_light")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Join Lantern").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    # The link from the email, opened in the same browser, signs the member in.
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    welcome = page.get_by_role("region", name=WELCOME)
    expect(welcome).to_be_visible()
    expect(welcome.get_by_role("link", name="Read how we look after each other")).to_be_visible()
    expect(welcome).to_contain_text("read by a moderator before other members see them")
    welcome.get_by_role("button", name="Close this welcome").click()
    expect(page.get_by_role("region", name=WELCOME)).to_have_count(0)
    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text(WELCOME)).to_have_count(0)

    # Logged out and in again: the welcome stays closed.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{base}/accounts/login/")
    check_layout(page, "the login page")
    page.get_by_label("Email", exact=True).fill("newcomer@example.test")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_text(WELCOME)).to_have_count(0)
