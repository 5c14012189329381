"""bench/search.py on a small forum: its SQL seeding writes what the large run measures
(unlisted topics and unpublished posts that searches must leave out) and it reports every query."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_search_benchmark_seeds_and_measures_a_small_forum():
    if connection.vendor != "postgresql":
        service_missing("bench/search.py needs DATABASE_URL=postgres://...")
    env = {
        **os.environ,
        "BENCH_SEARCH_POSTS": "3000",
        "BENCH_SEARCH_RUNS": "2",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search.py"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["posts"] == 3000
    assert len(report["queries"]) == 24  # twelve queries, in both orders
    assert report["relevance_p99_ms"] > 0 and report["related_p99_ms"] > 0
    unlisted = report["seeded"]
    # One topic in twenty-five is not listed, in each of the four ways a topic leaves the lists.
    assert unlisted["topics_not_listed"] == 3000 // 10 // 25
    assert set(unlisted["topic_statuses"]) == {"pending", "hidden", "removed", "deleted"}
    assert unlisted["posts_not_published"] > 0
