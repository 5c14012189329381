"""With Redis down, allauth's rate limits let members sign in instead of refusing everyone."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

import config.settings.base as base
from tests.factories import UserFactory
from tests.harness import private_redis  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def stopped_redis(settings, private_redis):  # noqa: F811
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": private_redis.url,
            "KEY_PREFIX": "lantern-test",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    private_redis.stop()
    return private_redis


def test_members_sign_in_while_redis_is_down(client, stopped_redis):
    UserFactory(email="river@example.test")
    started = time.monotonic()
    response = client.post(
        reverse("account_login"),
        {"login": "river@example.test", "password": "a-long-test-password"},
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    # No waiting on locks that can never be taken (allauth waits a second on each of the three
    # limits a sign-in counts, and then refuses); generous, for a busy machine.
    assert elapsed < 3.0


def test_a_wrong_password_is_still_answered_kindly_while_redis_is_down(client, stopped_redis):
    UserFactory(email="river@example.test")
    response = client.post(
        reverse("account_login"),
        {"login": "river@example.test", "password": "not-the-password"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_backend_still_reports_a_taken_key_when_redis_is_up(settings, private_redis):  # noqa: F811
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    assert cache.add("lock", 1) is True
    assert cache.add("lock", 1) is False
