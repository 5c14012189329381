"""Report, review, explain: a member reports a post and a moderator hides it, in Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from forum.services import create_reply, create_topic
from tests.e2e.pages import log_in
from tests.factories import CategoryFactory, UserFactory

EXPLANATION = "Please share what helped you rather than telling others what they did wrong."


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_is_reviewed_hidden_and_explained(live_server, browser):
    base = live_server.url
    starter = UserFactory(username="quiet_river", email="river@example.test")
    author = UserFactory(username="sharp_words", email="author@example.test")
    reporter = UserFactory(username="kind_eye", email="reporter@example.test")
    moderator = UserFactory(username="steady_oak", email="oak@example.test")
    call_command("set_role", moderator.username, "moderator")
    topic = create_topic(
        author=starter,
        category=CategoryFactory(name="Asking for help"),
        title="Slipped up this weekend",
        body="I had a bad weekend and used again. Feeling ashamed.",
    )
    create_reply(author=author, topic=topic, body="Honestly you only have yourself to blame.")

    # The reporter reports the unkind reply.
    member = browser.new_context().new_page()
    log_in(member, base, reporter.email)
    member.goto(f"{base}{topic.get_absolute_url()}")
    unkind = member.get_by_role("article").filter(has_text="only have yourself to blame")
    unkind.get_by_role("link", name="Report").click()
    expect(member.get_by_role("heading", name="Report a post")).to_be_visible()
    member.get_by_label("Unsupportive or harmful").check()
    member.get_by_label("Anything moderators should know? (optional)").fill(
        "This is piling on someone who is struggling."
    )
    member.get_by_role("button", name="Send report").click()
    expect(member.get_by_text("Thank you for your report.")).to_be_visible()

    # The moderator finds it in the queue and hides it with a reason.
    mod = browser.new_context().new_page()
    log_in(mod, base, moderator.email)
    mod.get_by_role("link", name="Moderation").click()
    expect(mod.get_by_role("heading", name="Review queue")).to_be_visible()
    mod.get_by_role("link", name="Slipped up this weekend").click()
    expect(mod.get_by_text("This is piling on someone who is struggling.")).to_be_visible()
    mod.get_by_role("button", name="Claim this item").click()
    expect(mod.get_by_text("You claimed this item.")).to_be_visible()
    mod.get_by_label("Hide", exact=True).check()
    mod.get_by_label("Reason", exact=True).select_option(
        label="Strengths, not shortcomings: judging or piling on (guideline 4)"
    )
    mod.get_by_label("Explanation for the member").fill(EXPLANATION)
    mod.get_by_role("button", name="Apply and open the next item").click()
    expect(mod.get_by_text("Done: the post is hidden. It is logged.")).to_be_visible()
    mod.get_by_role("link", name="Moderation log").click()
    expect(mod.get_by_role("cell", name=EXPLANATION)).to_be_visible()

    # The author is told why, naming the guideline, and how to ask for a review.
    writer = browser.new_context().new_page()
    log_in(writer, base, author.email)
    writer.get_by_role("link", name="Notifications").click()
    expect(writer.get_by_text(EXPLANATION)).to_be_visible()
    writer.get_by_role("button", name="A message from the moderators").click()
    expect(writer.get_by_text("Guideline concerned:")).to_be_visible()
    expect(writer.get_by_role("heading", name="Ask for a review")).to_be_visible()
    expect(writer.get_by_text("kind_eye")).to_have_count(0)

    # The reporter gets the closure note; the reply is hidden for them.
    member.goto(f"{base}/")
    member.get_by_role("link", name="Notifications").click()
    expect(member.get_by_text("Thank you, we reviewed your report.")).to_be_visible()
    member.goto(f"{base}{topic.get_absolute_url()}")
    expect(member.get_by_text("This post is hidden while moderators take a look.")).to_be_visible()
    expect(member.get_by_text("only have yourself to blame")).to_have_count(0)
