"""Guessing the two-factor code is bounded like guessing the password.

Someone who has the password still has to get past the second step, and six digits take at most
a million tries: allauth counts wrong codes under the same `login_failed` rates as wrong
passwords (docs/security.md, "Failed sign-ins"). Test settings turn allauth's limits off; these
tests turn on the production rates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

import config.settings.base as base
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fresh_counts")]

PASSWORD = "a-long-test-password"
SECRET = "JBSWY3DPEHPK3PXP"
PAUSED = "paused sign-ins"


@pytest.fixture
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def keeper():
    user = UserFactory(role="admin", is_staff=True, email="keeper@example.test")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": SECRET})
    return user


def code_now(*, off_by: int = 0) -> str:
    """The code an authenticator app shows now (RFC 6238), or a wrong one when off_by."""
    digest = hmac.new(
        base64.b32decode(SECRET), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{(code + off_by) % 1_000_000:06d}"


def at_second_step(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        reverse("account_login"), {"login": "keeper@example.test", "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    return client


def send_code(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


@override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)
def test_wrong_codes_from_one_address_are_paused_after_ten(keeper):
    client = at_second_step("203.0.113.9")
    for _ in range(10):
        response = send_code(client, code_now(off_by=1))
        assert response.status_code == 200 and PAUSED not in response.content.decode()
    response = send_code(client, code_now())
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)
def test_wrong_codes_spread_over_addresses_are_bounded_per_account(keeper):
    for n in range(3):
        client = at_second_step(f"203.0.113.{n + 20}")
        for _ in range(10):
            send_code(client, code_now(off_by=1))
    client = at_second_step("198.51.100.5")
    response = send_code(client, code_now())
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)
def test_the_right_code_after_a_few_wrong_ones_signs_in(keeper):
    client = at_second_step("192.0.2.10")
    for _ in range(3):
        send_code(client, code_now(off_by=1))
    response = send_code(client, code_now())
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(keeper.pk)
