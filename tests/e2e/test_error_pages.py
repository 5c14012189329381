"""Every error page keeps the way to help, in Chromium at a desktop and a phone width.

A visitor's and a member's 404, a 403 that says why, an expired form, a muted member's banner
and paused page, and the outage pages rendered from static data: each in the layout with the
guidelines and "Need help now?", nothing scrolling sideways, tap targets of at least 44 px and
(with AXE_CORE_JS pointing at axe.min.js from the axe-core npm package) no axe violations.
The walk runs twice: with JavaScript off (none of these pages needs it) and on (axe needs it).
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from community.outage import crisis_page, server_error, unavailable_page
from forum.models import Post
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic, mute

HELP_NOW = "Need help now?"


def expect_the_way_to_help(page) -> None:
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Lantern", exact=True)).to_be_visible()
    expect(header.get_by_role("link", name=HELP_NOW)).to_have_attribute("href", "/help-now/")
    expect(page.get_by_role("complementary", name="Our guidelines")).to_be_visible()


def expect_help_in_the_page(page) -> None:
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=HELP_NOW)).to_have_attribute("href", "/help-now/")


def serve(response):
    """A Playwright route handler that answers with `response`, as the server rendered it."""

    def fulfill(route, request) -> None:
        route.fulfill(
            status=response.status_code,
            body=response.content,
            content_type="text/html; charset=utf-8",
        )

    return fulfill


def _a_bug_page():
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        return server_error(RequestFactory().get("/somewhere/"))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("scripts", [False, True], ids=["without-javascript", "with-javascript"])
def test_error_pages_keep_the_way_to_help(live_server, browser, scripts):
    base = live_server.url

    def new_page():
        # bypass_csp: only so axe can be injected; the pages run no script of their own here.
        return browser.new_context(bypass_csp=True, java_script_enabled=scripts).new_page()

    UserFactory(username="quiet_river", email="river@example.test")
    author = UserFactory(username="warm_hearth")
    post = make_reply(topic=make_topic(author=author), author=author, body="My own words.")
    category = CategoryFactory(name="Daily check-ins", slug="daily-check-ins")

    visitor = new_page()
    visitor.goto(f"{base}/no-such-page/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    expect_the_way_to_help(visitor)
    expect_help_in_the_page(visitor)
    check_layout(visitor, "a visitor's 404", tap_targets="a.tap", axe=scripts)

    page = new_page()
    context = page.context
    log_in(page, base, "river@example.test")

    page.goto(f"{base}/t/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    expect_the_way_to_help(page)
    check_layout(page, "a member's 404", tap_targets="a.tap", axe=scripts)

    page.goto(f"{base}/p/{post.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You can't do that here")
    expect(page.get_by_text("You can only edit your own posts.")).to_be_visible()
    expect_the_way_to_help(page)
    expect_help_in_the_page(page)
    check_layout(page, "a 403 that says why", tap_targets="a.tap", axe=scripts)

    # The form was open while the token changed (signed in again in another tab, say).
    page.goto(f"{base}/t/{post.topic_id}/reply/")
    page.get_by_label("Your reply").fill("Typed with care.")
    context.add_cookies([{"name": "csrftoken", "value": "x" * 32, "url": base}])
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")
    expect(page.get_by_text("Copy it somewhere safe.")).to_be_visible()
    expect_the_way_to_help(page)
    check_layout(page, "the expired form page", tap_targets="a.tap", axe=scripts)
    assert not Post.objects.filter(body="Typed with care.").exists()
    # Back, as the page says: the words are still in the form.
    page.go_back()
    expect(page.get_by_label("Your reply")).to_have_value("Typed with care.")

    # Muted: the banner on every page, and new topic says until when and links why.
    member = UserFactory(username="gentle_tide", email="tide@example.test")
    log = mute(member)
    muted = new_page()
    log_in(muted, base, member.email)
    banner = muted.get_by_role("complementary", name="Posting is paused for you")
    expect(banner).to_contain_text("until")
    expect(banner.get_by_role("link", name="Read why")).to_have_attribute(
        "href", f"/my/decisions/{log.pk}/"
    )
    check_layout(muted, "the front page with the muted banner", tap_targets="a.tap", axe=scripts)
    muted.goto(f"{base}/c/{category.slug}/new/")
    expect(muted.get_by_role("heading", level=1)).to_have_text("Posting is paused for you")
    expect(muted.get_by_role("link", name="Read the moderators' message")).to_be_visible()
    expect_the_way_to_help(muted)
    check_layout(muted, "the paused page", tap_targets="a.tap", axe=scripts)
    muted.get_by_role("link", name="Read why").click()
    expect(muted).to_have_url(f"{base}/my/decisions/{log.pk}/")

    # The outage pages, exactly as the 500 handler renders them without the database, served
    # at one address (the stylesheet and links come from the live server).
    outage = new_page()
    address = f"{base}/outage-preview/"
    for label, response in {
        "the 503": unavailable_page(),
        "the 500": _a_bug_page(),
        "/help-now/ in an outage": crisis_page(),
    }.items():
        outage.route(address, serve(response))
        outage.goto(address)
        expect_the_way_to_help(outage)
        expect(outage.get_by_role("link", name="Call 988").first).to_have_attribute(
            "href", "tel:988"
        )
        check_layout(outage, label, tap_targets="a.tap", axe=scripts)
        outage.unroute(address)
