"""Leaving with dignity, in headless Chromium: an export downloads as a zip holding the member's
story, and a member who deleted their account cannot log in once the grace period has passed,
while their story stays, signed "a former member".

Checked at a desktop width and a phone width (tests/e2e/pages.py): nothing scrolls sideways,
and with AXE_CORE_JS set, axe finds nothing on the export and delete pages.
"""

from __future__ import annotations

import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import dispatch
from accounts.models import AccountDeletion, ExportRequest
from community import tasks
from tests.e2e.pages import PASSWORD, check_layout, log_in
from tests.factories import UserFactory, make_topic

STORY = "A year without a drink. I walked to the sea this morning and just listened."


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_downloads_a_zip_with_the_members_story(live_server, browser, monkeypatch):
    base = live_server.url
    member = UserFactory(username="sea_walker", email="sea@example.test")
    make_topic(author=member, title="One year", body=STORY)
    # The broker takes the task and no worker runs it yet, so the page shows it preparing.
    monkeypatch.setattr(dispatch, "publish", lambda name, args: True)
    page = browser.new_context(bypass_csp=True, accept_downloads=True).new_page()
    log_in(page, base, "sea@example.test")

    page.goto(f"{base}/settings/profile/")
    page.get_by_role("link", name="Export your data").click()
    check_layout(page, "the export page")
    page.get_by_role("button", name="Prepare my export").click()
    expect(page.get_by_role("heading", name="Preparing your export...")).to_be_visible()
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    check_layout(page, "the export page while it is prepared")

    # The worker builds it; static/js/export.js notices without the member doing anything.
    assert tasks.build_export(ExportRequest.objects.get(member=member).pk) == "ready"
    expect(page.get_by_role("heading", name="Your export is ready")).to_be_visible()
    check_layout(page, "the export page with its link")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download your export (zip)").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        assert STORY in archive.read("posts.json").decode()
        assert STORY in archive.read("index.html").decode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_deleted_member_cannot_log_in_and_their_story_reads_a_former_member(live_server, browser):
    base = live_server.url
    member = UserFactory(username="sea_walker", display_name="Sea Walker", email="sea@example.test")
    topic = make_topic(author=member, title="One year", body=STORY)
    UserFactory(username="harbour", email="harbour@example.test")
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, "sea@example.test")

    page.goto(f"{base}/settings/delete/")
    check_layout(page, "the delete page")
    page.get_by_label("Keep my posts").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account in 7 days").click()
    expect(page.get_by_text("Your account is set to be deleted on")).to_be_visible()
    expect(page.get_by_role("button", name="Keep my account")).to_be_visible()
    check_layout(page, "the delete page in the grace period")
    page.get_by_role("button", name="Log out").click()

    # The grace period passes and beat's job runs (called directly here).
    AccountDeletion.objects.filter(member=member).update(
        delete_after=timezone.now() - timedelta(minutes=1)
    )
    assert tasks.finalise_deletions() == 1

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("sea@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    log_in(page, base, "harbour@example.test")
    page.goto(f"{base}{topic.get_absolute_url()}")
    expect(page.get_by_text(STORY)).to_be_visible()
    expect(page.get_by_text("a former member").first).to_be_visible()
    expect(page.get_by_text("Sea Walker")).to_have_count(0)
