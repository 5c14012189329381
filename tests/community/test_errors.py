"""Every error page keeps the way to help (community/errors.py, the muted banner).

config.settings.test runs with DEBUG off, as production does, so Django answers through the
project's handlers here exactly as it would live; the first test checks that.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import errors
from forum.models import Post, Topic
from forum.refusals import until
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic, mute

pytestmark = pytest.mark.django_db

HELP_NOW = '<a class="help-now" href="/help-now/">Need help now?</a>'
HELP_CARD = '<a class="button tap" href="/help-now/">Need help now?</a>'
BRAND = '<a class="brand" href="/">'
BANNER = 'class="guidelines-banner"'


def assert_error_page(response, status: int, heading: str) -> str:
    """The answer has `status` and the site's layout: brand, guidelines, help a tap away."""
    html = response.content.decode()
    assert response.status_code == status, html[:500]
    assert f"<h1>{heading}</h1>" in html
    assert BRAND in html
    assert BANNER in html
    assert HELP_NOW in html and HELP_CARD in html
    assert 'href="/guidelines/"' in html
    assert 'rel="stylesheet"' in html
    for bare in ("Django", "Traceback", "Forbidden", "Not Found", "Bad Request"):
        assert bare not in html, bare
    return html


def test_the_tests_run_as_production_does():
    assert django_settings.DEBUG is False


# --- 404 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_missing_page_answers_in_the_layout(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    html = assert_error_page(client.get("/no-such-page/"), 404, "We can't find that page")
    assert "Go to the forum's front page" in html


def test_the_404_never_echoes_what_was_asked(member_client):
    asked = "/t/999999/a-title-someone-typed/"
    html = member_client.get(asked).content.decode()
    assert "a-title-someone-typed" not in html
    assert "999999" not in html


def test_a_hidden_topic_answers_the_same_layout_as_a_missing_one(member_client, other_member):
    topic = make_topic(author=other_member, title="Only the moderators see this yet")
    Topic.objects.filter(pk=topic.pk).update(status="pending")
    html = assert_error_page(
        member_client.get(topic.get_absolute_url()), 404, "We can't find that page"
    )
    assert "Only the moderators see this yet" not in html


def test_the_404_costs_no_query_beyond_the_layout(member_client):
    member_client.get("/")  # warms the guidelines cache, as on a live site
    # /guidelines/ reads nothing of its own beyond the layout (its text is the cached banner's).
    with CaptureQueriesContext(connection) as layout:
        assert member_client.get("/guidelines/").status_code == 200
    with CaptureQueriesContext(connection) as missing:
        assert member_client.get("/no-such-page/").status_code == 404
    assert [q["sql"] for q in missing.captured_queries] == [
        q["sql"] for q in layout.captured_queries
    ]


def test_a_404_while_the_database_is_down_answers_the_kind_503(database_down):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    database_down()
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 503
    assert HELP_NOW in html and 'href="tel:988"' in html


# --- 403 --------------------------------------------------------------------------------------


def test_a_403_says_why_in_the_codes_own_words(member_client, other_member):
    post = make_reply(topic=make_topic(), author=other_member, body="Someone else's words.")
    response = member_client.get(reverse("forum:edit_post", args=[post.pk]))
    html = assert_error_page(response, 403, "You can't do that here")
    assert '<p class="lead notice">You can only edit your own posts.</p>' in html
    assert "Nothing has changed." in html
    assert f'href="{reverse("community:message_team")}"' in html
    assert "Someone else&#x27;s words." not in html and "Someone else's words." not in html


def test_the_403_reason_is_escaped(rf, member):
    request = rf.get("/")
    request.user = member
    response = errors.permission_denied(request, PermissionDenied("<b>not markup</b>"))
    html = response.content.decode()
    assert "&lt;b&gt;not markup&lt;/b&gt;" in html
    assert "<b>not markup</b>" not in html


def test_a_403_without_a_reason_still_helps(rf, member):
    request = rf.get("/")
    request.user = member
    html = errors.permission_denied(request, PermissionDenied()).content.decode()
    assert "<h1>You can't do that here</h1>" in html
    assert 'class="lead notice"' not in html
    assert HELP_CARD in html


