"""Shared fixtures. REQUIRE_SERVICES=1 (CI) turns "service missing, skipping" into a failure."""

from __future__ import annotations

import importlib
import os
import shutil

import pytest

from tests.factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def service_missing(reason: str) -> None:
    """Skip locally, fail in CI: a missing service must never pass silently there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service not available: {reason}")
    pytest.skip(reason)


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def other_member(db):
    return UserFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def redis_url() -> str:
    """The real Redis from REDIS_URL, checked to answer."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        service_missing("REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        service_missing(f"Redis at {url} does not answer: {error}")
    return url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (its own browser download is not used)."""
    if not shutil.which(CHROMIUM):
        service_missing(f"{CHROMIUM} is not installed")
    # Playwright's sync API refuses to run inside an asyncio loop; live_server runs in a thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the rest of the session in another context, where Django's
    # context-local connections are new objects. Carry over the data serialized at database
    # setup, or serialized_rollback would silently restore nothing after an earlier
    # transactional test flushed the seeded rows (site, categories, guidelines).
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def moderation_log_flushable(request):
    """Lets a transactional test's closing flush empty the append-only moderation log.

    PostgreSQL flushes with TRUNCATE, which the log's row triggers leave alone; SQLite flushes
    with DELETE, which its trigger refuses, so the trigger steps aside for the flush only.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so flushed after this runs
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    migration = importlib.import_module("community.migrations.0004_moderation_log_append_only")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_REVERSE:
            cursor.execute(statement)
        # Rows that point at log rows go first (SQLite checks the foreign key at once).
        cursor.execute("DELETE FROM community_decisiontiming")
        cursor.execute("DELETE FROM community_moderationlog")
        for statement in migration.SQLITE_FORWARD:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached guidelines or sessions must not leak across."""
    from django.core.cache import cache

    cache.clear()
    yield
