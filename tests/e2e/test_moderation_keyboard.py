"""A moderator clears 20 new members' posts and 5 reports with the keyboard alone, through
"apply and open the next item", in Chromium.

The shortcuts (static/js/moderation.js) choose the decision; Enter applies it; the next item
opens with the keyboard at the decision. The queue has no horizontal scroll at 390 px, and
(with AXE_CORE_JS pointing at axe.min.js from the axe-core npm package) axe finds no
violations on the queue, an item and the log at 1280 and 390 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from community.models import ModerationAction, ModerationLog, ReviewItem
from tests.community.queue_helpers import reported_item, waiting_item
from tests.e2e.pages import check_layout, log_in
from tests.factories import CategoryFactory, UserFactory, make_topic


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_clears_25_items_with_the_keyboard(live_server, browser):
    base = live_server.url
    category = CategoryFactory(name="Keyboard nights")
    topic = make_topic(
        category=category, title="A long title that a phone has to wrap somewhere sensible"
    )
    for number in range(20):
        waiting_item(topic=topic, body=f"My first post here, number {number}. Hello everyone.")
    for number in range(5):
        reported_item(topic=topic, body=f"Reported words, number {number}.")
    moderator = UserFactory(username="steady_oak", email="oak@example.test", role=Role.MODERATOR)
    assert ReviewItem.objects.open().count() == 25

    # bypass_csp: only so axe can be injected; moderation.js is served from the site itself.
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, moderator.email)
    page.goto(f"{base}/moderation/")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    check_layout(page, "the queue with 25 items")

    # The help overlay opens with ? and closes with Esc.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    # j opens the most urgent item, with the keyboard at the decision.
    page.keyboard.press("j")
    expect(page.get_by_role("heading", name="Decide")).to_be_visible()
    expect(page.locator("input[name='action']").first).to_be_focused()
    check_layout(page, "an item")

    for cleared in range(25):
        decision = page.locator("input[name='action'][value='approve']")
        key = "a" if decision.count() else "e"
        page.keyboard.press(key)
        expect(page.get_by_role("button", name="Apply and open the next item")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_text("It is logged.")).to_be_visible()
        if cleared < 24:
            expect(page.get_by_text("This is the next item.")).to_be_visible()
            expect(page.locator("input[name='action']").first).to_be_focused()

    expect(page.get_by_text("The queue is clear")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting here.")).to_be_visible()
    assert ReviewItem.objects.open().count() == 0
    assert ModerationLog.objects.filter(action=ModerationAction.APPROVE).count() == 20
    assert ModerationLog.objects.filter(action=ModerationAction.KEEP).count() == 5
    check_layout(page, "the empty queue")

    page.goto(f"{base}/moderation/log/")
    check_layout(page, "the log")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shortcuts_wait_while_typing_and_the_sanction_fields_wait_for_a_sanction(
    live_server, browser
):
    from community.models import ExplanationTemplate

    base = live_server.url
    ExplanationTemplate.objects.update_or_create(
        action="hide", reason="advice", defaults={"text": "Could you share your own experience?"}
    )
    first = reported_item(body="Just stop feeling sorry for yourself.")
    reported_item(body="Another reported reply.")
    waiting_item(body="Hello, I am new here and a little nervous.")
    moderator = UserFactory(
        username="calm_harbour", email="harbour@example.test", role=Role.MODERATOR
    )
    page = browser.new_context(bypass_csp=True).new_page()
    log_in(page, base, moderator.email)
    page.goto(f"{base}{first.get_absolute_url()}?show=reported")

    sanction = page.get_by_role("group", name="Only for mute or suspend: for how long")
    expect(sanction).to_be_hidden()
    page.get_by_label("Mute (can read, cannot post)").check()
    expect(sanction).to_be_visible()
    expect(sanction.get_by_label("Until (your time, UTC)")).to_be_visible()

    # h chooses hide and moves to the reason; the template fills the explanation.
    page.get_by_label("Keep (dismiss the reports)").focus()
    page.keyboard.press("h")
    expect(page.get_by_label("Reason", exact=True)).to_be_focused()
    expect(sanction).to_be_hidden()
    page.get_by_label("Reason", exact=True).select_option("advice")
    explanation = page.get_by_label("Explanation for the member")
    expect(explanation).to_have_value("Could you share your own experience?")

    # Typing j, k, a, e, h, c or ? in a field types them; nothing navigates or opens.
    url = page.url
    explanation.fill("")
    explanation.press_sequentially("jkaehc?")
    expect(explanation).to_have_value("jkaehc?")
    assert page.url == url
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    # c claims the item; j and k walk the filter.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("c")
    expect(page.get_by_text("You claimed this item.")).to_be_visible()
    page.keyboard.press("j")
    expect(page.get_by_role("link", name="Previous item")).to_be_visible()
    page.keyboard.press("k")
    expect(page.get_by_text("You claimed this item.")).to_be_visible()

    page.goto(f"{base}/moderation/new-members/")
    expect(page.get_by_text("Hello, I am new here and a little nervous.")).to_be_visible()
    check_layout(page, "bulk approval")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_javascript_every_decision_still_works(live_server, browser):
    base = live_server.url
    reported_item(topic=make_topic(title="Words worth keeping"), body="Words to keep.")
    waiting_item(topic=make_topic(title="Saying hello"), body="A newcomer's hello.")
    moderator = UserFactory(username="still_pine", email="pine@example.test", role=Role.MODERATOR)
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, base, moderator.email)
    page.goto(f"{base}/moderation/")
    page.get_by_role("link", name="Words worth keeping").click()
    # The sanction fields are there, saying what they are for.
    expect(page.get_by_role("group", name="Only for mute or suspend: for how long")).to_be_visible()
    expect(page.get_by_role("button", name="Keyboard shortcuts")).to_be_hidden()
    page.get_by_label("Keep (dismiss the reports)").check()
    page.get_by_role("button", name="Apply and open the next item").click()
    expect(
        page.get_by_text("Done: the post stays up and its reports are dismissed.")
    ).to_be_visible()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Apply and back to the queue").click()
    expect(page.get_by_text("The queue is clear")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting here.")).to_be_visible()
    assert ReviewItem.objects.open().count() == 0
