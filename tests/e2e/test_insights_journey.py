"""A moderator reads the insights and their own load, and takes a break, in Chromium.

At a desktop and a phone width: nothing scrolls sideways and (with AXE_CORE_JS pointing at
axe.min.js from the axe-core npm package) axe finds no violations.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from community.models import (
    DecisionTiming,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    ReviewItem,
    ReviewStatus,
)
from tests.e2e.pages import check_layout, log_in
from tests.factories import UserFactory, make_reply, make_topic

# What sticks out on the right, named for the failure message.


def seed(moderator) -> ReviewItem:
    """A month of decisions (five at risk by `moderator` today) and one item they hold."""
    now = timezone.now()
    topic = make_topic()
    for n in range(40):
        post = make_reply(topic=topic)
        opened = now - timedelta(days=0 if n < 5 else n % 30, hours=3)
        item = ReviewItem.objects.create(post=post, status=ReviewStatus.RESOLVED, opened_at=opened)
        decided_at = opened + timedelta(minutes=20 + n)
        log = ModerationLog.objects.create(
            actor=moderator,
            action=ModerationAction.KEEP,
            target_user=post.author,
            post=post,
            review_item=item,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Seeded.",
            created_at=decided_at,
        )
        DecisionTiming.objects.create(
            log=log,
            review_item=item,
            moderator=moderator,
            opened_at=opened,
            alerted_at=opened,
            claimed_at=opened + timedelta(minutes=n % 9 + 1),
            decided_at=decided_at,
            at_risk=n < 5 or n % 4 == 0,
            reported=n % 2 == 0,
            new_member=n % 3 == 0,
        )
    return ReviewItem.objects.create(
        post=make_reply(topic=topic),
        opened_at=now - timedelta(hours=5),
        at_risk=True,
        claimed_by=moderator,
        claimed_at=now - timedelta(hours=1),
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_insights_my_load_and_a_break(live_server, browser):
    base = live_server.url
    moderator = UserFactory(username="steady_oak", email="oak@example.test")
    call_command("set_role", moderator.username, "moderator")
    held = seed(moderator)
    # bypass_csp: only so axe can be injected; the pages run no script of their own here.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, moderator.email)

    page.get_by_role("link", name="Moderation").first.click()
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Items opened and closed per day")).to_be_visible()
    check_layout(page, "insights (7 days)")
    page.get_by_role("link", name="Last 90 days").click()
    expect(page.get_by_role("link", name="Last 90 days")).to_have_attribute("aria-current", "page")
    page.get_by_text("The figures per day").click()
    expect(page.get_by_role("table", name="Items opened and closed per day")).to_be_visible()
    check_layout(page, "insights (90 days)")

    page.get_by_role("link", name="My load").click()
    notice = page.get_by_role("region", name="Time for a break?")
    expect(notice).to_contain_text("You've been with 5 members who may be at risk")
    check_layout(page, "my load")
    notice.get_by_role("button", name="Take a break and hand back my claims").click()
    expect(page.get_by_text("The item you had claimed is back in the queue")).to_be_visible()
    expect(page.get_by_role("region", name="Time for a break?")).to_have_count(0)
    held.refresh_from_db()
    assert held.claimed_by_id is None
