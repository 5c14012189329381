"""Fixtures shared by the community tests."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from accounts.models import Role
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(role=Role.MODERATOR)


@pytest.fixture
def database_down(monkeypatch):
    """From now on, every use of the database fails as when PostgreSQL is unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (simulated outage)")

    def go_down() -> None:
        monkeypatch.setattr(connection, "ensure_connection", refuse)
        monkeypatch.setattr(connection, "close_if_health_check_failed", refuse)

    return go_down
