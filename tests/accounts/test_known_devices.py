"""Failed sign-ins: bounded per address and per account, and never locking the owner's browser out.

Test settings turn allauth's limits off; these tests turn on the production rates.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

import config.settings.base as base
from accounts import known_devices
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fresh_counts")]

PASSWORD = "a-long-test-password"
OWNER = "owner@example.test"
PRODUCTION_LIMITS = override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)


@pytest.fixture
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, login, password, address):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def refused(response) -> bool:
    return response.status_code == 200 and "paused sign-ins" in response.content.decode()


@PRODUCTION_LIMITS
def test_failures_from_many_addresses_never_lock_the_owners_browser_out(client):
    UserFactory(email=OWNER)
    # The owner signed in from this browser once before.
    assert sign_in(client, OWNER, PASSWORD, "192.0.2.10").status_code == 302
    assert known_devices.COOKIE_NAME in client.cookies
    client.post(reverse("account_logout"))

    # Someone else tries passwords from 40 addresses, more than the per-account limit.
    attacker = Client()
    outcomes = [sign_in(attacker, OWNER, f"guess-{n:04d}-xx", f"198.51.100.{n}") for n in range(40)]
    assert sum(refused(r) for r in outcomes) >= 10  # the account's limit bounds the attack

    # The owner's browser still gets in with the right password, from their own address.
    response = sign_in(client, OWNER, PASSWORD, "192.0.2.10")
    assert response.status_code == 302
    assert signed_in(client)


@PRODUCTION_LIMITS
def test_the_per_account_limit_still_bounds_a_browser_that_never_signed_in(client):
    UserFactory(email=OWNER)
    results = [sign_in(client, OWNER, f"guess-{n:04d}-xx", f"198.51.100.{n}") for n in range(31)]
    assert not any(refused(r) for r in results[:30])
    assert refused(results[30])
    # Even the right password is refused to an unknown browser while the limit lasts.
    assert refused(sign_in(client, OWNER, PASSWORD, "203.0.113.7"))
    assert not signed_in(client)


@PRODUCTION_LIMITS
def test_one_address_is_limited_tightly_whatever_accounts_it_tries(client):
    UserFactory(email=OWNER)
    results = [
        sign_in(client, f"n{n}@example.test", "wrong-password-x", "198.51.100.1") for n in range(11)
    ]
    assert not any(refused(r) for r in results[:10])
    assert refused(results[10])
    # Another address is not affected, and neither is the owner.
    assert sign_in(client, OWNER, PASSWORD, "198.51.100.2").status_code == 302


@PRODUCTION_LIMITS
def test_a_known_browser_is_still_limited_at_its_own_address(client):
    UserFactory(email=OWNER)
    assert sign_in(client, OWNER, PASSWORD, "192.0.2.10").status_code == 302
    client.post(reverse("account_logout"))
    results = [sign_in(client, OWNER, "wrong-password-x", "192.0.2.10") for _ in range(11)]
    assert refused(results[10])


@PRODUCTION_LIMITS
def test_the_refusal_reads_the_same_for_an_address_without_an_account(client):
    UserFactory(email=OWNER)
    for login in (OWNER, "nobody@example.test"):
        results = [sign_in(client, login, f"w-{n}-password", f"198.51.100.{n}") for n in range(31)]
        assert refused(results[30])


def test_the_cookie_is_signed_and_holds_no_address(client):
    UserFactory(email=OWNER)
    assert sign_in(client, OWNER, PASSWORD, "192.0.2.10").status_code == 302
    morsel = client.cookies[known_devices.COOKIE_NAME]
    assert "owner" not in morsel.value and "example" not in morsel.value
    assert morsel["httponly"]
    assert known_devices.recognises(_request_with(client), login=OWNER.upper())
    # A cookie made up for another account, unsigned, is not believed.
    client.cookies[known_devices.COOKIE_NAME] = known_devices.fingerprint("victim@example.test")
    assert not known_devices.recognises(_request_with(client), login="victim@example.test")


def _request_with(client):
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request
