"""In-process micro-benchmarks against the benchmark database (config.settings.bench).

    python bench/micro.py   -> prints one JSON object

- publish: forum.services.create_topic with a 5 KB story (render, sanitize, save, commit).
- fan-out: forum.notifications.fan_out.fan_out_reply for a reply in a topic 5,000 members follow,
  when that function exists.

Everything written here is removed again, so the benchmark data set keeps its shape.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from config.celery_app import app as celery_app  # noqa: E402
from forum import services  # noqa: E402
from forum.models import Category, Post, Topic  # noqa: E402

PUBLISH_RUNS = int(os.environ.get("BENCH_PUBLISH_RUNS", "200"))
FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "5000"))
MICRO_CATEGORY = "bench-micro"
FOLLOWER_PREFIX = "bench_follower_"

# Tasks go to the broker as in production (an in-memory one here), not run inline: the
# numbers are what the request pays, not what a worker does later.
celery_app.conf.task_always_eager = False

PARAGRAPH = (
    "Some mornings I wake up and the first thing I notice is the quiet. It used to scare me, "
    "because quiet meant room for the old thoughts to come back. These days I try to **fill it "
    "gently**: a glass of water, a few minutes by the window, the list of three small things I "
    "want to do before noon. None of it is dramatic. That is the point. Recovery, for me, has "
    "been a long line of ordinary choices that add up to a life I want to stay in.\n\n"
)
STORY = (
    "### What the first year looked like\n\n"
    + PARAGRAPH * 6
    + "What helped me:\n\n- a walk, even a short one\n- *one thing that went okay* each day\n"
    "- the Thursday peer group\n\n> Progress, not perfection.\n\n"
    + PARAGRAPH * 6
    + "More at [the guidelines](/guidelines/). Thank you for reading.\n"
)[:5120]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _category() -> Category:
    category, _ = Category.objects.get_or_create(
        slug=MICRO_CATEGORY,
        defaults={"name": "Benchmark publishing", "description": "Micro-benchmark stories."},
    )
    return category


def _cleanup(category: Category) -> None:
    Post.objects.filter(topic__category=category).delete()
    Topic.objects.filter(category=category).delete()
    category.delete()
    User.objects.filter(username__startswith=FOLLOWER_PREFIX).delete()


def bench_publish(author: User, category: Category) -> dict:
    for _ in range(10):
        services.create_topic(author=author, category=category, title="Warm-up", body=STORY)
    timings = []
    for n in range(PUBLISH_RUNS):
        started = time.perf_counter()
        services.create_topic(author=author, category=category, title=f"Story {n}", body=STORY)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "runs": PUBLISH_RUNS,
        "bytes": len(STORY.encode()),
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(percentile(timings, 99), 2),
        "max_ms": round(max(timings), 2),
    }


def bench_fan_out(author: User, category: Category) -> dict:
    from forum.notifications import fan_out as notifications

    fan_out = getattr(notifications, "fan_out_reply", None)
    if fan_out is None:
        return {"available": False}
    from forum.models import TopicSubscription

    password = make_password(None)
    with transaction.atomic():
        followers = User.objects.bulk_create(
            [
                User(
                    username=f"{FOLLOWER_PREFIX}{i:05d}",
                    email=f"follower{i}@bench.lantern.test",
                    password=password,
                )
                for i in range(FOLLOWERS)
            ],
            batch_size=1000,
        )
        topic = services.create_topic(
            author=author, category=category, title="Followed story", body="Thank you all."
        )
        TopicSubscription.objects.bulk_create(
            [TopicSubscription(user=u, topic=topic) for u in followers], batch_size=1000
        )
    reply = services.create_reply(author=author, topic=topic, body=STORY)
    started = time.perf_counter()
    result = fan_out(post_id=reply.pk)
    elapsed = (time.perf_counter() - started) * 1000
    again_started = time.perf_counter()
    fan_out(post_id=reply.pk)
    again = (time.perf_counter() - again_started) * 1000
    return {
        "available": True,
        "followers": FOLLOWERS,
        "recipients": getattr(result, "recipients", None),
        "batches": getattr(result, "batches", None),
        "ms": round(elapsed, 1),
        "second_run_ms": round(again, 1),
    }


def main() -> None:
    author = User.objects.get(username="bench_0000")
    category = _category()
    try:
        out = {"publish": bench_publish(author, category)}
        try:
            out["fan_out"] = bench_fan_out(author, category)
        except Exception as error:  # the fan-out is still being built; report, don't stop
            out["fan_out"] = {"available": False, "error": f"{type(error).__name__}: {error}"}
    finally:
        _cleanup(category)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
