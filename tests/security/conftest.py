"""The world is built once per module inside a transaction that is rolled back at the end (the
way Django's TestCase builds setUpTestData), and each test runs in a savepoint inside it, so a
request that writes is undone before the next one and nothing leaks into other modules."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.security.world import build_world, snapshot


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            built.baseline = snapshot()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
