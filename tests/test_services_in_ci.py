"""CI must exercise the real stack, not the embedded default."""

import os

import pytest
from django.db import connection

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


@pytest.mark.django_db
@pytest.mark.skipif(not REQUIRE_SERVICES, reason="only meaningful with REQUIRE_SERVICES=1")
def test_ci_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.skipif(not REQUIRE_SERVICES, reason="only meaningful with REQUIRE_SERVICES=1")
def test_ci_has_redis(redis_url):
    assert redis_url.startswith("redis://")
