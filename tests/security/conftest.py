"""The world is built once per module inside a transaction that is rolled back at the end (the
way Django's TestCase builds setUpTestData), and each test runs in a savepoint inside it, so a
request that writes is undone before the next one and nothing leaks into other modules."""

from __future__ import annotations

import pytest

from tests.security.world import build_world, built_once_and_rolled_back


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from built_once_and_rolled_back(django_db_blocker, build_world)
