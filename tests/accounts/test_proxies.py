"""Behind the reverse proxy, per-address limits count each client, and nobody else picks theirs."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

import config.settings.base as base
from accounts.proxies import is_trusted_proxy
from tests.factories import UserFactory

PROXY = "10.0.0.5"
BEHIND_A_PROXY = override_settings(
    ALLAUTH_TRUSTED_PROXY_COUNT=1,
    TRUSTED_PROXY_ADDRESSES=["10.0.0.0/24", "::1"],
    ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS,
)


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def client_ip(remote_addr: str, forwarded_for: str | None = None) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().post("/", REMOTE_ADDR=remote_addr, **headers)
    return get_adapter(request).get_client_ip(request)


@pytest.mark.parametrize(
    ("address", "trusted"),
    [("10.0.0.5", True), ("10.0.0.255", True), ("10.0.1.5", False), ("::1", True), ("", False)],
)
@BEHIND_A_PROXY
def test_only_the_configured_proxies_are_trusted(address, trusted):
    assert is_trusted_proxy(address) is trusted


@BEHIND_A_PROXY
def test_the_client_address_is_read_from_the_proxys_header():
    assert client_ip(PROXY, "203.0.113.9") == "203.0.113.9"
    # A client's own X-Forwarded-For entries come first; the proxy appends the real address.
    assert client_ip(PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert client_ip(PROXY) == PROXY


@BEHIND_A_PROXY
def test_a_client_that_bypasses_the_proxy_cannot_choose_its_address():
    assert client_ip("198.51.100.7", "203.0.113.9") == "198.51.100.7"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_ADDRESSES=[])
def test_without_a_proxy_forwarded_headers_are_ignored():
    assert client_ip("198.51.100.7", "203.0.113.9") == "198.51.100.7"


@pytest.mark.django_db
@BEHIND_A_PROXY
def test_behind_the_proxy_one_guessing_client_does_not_lock_out_the_others(client):
    UserFactory(email="owner@example.test")
    url = reverse("account_login")
    for n in range(11):
        client.post(
            url,
            {"login": f"n{n}@example.test", "password": "wrong-password-x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    refused = client.post(
        url,
        {"login": "n99@example.test", "password": "wrong-password-x"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert "paused sign-ins" in refused.content.decode()
    response = client.post(
        url,
        {"login": "owner@example.test", "password": "a-long-test-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.20",
    )
    assert response.status_code == 302
