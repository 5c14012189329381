"""/help-now/ answers with Redis and the database down; other pages answer a kind 503.

The outage is real for Redis (the production django-redis cache pointed at a private Redis,
then stopped) and simulated for the database: every attempt to use the connection raises the
OperationalError a refused or terminated PostgreSQL connection raises.
"""

from __future__ import annotations

import pytest
from django.test import Client

from community.outage import STATIC_CRISIS_RESOURCES, crisis_page, server_error, unavailable_page
from forum.models import Post
from tests.factories import CategoryFactory, UserFactory, make_topic
from tests.harness import private_redis  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings, private_redis):  # noqa: F811
    # The backend and options config/settings/base.py uses when REDIS_URL is set
    # (tests/config/test_cache_outage.py checks they match).
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "lantern-outage-test",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
    return private_redis


def _signed_in_client(member) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


def _assert_crisis_resources(response) -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Need help now?</h1>" in html
    for resource in STATIC_CRISIS_RESOURCES:
        assert resource.name.replace("&", "&amp;") in html
    assert "988" in html and "116 123" in html


@pytest.mark.services
def test_help_now_renders_with_redis_and_the_database_down(redis_cache, database_down):
    member = UserFactory()
    signed_in = _signed_in_client(member)
    signed_out = Client(raise_request_exception=False)
    assert signed_in.get("/help-now/").status_code == 200
    assert signed_out.get("/help-now/").status_code == 200

    redis_cache.stop()
    database_down()
    for client in (signed_in, signed_out):
        _assert_crisis_resources(client.get("/help-now/"))


def test_help_now_renders_with_the_database_down(database_down):
    signed_in = _signed_in_client(UserFactory())
    signed_out = Client(raise_request_exception=False)
    database_down()
    for client in (signed_in, signed_out):
        _assert_crisis_resources(client.get("/help-now/"))


def test_other_pages_answer_a_kind_503_that_links_to_help_now(database_down):
    topic = make_topic(category=CategoryFactory(), title="A topic")
    member = UserFactory()
    signed_in = _signed_in_client(member)
    signed_out = Client(raise_request_exception=False)
    database_down()
    pages = {
        signed_in: ["/", "/guidelines/", topic.get_absolute_url(), "/notifications/"],
        signed_out: ["/", "/guidelines/", "/accounts/login/", "/accounts/signup/"],
    }
    for client, urls in pages.items():
        for url in urls:
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert 'href="/help-now/"' in html
            assert "Lantern will be back soon" in html
            assert "Traceback" not in html
    response = signed_in.post(f"/t/{topic.pk}/reply/", {"body": "Typed while it was down."})
    assert response.status_code == 503


def test_a_bug_still_answers_500_with_a_kind_page(rf):
    request = rf.get("/somewhere/")
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert 'href="/help-now/"' in response.content.decode()


def _a_bug_page(rf):
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        return server_error(rf.get("/somewhere/"))


def test_outage_pages_look_like_the_site_and_keep_help_a_tap_away(rf, database_down):
    database_down()
    # Rendered with the database refusing every connection: none of them may try.
    pages = {
        "crisis": crisis_page(),
        "unavailable": unavailable_page(),
        "bug": _a_bug_page(rf),
    }
    for name, response in pages.items():
        html = response.content.decode()
        assert '<a class="brand" href="/">' in html, name
        assert '<a class="help-now" href="/help-now/">Need help now?</a>' in html, name
        assert 'class="guidelines-banner"' in html, name
        assert '<a href="/guidelines/">Read the community guidelines</a>' in html, name
        # Tap to call and tap to text, as on the live /help-now/ page.
        assert '<a class="button tap" href="tel:988">Call 988</a>' in html, name
        assert 'href="sms:988">Text 988</a>' in html, name
        assert '<a class="button tap" href="tel:116123">Call 116 123</a>' in html, name
        for number in ("911", "999", "112"):
            assert f'href="tel:{number}">Call {number}</a>' in html, name
        assert "Text: Text 988" not in html, name
        assert "csrfmiddlewaretoken" not in html, name
    assert [r.status_code for r in pages.values()] == [200, 503, 500]


def test_outage_pages_run_no_query(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        crisis_page()
        unavailable_page()
        _a_bug_page(rf)


def test_help_now_answers_200_whatever_broke(rf):
    request = rf.get("/help-now/")
    try:
        raise ValueError("a bug in a layer the crisis page passes through")
    except ValueError:
        response = server_error(request)
    _assert_crisis_resources(response)


@pytest.mark.services
def test_sessions_banner_and_pages_stay_with_redis_down(redis_cache):
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Still here")
    client = Client()
    client.force_login(member)
    assert client.get("/").context["user"] == member

    # The session was written to Redis and the database; with Redis gone it is read from the
    # database and the member stays signed in.
    redis_cache.stop()
    for url in ["/", "/guidelines/", topic.get_absolute_url(), "/help-now/", "/notifications/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="guidelines-banner"' in html, url
        assert response.context["user"] == member, url
    response = client.post(f"/t/{topic.pk}/reply/", {"body": "Still signed in."})
    assert response.status_code == 302
    assert Post.objects.filter(author=member, body="Still signed in.").exists()
