"""Reporting and the moderator's workspace through the client: happy paths and every denial."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from community import services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReportReason,
    ReviewItem,
    ReviewStatus,
    Sanction,
)
from forum.models import Notification, NotificationKind, Post
from tests.factories import UserFactory, established_member, make_reply, make_topic
from tests.pages import without_csrf

CRISIS_TEXT = "Tonight I just want to end my life."


@pytest.fixture
def scene(db, moderator, django_capture_on_commit_callbacks):
    """A reported reply with an open review item and an active mute on its author."""
    topic = make_topic()
    post = make_reply(topic=topic, body="Words someone reported.")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_post(reporter=UserFactory(), post=post, reason=ReportReason.UNSUPPORTIVE)
    sanction = Sanction.objects.create(
        user=post.author,
        kind="mute",
        ends_at=timezone.now() + timedelta(days=1),
        created_by=moderator,
    )
    return {"post": post, "item": ReviewItem.objects.get(post=post), "sanction": sanction}


def snapshot(scene) -> tuple:
    post = Post.objects.get(pk=scene["post"].pk)
    item = ReviewItem.objects.get(pk=scene["item"].pk)
    sanction = Sanction.objects.get(pk=scene["sanction"].pk)
    return (
        post.status,
        post.body,
        post.topic.is_locked,
        item.status,
        item.claimed_by_id,
        sanction.lifted_at,
        ModerationLog.objects.count(),
    )


DECISION = {
    "reason": ModerationReason.JUDGING,
    "explanation": "Please share what helped you instead.",
}
# (method, url name, which object's pk, POST data)
MODERATION_ENDPOINTS = [
    ("get", "community:queue", None, None),
    ("get", "community:review_item", "item", None),
    ("post", "community:claim_item", "item", {"claim": "1"}),
    ("post", "community:act_on_item", "item", {"action": "hide", **DECISION}),
    ("get", "community:edit_post", "item", None),
    ("post", "community:edit_post", "item", {"body": "Edited by a moderator.", **DECISION}),
    ("post", "community:lift_sanction", "sanction", DECISION),
    ("get", "community:log", None, None),
]
ROLES = ["anonymous", Role.MEMBER, Role.PEER_SPECIALIST, Role.MODERATOR]
MISSING_URL = "/no-such-page/"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "name", "target", "data"), MODERATION_ENDPOINTS)
def test_moderation_permissions(client, scene, role, method, name, target, data):
    url = reverse(name, kwargs={"pk": scene[target].pk} if target else None)
    if role != "anonymous":
        client.force_login(UserFactory(role=role))
    before = snapshot(scene)
    response = getattr(client, method)(url, data or {})
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        assert snapshot(scene) == before
    elif role in (Role.MEMBER, Role.PEER_SPECIALIST):
        # A moderation page answers a member exactly as a page that does not exist.
        assert response.status_code == 404
        assert without_csrf(response.content) == without_csrf(
            getattr(client, method)(MISSING_URL).content
        )
        assert snapshot(scene) == before
    else:
        assert response.status_code in (200, 302)
        if method == "post":
            assert response.status_code == 302, response.content.decode()[:2000]
            assert snapshot(scene) != before


def test_the_moderator_hide_action_logs_and_resolves(client, scene, moderator):
    client.force_login(moderator)
    url = reverse("community:act_on_item", kwargs={"pk": scene["item"].pk})
    response = client.post(url, {"action": "hide", **DECISION})
    assert response.status_code == 302
    log = ModerationLog.objects.get(actor=moderator)
    assert log.action == ModerationAction.HIDE
    assert ReviewItem.objects.get(pk=scene["item"].pk).status == ReviewStatus.RESOLVED


def test_an_action_without_a_reason_keeps_what_was_typed(client, scene, moderator):
    client.force_login(moderator)
    url = reverse("community:act_on_item", kwargs={"pk": scene["item"].pk})
    response = client.post(url, {"action": "hide", "explanation": "Typed with care."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "naming the guideline concerned" in page
    assert "Typed with care." in page
    assert not ModerationLog.objects.filter(actor=moderator).exists()


def test_a_mute_needs_a_duration(client, scene, moderator):
    client.force_login(moderator)
    url = reverse("community:act_on_item", kwargs={"pk": scene["item"].pk})
    response = client.post(url, {"action": "mute", **DECISION})
    assert "Please choose how long" in response.content.decode()
    response = client.post(url, {"action": "mute", "duration": "7d", **DECISION})
    assert response.status_code == 302
    author = scene["post"].author
    author.refresh_from_db()
    assert author.muted_until > timezone.now() + timedelta(days=6)


def test_the_queue_shows_items_and_filters(client, scene, moderator):
    client.force_login(moderator)
    page = client.get(reverse("community:queue")).content.decode()
    assert "Unsupportive or harmful" in page
    assert "Words someone reported." in page
    at_risk = client.get(reverse("community:queue") + "?show=at_risk").content.decode()
    assert "Words someone reported." not in at_risk


def test_the_item_page_shows_the_reports_and_history(client, scene, moderator):
    client.force_login(moderator)
    page = client.get(scene["item"].get_absolute_url()).content.decode()
    assert "Unsupportive or harmful" in page
    assert "Sanctions" in page and "Lift this sanction" in page
    assert 'name="action"' in page and "Explanation for the member" in page


def test_claiming_an_item_someone_else_claimed_is_refused(client, scene, moderator):
    services.claim_item(moderator=moderator, item=scene["item"])
    other = UserFactory(role=Role.MODERATOR)
    client.force_login(other)
    response = client.post(
        reverse("community:claim_item", kwargs={"pk": scene["item"].pk}),
        {"claim": "1"},
        follow=True,
    )
    assert (
        f"{moderator.public_name} is working on this item. Take it over first if you need to "
        "act on it." in response.content.decode()
    )
    assert ReviewItem.objects.get(pk=scene["item"].pk).claimed_by == moderator


def test_the_item_page_offers_release_only_to_whoever_claimed_it(client, scene, moderator):
    services.claim_item(moderator=moderator, item=scene["item"])
    client.force_login(moderator)
    mine = client.get(scene["item"].get_absolute_url()).content.decode()
    assert "You claimed this item." in mine and ">Release</button>" in mine
    assert "Claim this item" not in mine
    client.force_login(UserFactory(role=Role.MODERATOR))
    theirs = client.get(scene["item"].get_absolute_url()).content.decode()
    assert f"{moderator.public_name} is working on it." in theirs
    assert ">Release</button>" not in theirs and "Claim this item" not in theirs


def test_an_ended_sanction_offers_no_lift(client, scene, moderator):
    Sanction.objects.filter(pk=scene["sanction"].pk).update(lifted_at=timezone.now())
    client.force_login(moderator)
    page = client.get(scene["item"].get_absolute_url()).content.decode()
    assert "Sanctions" in page and "Lift this sanction" not in page


# --- two-factor authentication for moderators -----------------------------------------------


def test_moderators_need_totp_when_required(client, moderator, settings):
    settings.MODERATORS_REQUIRE_MFA = True
    client.force_login(moderator)
    response = client.get(reverse("community:queue"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    Authenticator.objects.create(
        user=moderator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert client.get(reverse("community:queue")).status_code == 200


def test_actions_are_refused_without_totp_when_required(client, scene, moderator, settings):
    settings.MODERATORS_REQUIRE_MFA = True
    client.force_login(moderator)
    before = snapshot(scene)
    url = reverse("community:act_on_item", kwargs={"pk": scene["item"].pk})
    assert client.post(url, {"action": "hide", **DECISION}).status_code == 403
    assert snapshot(scene) == before


def test_local_settings_do_not_require_totp(client, moderator, settings):
    settings.MODERATORS_REQUIRE_MFA = False
    client.force_login(moderator)
    assert client.get(reverse("community:queue")).status_code == 200


# --- reporting -------------------------------------------------------------------------------


def test_report_link_shows_on_other_members_posts_only(client, member):
    topic = make_topic(author=member)
    reply = make_reply(topic=topic)
    client.force_login(member)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert reverse("community:report_post", kwargs={"pk": reply.pk}) in page
    own = Post.objects.get(topic=topic, position=1)
    assert reverse("community:report_post", kwargs={"pk": own.pk}) not in page


def test_a_member_reports_a_post(member_client, member, django_capture_on_commit_callbacks):
    post = make_reply(topic=make_topic())
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    page = member_client.get(url).content.decode()
    assert "Why are you reporting this post?" in page
    assert "Someone may be at risk" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url, {"reason": "spam", "note": "A link to a shop."})
    assert response.status_code == 302
    report = Report.objects.get(reporter=member)
    assert (report.reason, report.note) == ("spam", "A link to a shop.")
    assert ReviewItem.objects.filter(post=post).exists()
    again = member_client.get(url).content.decode()
    assert "You already reported this post" in again
    member_client.post(url, {"reason": "other"})
    assert Report.objects.filter(reporter=member).count() == 1


def test_a_report_without_a_reason_keeps_the_note(member_client):
    post = make_reply(topic=make_topic())
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    response = member_client.post(url, {"note": "Something felt off."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please choose the reason" in page and "Something felt off." in page
    assert not Report.objects.exists()


def test_members_cannot_report_their_own_posts(member_client, member):
    topic = make_topic(author=member)
    own = Post.objects.get(topic=topic)
    url = reverse("community:report_post", kwargs={"pk": own.pk})
    assert member_client.get(url).status_code == 404
    assert member_client.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in_to_report(client, db):
    post = make_reply(topic=make_topic())
    response = client.get(reverse("community:report_post", kwargs={"pk": post.pk}))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_the_author_reads_the_decision_and_others_cannot(client, scene, moderator):
    log = services.act_on_item(
        moderator=moderator,
        item=scene["item"],
        action=ModerationAction.HIDE,
        **DECISION,
    )
    url = reverse("community:decision", kwargs={"pk": log.pk})
    client.force_login(scene["post"].author)
    page = client.get(url).content.decode()
    assert "Please share what helped you instead." in page
    assert "Guideline concerned" in page and "Ask for a review" in page
    # The reporter is never named to the author.
    reporter = Report.objects.get().reporter
    assert reporter.username not in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_the_reporter_sees_the_closure(client, scene, moderator):
    services.act_on_item(
        moderator=moderator, item=scene["item"], action=ModerationAction.KEEP, **DECISION
    )
    client.force_login(Report.objects.get().reporter)
    page = client.get(reverse("community:my_reports")).content.decode()
    assert "thank you, we reviewed your report" in page


# --- after posting: crisis panel and waiting posts ---------------------------------------------


def test_crisis_language_shows_the_author_the_help_panel_on_later_visits_too(member_client):
    topic = make_topic()
    response = member_client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT}, follow=True
    )
    page = response.content.decode()
    assert "Thank you for telling us how you are" in page
    assert "988 Suicide &amp; Crisis Lifeline" in page
    assert CRISIS_TEXT in page  # still published: never silenced
    again = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Thank you for telling us how you are" in again  # tests/forum/test_crisis_panel.py


def test_an_ordinary_post_shows_no_panel(member_client):
    topic = make_topic()
    response = member_client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": "A good day."}, follow=True
    )
    assert "Thank you for telling us how you are" not in response.content.decode()


def test_a_new_members_topic_waits_and_only_they_see_it(client, db):
    newcomer = UserFactory(approved_post_count=0)
    client.force_login(newcomer)
    category = make_topic().category
    response = client.post(
        reverse("forum:new_topic", kwargs={"slug": category.slug}),
        {"title": "Hello", "body": "My first words here."},
        follow=True,
    )
    page = response.content.decode()
    assert "wait for a moderator" in page
    assert "Waiting for a moderator" in page
    topic_url = response.redirect_chain[-1][0]
    client.force_login(UserFactory())
    assert client.get(topic_url).status_code == 404


def test_the_moderation_link_is_for_moderators(client, moderator, member):
    client.force_login(member)
    assert reverse("community:queue") not in client.get("/").content.decode()
    client.force_login(moderator)
    assert reverse("community:queue") in client.get("/").content.decode()


# --- what a reader may not see answers like what does not exist ---------------------------------

HUGE_PK = 10**30


def _not_found_body(client, name: str, method: str = "get") -> bytes:
    """The body a missing id answers with, to compare hidden things against."""
    response = getattr(client, method)(reverse(name, kwargs={"pk": HUGE_PK}))
    assert response.status_code == 404
    return without_csrf(response.content)


def _removed_reply(moderator) -> Post:
    post = make_reply(topic=make_topic())
    item = services.review_new_post(post_id=post.pk) or ReviewItem.objects.create(post=post)
    services.act_on_item(moderator=moderator, item=item, action=ModerationAction.REMOVE, **DECISION)
    return Post.objects.get(pk=post.pk)


def _hidden_by_a_moderator(moderator) -> Post:
    post = make_reply(topic=make_topic())
    item = ReviewItem.objects.create(post=post)
    services.act_on_item(moderator=moderator, item=item, action=ModerationAction.HIDE, **DECISION)
    return Post.objects.get(pk=post.pk)


def _pending_first_post() -> Post:
    topic = make_topic(author=UserFactory(approved_post_count=0))
    return Post.objects.get(topic=topic)


def _pending_reply() -> Post:
    return make_reply(topic=make_topic(), author=UserFactory(approved_post_count=0))


@pytest.mark.parametrize(
    "unseen", ["pending first post", "pending reply", "removed", "hidden by a moderator"]
)
def test_reporting_a_post_the_reader_never_saw_answers_like_a_missing_one(
    member_client, moderator, unseen
):
    post = {
        "pending first post": _pending_first_post,
        "pending reply": _pending_reply,
        "removed": lambda: _removed_reply(moderator),
        "hidden by a moderator": lambda: _hidden_by_a_moderator(moderator),
    }[unseen]()
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    for method in ("get", "post"):
        response = getattr(member_client, method)(url, {"reason": "spam"})
        assert response.status_code == 404
        assert without_csrf(response.content) == _not_found_body(
            member_client, "community:report_post", method
        )
    assert not Report.objects.filter(post=post).exists()


def test_a_decision_about_someone_else_answers_like_a_missing_one(client, scene, moderator):
    log = services.act_on_item(
        moderator=moderator, item=scene["item"], action=ModerationAction.HIDE, **DECISION
    )
    url = reverse("community:decision", kwargs={"pk": log.pk})
    client.force_login(UserFactory())
    for method in ("get", "post"):
        response = getattr(client, method)(url, {"note": "Please look again."})
        assert response.status_code == 404
        assert without_csrf(response.content) == _not_found_body(
            client, "community:decision", method
        )
    assert not Report.objects.filter(reason=ReportReason.APPEAL).exists()


PK_ROUTES = [
    ("get", "community:report_post"),
    ("post", "community:report_post"),
    ("get", "community:decision"),
    ("post", "community:decision"),
    ("get", "community:review_item"),
    ("post", "community:claim_item"),
    ("post", "community:act_on_item"),
    ("get", "community:edit_post"),
    ("post", "community:edit_post"),
    ("post", "community:lift_sanction"),
]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
@pytest.mark.parametrize(("method", "name"), PK_ROUTES)
def test_huge_ids_answer_not_found(client, db, role, method, name):
    client.force_login(UserFactory(role=role))
    for pk in (HUGE_PK, 2**63, 2**31):
        url = reverse(name, kwargs={"pk": pk})
        assert getattr(client, method)(url, {"reason": "spam"}).status_code == 404


@pytest.mark.parametrize("back", ["99999999999999999999999999", "²", "-1", "x"])
def test_lifting_with_an_odd_way_back_still_lifts_and_goes_to_the_log(
    client, scene, moderator, back
):
    client.force_login(moderator)
    url = reverse("community:lift_sanction", kwargs={"pk": scene["sanction"].pk})
    response = client.post(url, {**DECISION, "item": back})
    assert response.status_code == 302 and response.url == reverse("community:log")
    assert Sanction.objects.get(pk=scene["sanction"].pk).lifted_at is not None


def test_moderators_without_totp_still_get_a_clear_message(client, scene, moderator, settings):
    settings.MODERATORS_REQUIRE_MFA = True
    client.force_login(moderator)
    response = client.get(scene["item"].get_absolute_url(), follow=True)
    assert "Moderation pages need two-factor authentication" in response.content.decode()


# --- how often, and who, may report ---------------------------------------------------------------


@pytest.fixture
def report_limit(settings):
    """Two reports per ten minutes for everyone, counted from a clean cache."""
    from django.core.cache import cache

    cache.clear()
    settings.MEMBER_RATE_LIMITS = {"report": ("2/10m", "2/10m")}
    yield
    cache.clear()


def test_reports_over_the_limit_are_paused_and_keep_what_was_typed(
    member_client, member, report_limit
):
    topic = make_topic()
    posts = [make_reply(topic=topic) for _ in range(3)]
    for post in posts[:2]:
        url = reverse("community:report_post", kwargs={"pk": post.pk})
        assert member_client.post(url, {"reason": "spam"}).status_code == 302
    url = reverse("community:report_post", kwargs={"pk": posts[2].pk})
    response = member_client.post(url, {"reason": "at_risk", "note": "They said goodbye."})
    assert response.status_code == 429
    page = response.content.decode()
    assert "You have sent several reports in a short time" in page
    assert "They said goodbye." in page
    assert re.search(r'<input[^>]*value="at_risk"[^>]*checked', page)
    assert not Report.objects.filter(post=posts[2]).exists()
    # The daily cap is still there behind it.
    assert Report.objects.filter(reporter=member).count() == 2


def test_opening_the_report_form_does_not_count(member_client, report_limit):
    post = make_reply(topic=make_topic())
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    for _ in range(3):
        assert member_client.get(url).status_code == 200
    assert member_client.post(url, {"reason": "spam"}).status_code == 302


def test_a_muted_member_may_still_report(client, db, django_capture_on_commit_callbacks):
    muted = UserFactory(muted_until=timezone.now() + timedelta(days=1))
    client.force_login(muted)
    post = make_reply(topic=make_topic())
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "unsupportive", "note": "Harsh words."})
    assert response.status_code == 302
    assert Report.objects.get(reporter=muted).review_item == ReviewItem.objects.get(post=post)


def test_a_suspended_member_cannot_report(client, db):
    suspended = UserFactory(suspended_until=timezone.now() + timedelta(days=1))
    client.force_login(suspended)
    post = make_reply(topic=make_topic())
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302 and response.url == reverse("accounts:paused")
    assert not Report.objects.exists()


# --- reporters who arrive after the post was hidden by reports ---------------------------------

ALREADY_LOOKING = "Thank you. Moderators are already looking at this post."


def _report_as(client, reporter, post, reason) -> str:
    client.force_login(reporter)
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    response = client.post(url, {"reason": reason}, follow=True)
    assert response.status_code == 200, response.redirect_chain
    return response.content.decode()


def test_a_burst_of_twenty_reporters_is_all_recorded_in_one_item_with_one_alert(
    client, moderator, django_capture_on_commit_callbacks
):
    post = make_reply(topic=make_topic())
    reporters = [established_member() for _ in range(20)]
    thanked_as_already_looking = 0
    for number, reporter in enumerate(reporters):
        # Every other member says someone may be at risk; the others' reports hide the post.
        reason = ReportReason.AT_RISK if number % 2 else ReportReason.UNSUPPORTIVE
        hidden_before = Post.objects.get(pk=post.pk).status == "hidden"
        with django_capture_on_commit_callbacks(execute=True):
            page = _report_as(client, reporter, post, reason)
        if hidden_before:
            assert ALREADY_LOOKING in page
            thanked_as_already_looking += 1
        else:
            assert "Thank you for your report." in page
    assert thanked_as_already_looking == 15
    item = ReviewItem.objects.get(post=post)
    assert Report.objects.filter(post=post).count() == 20
    assert Report.objects.filter(post=post, review_item=item).count() == 20
    assert item.report_count == 20 and item.at_risk and item.alert_count == 1
    assert ModerationLog.objects.filter(post=post, action=ModerationAction.AUTO_HIDE).count() == 1
    alerts = Notification.objects.filter(recipient=moderator, kind=NotificationKind.URGENT_ALERT)
    assert alerts.count() == 1


def test_a_post_hidden_by_reports_shows_its_report_form_to_members_who_could_see_it(
    client, db, django_capture_on_commit_callbacks
):
    post = make_reply(topic=make_topic())
    earlier = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.report_post(reporter=established_member(), post=post, reason=ReportReason.SPAM)
    assert Post.objects.get(pk=post.pk).status == "hidden"
    client.force_login(earlier)
    url = reverse("community:report_post", kwargs={"pk": post.pk})
    page = client.get(url).content.decode()
    assert "Why are you reporting this post?" in page
    assert post.topic.get_absolute_url() in page
    # Someone who joined after it was hidden never saw it: for them it does not exist.
    newcomer = UserFactory(date_joined=timezone.now() + timedelta(seconds=1))
    client.force_login(newcomer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.filter(reporter=newcomer).exists()


# serialized_rollback: the flush afterwards must not drop the seeded rows later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_members_reporting_at_once_through_the_site_are_all_recorded(moderator):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    post = make_reply(topic=make_topic())
    reporters = [established_member() for _ in range(20)]
    barrier = threading.Barrier(len(reporters))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(number: int, reporter) -> None:
        try:
            client = Client()
            client.force_login(reporter)
            reason = ReportReason.AT_RISK if number % 2 else ReportReason.UNSUPPORTIVE
            url = reverse("community:report_post", kwargs={"pk": post.pk})
            barrier.wait()
            statuses.append(client.post(url, {"reason": reason}).status_code)
        except BaseException as error:  # surfaced below with the thread's own traceback
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(reporters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert statuses == [302] * 20
    item = ReviewItem.objects.get(post=post)
    assert Report.objects.filter(post=post, review_item=item).count() == 20
    assert item.report_count == 20 and item.at_risk and item.alert_count == 1
    assert ModerationLog.objects.filter(post=post, action=ModerationAction.AUTO_HIDE).count() == 1
    alerts = Notification.objects.filter(recipient=moderator, kind=NotificationKind.URGENT_ALERT)
    assert alerts.count() == 1


# --- the moderator reads where the post stands, in the words its author reads -------------------


def test_a_new_members_crisis_post_waits_at_the_top_and_the_item_page_says_why(
    client, moderator, django_capture_on_commit_callbacks
):
    from django.utils.html import escape

    from forum.situation import WORDS, Situation

    older = make_reply(topic=make_topic(), body="Words someone reported.")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            services.report_post(
                reporter=UserFactory(), post=older, reason=ReportReason.PRIVATE_DETAILS
            )
        newcomer = UserFactory(approved_post_count=0)
        post = make_reply(topic=make_topic(), author=newcomer, body=CRISIS_TEXT)
    item = ReviewItem.objects.get(post=post)
    assert post.status == "pending" and item.at_risk
    assert ReviewItem.objects.open().by_priority().first() == item

    client.force_login(moderator)
    page = client.get(item.get_absolute_url()).content.decode()
    assert escape(WORDS[Situation.WAITING_CRISIS].moderator) in page
    assert "stays published" not in page
    assert "In the queue because of: crisis language; first posts." in page
    queue = client.get(reverse("community:queue")).content.decode()
    assert "Crisis language; First posts" in queue


# --- taking over an item another moderator claimed ---------------------------------------------


def test_taking_over_is_a_post_that_moves_the_claim_and_says_it_is_logged(client, scene, moderator):
    services.claim_item(moderator=moderator, item=scene["item"])
    other = UserFactory(role=Role.MODERATOR)
    client.force_login(other)
    url = reverse("community:take_over_item", kwargs={"pk": scene["item"].pk})
    assert client.get(url).status_code == 405
    assert ReviewItem.objects.get(pk=scene["item"].pk).claimed_by == moderator
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == scene["item"].get_absolute_url()
    assert "The hand-over is in the moderation log." in response.content.decode()
    assert ReviewItem.objects.get(pk=scene["item"].pk).claimed_by == other
    log = ModerationLog.objects.get(action=ModerationAction.TAKE_OVER)
    assert (log.actor, log.target_user) == (other, moderator)


def test_the_take_over_form_is_shown_only_when_the_flag_says_so(rf, scene, moderator):
    services.claim_item(moderator=moderator, item=scene["item"])
    item = ReviewItem.objects.select_related("claimed_by").get(pk=scene["item"].pk)
    request = rf.get("/")
    shown = render_to_string(
        "community/moderation/_take_over.html",
        {"item": item, "can_take_over": True},
        request=request,
    )
    assert reverse("community:take_over_item", kwargs={"pk": item.pk}) in shown
    assert ">Take over this item</button>" in shown
    assert f"Only {moderator.public_name} can act on it" in shown
    hidden = render_to_string(
        "community/moderation/_take_over.html",
        {"item": item, "can_take_over": False},
        request=request,
    )
    assert "Take over" not in hidden


def test_the_item_page_offers_a_take_over_not_a_decision_to_a_second_moderator(
    client, scene, moderator
):
    services.claim_item(moderator=moderator, item=scene["item"])
    client.force_login(UserFactory(role=Role.MODERATOR))
    page = client.get(scene["item"].get_absolute_url()).content.decode()
    assert ">Take over this item</button>" in page
    assert (
        f"{moderator.public_name} is working on this item. Take it over first if you need to "
        "act on it."
    ) in page
    assert "Apply and open the next item" not in page

    client.force_login(moderator)
    page = client.get(scene["item"].get_absolute_url()).content.decode()
    assert "Take over this item" not in page
    assert "Apply and open the next item" in page


def test_the_item_page_about_a_moderators_own_post_says_another_will_decide(client, moderator):
    post = make_reply(topic=make_topic(), author=moderator)
    item = ReviewItem.objects.create(post=post)
    client.force_login(moderator)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "This item is about your own post, so another moderator will decide on it." in page
    assert "Apply and open the next item" not in page


# --- the queue and the item page, "apply and open the next item" (issue 12) -----------------

from community.models import DutyRota  # noqa: E402
from forum import services as forum_services  # noqa: E402
from tests.community.queue_helpers import reported_item, waiting_item  # noqa: E402


def act_url(item) -> str:
    return reverse("community:act_on_item", kwargs={"pk": item.pk})


def test_a_queue_row_names_topic_category_author_and_local_time(client, moderator):
    DutyRota.objects.create(moderator=moderator, time_zone="Asia/Tokyo")
    topic = make_topic(title="Three weeks without a drink")
    item = waiting_item(topic=topic)
    client.force_login(moderator)
    page = client.get(reverse("community:queue")).content.decode()
    assert "Three weeks without a drink" in page
    assert topic.category.name in page
    assert item.post.author.public_name in page
    assert '<span class="badge">New member</span>' in page
    assert "Waiting since (Asia/Tokyo)" in page
    local = timezone.localtime(item.opened_at, ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%H:%M") in page
    assert f"{item.get_absolute_url()}?show=all" in page


def test_the_queue_page_takes_the_same_queries_for_5_and_50_items(client, moderator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(moderator)
    # The first page of a session fills caches (the guidelines banner); count from the second.
    client.get(reverse("community:queue"))
    counts = []
    for total in (5, 50):
        while ReviewItem.objects.open().count() < total:
            waiting_item()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("community:queue")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("locked", "offered", "not_offered"), [(False, "lock", "unlock"), (True, "unlock", "lock")]
)
def test_the_item_page_offers_the_lock_the_topic_does_not_have(
    client, moderator, locked, offered, not_offered
):
    item = reported_item()
    forum_services.set_topic_locked(topic=item.post.topic, locked=locked)
    client.force_login(moderator)
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'value="{offered}"' in page
    assert f'value="{not_offered}"' not in page
    # Posting the missing one is refused and changes nothing.
    logs = ModerationLog.objects.count()
    response = client.post(act_url(item), {"action": not_offered, **DECISION})
    assert response.status_code == 200
    assert ModerationLog.objects.count() == logs
    item.post.topic.refresh_from_db()
    assert item.post.topic.is_locked is locked


def test_the_item_page_folds_history_and_labels_the_sanction_fields(client, moderator):
    item = reported_item()
    client.force_login(moderator)
    page = client.get(item.get_absolute_url()).content.decode()
    assert '<details class="fold" id="history">' in page
    assert "Only for mute or suspend: for how long" in page
    assert "Apply and open the next item" in page
    assert "Apply and back to the queue" in page
    # Arriving from elsewhere the page starts at the top; from the queue, at the decision.
    assert "autofocus" not in page
    from_queue = client.get(item.get_absolute_url() + "?show=reported").content.decode()
    assert re.search(
        r'<input type="radio" name="action" value="\w+" id="[\w-]+" autofocus', from_queue
    )
    assert '<input type="hidden" name="show" value="reported">' in from_queue


def test_a_waiting_posts_page_offers_no_sanction_time_when_none_applies(client, moderator):
    # Approve, reject, hide... and mute: the fieldset is there but says it is only for those.
    item = waiting_item()
    client.force_login(moderator)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'value="approve"' in page
    assert 'value="keep"' not in page


def test_apply_opens_the_next_item_of_the_same_filter(client, moderator):
    first, second = waiting_item(), waiting_item()
    reported_item()
    client.force_login(moderator)
    response = client.post(act_url(first), {"action": "approve", "show": "pending", "then": "next"})
    assert response.status_code == 302
    assert response["Location"] == f"{second.get_absolute_url()}?show=pending"
    first.refresh_from_db()
    assert first.status == ReviewStatus.RESOLVED
    log = ModerationLog.objects.get(review_item=first)
    assert (log.action, log.explanation) == (ModerationAction.APPROVE, "")
    page = client.get(response["Location"]).content.decode()
    assert "Done: the post is approved and published. It is logged. This is the next item." in page


def test_the_last_item_leads_back_to_a_clear_queue(client, moderator):
    only = waiting_item()
    client.force_login(moderator)
    response = client.post(act_url(only), {"action": "approve", "show": "pending"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("community:queue") + "?show=pending"
    assert "The queue is clear" in response.content.decode()


def test_apply_and_back_to_the_queue(client, moderator):
    first = reported_item()
    reported_item()
    client.force_login(moderator)
    response = client.post(act_url(first), {"action": "keep", "then": "queue", "show": "all"})
    assert response["Location"] == reverse("community:queue") + "?show=all"
    page = client.get(response["Location"]).content.decode()
    assert "Done: the post stays up and its reports are dismissed. It is logged." in page
    assert "The queue is clear" not in page


def test_next_skips_items_another_moderator_claimed(client, moderator):
    first, theirs, free = waiting_item(), waiting_item(), waiting_item()
    services.claim_item(moderator=UserFactory(role=Role.MODERATOR), item=theirs)
    client.force_login(moderator)
    response = client.post(act_url(first), {"action": "approve", "show": "all"})
    assert response["Location"].startswith(free.get_absolute_url())


def test_an_unknown_filter_is_carried_as_all(client, moderator):
    first, second = waiting_item(), waiting_item()
    client.force_login(moderator)
    response = client.post(act_url(first), {"action": "approve", "show": "<script>"})
    assert response["Location"] == f"{second.get_absolute_url()}?show=all"


def test_hiding_with_a_template_shows_the_words_before_sending(client, moderator):
    from community.models import ExplanationTemplate

    ExplanationTemplate.objects.update_or_create(
        action="hide", reason="advice", defaults={"text": "Please share your own experience."}
    )
    item = reported_item()
    client.force_login(moderator)
    response = client.post(act_url(item), {"action": "hide", "reason": "advice"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please share your own experience.</textarea>" in page
    assert not ModerationLog.objects.filter(review_item=item).exists()


def test_a_mute_until_a_local_time_is_stored_in_utc(client, moderator):
    DutyRota.objects.create(moderator=moderator, time_zone="Australia/Sydney")
    item = reported_item()
    zone = ZoneInfo("Australia/Sydney")
    wall = (timezone.now() + timedelta(days=2)).astimezone(zone).replace(second=0, microsecond=0)
    client.force_login(moderator)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Until (your time, Australia/Sydney)" in page
    client.post(
        act_url(item),
        {
            "action": "mute",
            "duration": "custom",
            "until": wall.strftime("%Y-%m-%dT%H:%M"),
            **DECISION,
        },
    )
    log = ModerationLog.objects.get(review_item=item)
    assert log.until == wall


def test_the_log_shows_times_in_the_moderators_zone(client, moderator):
    DutyRota.objects.create(moderator=moderator, time_zone="Pacific/Auckland")
    item = reported_item()
    services.act_on_item(
        moderator=moderator, item=item, action="keep", reason="within_guidelines", explanation=""
    )
    client.force_login(moderator)
    page = client.get(reverse("community:log")).content.decode()
    entry = ModerationLog.objects.get(review_item=item)
    assert "When (Pacific/Auckland)" in page
    assert (
        timezone.localtime(entry.created_at, ZoneInfo("Pacific/Auckland")).strftime("%H:%M") in page
    )
    assert 'data-label="Explanation"' in page
