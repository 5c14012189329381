"""Fixtures shared by the community tests."""

from __future__ import annotations

import pytest

from accounts.models import Role
from tests.factories import UserFactory


@pytest.fixture
def moderator(db):
    return UserFactory(role=Role.MODERATOR)
