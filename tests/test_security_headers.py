"""Every response carries the strict Content-Security-Policy, and our pages need nothing looser."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_topic


def csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/guidelines/", "/help-now/", "/accounts/signup/", "/nope/"])
def test_strict_policy_on_every_response(client, url):
    policy = csp(client.get(url))
    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in str(policy) and "unsafe-eval" not in str(policy)


@pytest.mark.django_db
def test_pages_use_no_inline_script_or_style(member_client, member):
    topic = make_topic(author=member)
    urls = [
        "/",
        topic.get_absolute_url(),
        topic.category.get_absolute_url(),
        reverse("forum:new_topic", args=[topic.category.slug]),
        member.get_absolute_url(),
        reverse("accounts:edit_profile"),
        reverse("account_email"),
        reverse("account_change_password"),
    ]
    for url in urls:
        html = member_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "<style" not in html, url


@pytest.mark.django_db
def test_other_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_forms_carry_csrf_tokens(member_client, member):
    topic = make_topic(author=member)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    # Every POST form carries a token; a GET form (the header's search) never does, since its
    # fields end up in the address.
    forms = html.count('method="post"')
    assert forms > 0
    assert html.count('name="csrfmiddlewaretoken"') == forms
    assert html.count("<form") == forms + html.count('method="get"')


def test_passwords_use_argon2_and_at_least_ten_characters():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    lengths = [v.get("OPTIONS", {}).get("min_length") for v in base.AUTH_PASSWORD_VALIDATORS]
    assert 10 in lengths
