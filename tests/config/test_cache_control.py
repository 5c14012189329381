"""Every response to a signed-in member says `Cache-Control: private, no-store` (issue 10.9)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.cache import patch_cache_control

from config.cache_control import PrivatePagesMiddleware
from tests.factories import CategoryFactory, make_reply, make_topic


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part}


def route_names(patterns=None, namespace: str = "") -> list[str]:
    """Every named route in the URLconf, with its namespace."""
    names: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


def pages_without_arguments() -> list[str]:
    urls = []
    for name in route_names():
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # needs arguments: the pages below cover those
    return sorted(set(urls))


@pytest.mark.django_db
def test_every_page_without_arguments_is_private_for_a_member(member_client):
    urls = pages_without_arguments()
    assert len(urls) > 20, urls
    for url in urls:
        response = member_client.get(url)
        assert {"private", "no-store"} <= cache_control(response), (url, response.status_code)
        assert "public" not in cache_control(response), url


@pytest.mark.django_db
def test_topic_post_profile_and_error_pages_are_private_for_a_member(member_client, member):
    topic = make_topic(author=member, category=CategoryFactory())
    reply = make_reply(topic=topic, author=member)
    urls = [
        topic.get_absolute_url(),
        topic.category.get_absolute_url(),
        reverse("forum:reply", args=[topic.pk]),
        reverse("forum:edit_post", args=[reply.pk]),
        reverse("forum:post_history", args=[reply.pk]),
        reverse("forum:post", args=[reply.pk]),  # a redirect to its position
        reverse("accounts:profile", args=[member.username]),
        "/t/999999/",  # not found
    ]
    for url in urls:
        response = member_client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert {"private", "no-store"} <= cache_control(response), url


@pytest.mark.django_db
def test_a_page_behind_login_answers_an_anonymous_visitor_privately_too(client):
    response = client.get(reverse("forum:notifications"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_keep_their_caching(client):
    for url in ("/", reverse("community:crisis"), reverse("community:guidelines")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in cache_control(response), url


def test_private_wins_over_a_view_that_asked_for_public_caching(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    class Member:
        is_authenticated = True

    def view(_request):
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=600)
        return response

    request = rf.get("/")
    request.user = Member()
    headers = cache_control(PrivatePagesMiddleware(view)(request))
    assert {"private", "no-store"} <= headers and "public" not in headers

    anonymous = rf.get("/")
    anonymous.user = AnonymousUser()
    assert "public" in cache_control(PrivatePagesMiddleware(view)(anonymous))