# --- CSRF -------------------------------------------------------------------------------------


def test_an_expired_form_says_how_to_keep_what_was_typed(member):
    topic = make_topic()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Typed with care."})
    html = assert_error_page(response, 403, "This form has expired")
    assert "nothing was saved or sent" in html
    assert "back button" in html and "Copy it somewhere safe" in html and "Reload the page" in html
    assert "cookies" in html
    assert "CSRF" not in html and "Referer" not in html
    # The reason Django gives is for developers; the member's words are not echoed either.
    assert "Typed with care." not in html
    assert not Post.objects.filter(body="Typed with care.").exists()


def test_an_expired_login_form_answers_a_visitor_in_the_layout():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.test", "password": "x"})
    assert_error_page(response, 403, "This form has expired")


# --- 400 and 429 ------------------------------------------------------------------------------


def test_a_request_for_another_host_answers_a_kind_400():
    response = Client(HTTP_HOST="not-lantern.example").get("/")
    html = assert_error_page(response, 400, "We couldn't read that request")
    assert "nothing happened" in html


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_too_many_sign_ups_answer_a_kind_429_in_the_layout():
    client = Client()
    client.post(reverse("account_signup"), {}, REMOTE_ADDR="198.51.100.9")
    response = client.post(reverse("account_signup"), {}, REMOTE_ADDR="198.51.100.9")
    html = assert_error_page(response, 429, "Please wait a moment")
    assert "Nothing has changed on your account." in html


# --- the muted banner and the paused page ------------------------------------------------------


def test_a_muted_member_sees_until_when_and_their_own_decision_on_every_page(client, member):
    log = mute(member)
    client.force_login(member)
    decision = reverse("community:decision", args=[log.pk])
    for url in ["/", "/guidelines/", "/help-now/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert 'class="muted-banner"' in html, url
        assert f"Posting is paused for you</span> until {until(member)}." in html, url
        assert f'<a href="{decision}">Read why</a>' in html, url
    # The link opens the member's own decision.
    assert client.get(decision).status_code == 200


def test_the_banner_links_the_latest_mute(client, member):
    mute(member, hours=2)
    latest = mute(member, hours=48)
    client.force_login(member)
    html = client.get("/").content.decode()
    assert f'href="{reverse("community:decision", args=[latest.pk])}">Read why' in html


def test_nobody_else_sees_a_members_mute(client, member, moderator):
    log = mute(member)
    decision = reverse("community:decision", args=[log.pk])
    for reader in (UserFactory(), moderator, None):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        html = client.get("/").content.decode()
        assert 'class="muted-banner"' not in html
        assert decision not in html


def test_the_banner_goes_when_the_mute_ends(client, member):
    mute(member)
    type(member).objects.filter(pk=member.pk).update(
        muted_until=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(member)
    assert 'class="muted-banner"' not in client.get("/").content.decode()


def test_a_page_costs_a_member_who_is_not_muted_nothing_more(client, member, settings):
    client.force_login(member)
    client.get("/")  # warms the guidelines cache
    with CaptureQueriesContext(connection) as with_banner:
        client.get("/")
    engine, *others = django_settings.TEMPLATES
    processors = engine["OPTIONS"]["context_processors"]
    assert "community.context_processors.muted" in processors
    options = {
        **engine["OPTIONS"],
        "context_processors": [p for p in processors if p != "community.context_processors.muted"],
    }
    settings.TEMPLATES = [{**engine, "OPTIONS": options}, *others]
    with CaptureQueriesContext(connection) as without_banner:
        client.get("/")
    assert len(with_banner) == len(without_banner)


def test_a_muted_member_opening_new_topic_reads_until_when_and_why(client, member):
    log = mute(member)
    category = CategoryFactory()
    client.force_login(member)
    response = client.get(reverse("forum:new_topic", args=[category.slug]))
    html = assert_error_page(response, 403, "Posting is paused for you")
    assert f"paused for you until {until(member)}" in html
    decision = reverse("community:decision", args=[log.pk])
    assert f'<a href="{decision}">Read why</a>' in html  # the banner
    assert f'<a href="{decision}">Read the moderators\' message</a>' in html
    assert f'href="{category.get_absolute_url()}">Back to the category</a>' in html
