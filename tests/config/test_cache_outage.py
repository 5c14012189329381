"""With Redis down, the cache fails open: members still read and post, and nothing answers 500.

The test settings use an in-memory cache; these tests point the cache at a private, real
Redis (the production backend and options from config/settings/base.py) and then stop it.
"""

from __future__ import annotations

import pytest
from django.conf import settings as project_settings
from django.core.cache import cache

from forum.models import Post
from tests.factories import CategoryFactory, UserFactory, make_topic
from tests.harness import private_redis  # noqa: F401

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def redis_cache(settings, private_redis):  # noqa: F811
    settings.CACHES = {
        "default": {
            **_production_cache(),
            "LOCATION": private_redis.url,
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    return private_redis


def _production_cache() -> dict:
    # The same backend and options base.py uses when REDIS_URL is set.
    return {
        "BACKEND": "config.cache.FailOpenRedisCache",
        "KEY_PREFIX": "lantern-test",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
        },
    }


def test_base_settings_use_the_failing_open_backend(monkeypatch):
    # Guard the fixture above against drifting from the real settings.
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6399/0")
    reloaded = importlib.reload(base)
    try:
        configured = reloaded.CACHES["default"]
        assert configured["BACKEND"] == _production_cache()["BACKEND"]
        assert configured["OPTIONS"] == _production_cache()["OPTIONS"]
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(base)


def test_members_read_and_post_while_redis_is_down(client, redis_cache, caplog):
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Still here")
    client.force_login(member)
    pages = ["/", topic.category.get_absolute_url(), topic.get_absolute_url(), "/help-now/"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    cache.set("probe", 1)
    assert cache.get("probe") == 1, "the cache really is Redis before the outage"

    redis_cache.stop()
    for url in [*pages, "/guidelines/"]:
        assert client.get(url).status_code == 200, url
    response = client.post(f"/t/{topic.pk}/reply/", {"body": "Written while Redis was down."})
    assert response.status_code == 302
    assert Post.objects.filter(topic=topic, body="Written while Redis was down.").exists()
    assert "Written while Redis was down." in client.get(topic.get_absolute_url()).content.decode()
    assert project_settings.SESSION_ENGINE.endswith("cached_db")
