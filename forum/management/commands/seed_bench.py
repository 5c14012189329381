"""Replace the benchmark data set (forum/management/bench_data/ holds its shape and loaders):
read the sizes, refuse the ones that cannot be built, time each step."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from forum import search
from forum.management.bench_data import copy_load, orm_load
from forum.management.bench_data.clearing import clear_data_set
from forum.management.bench_data.counters import set_category_counters
from forum.management.bench_data.rows import create_bench_category
from forum.management.bench_data.shape import (
    BENCH_CATEGORY_SLUG,
    SCALES,
    plan_topics,
    posts_by_member,
)
from forum.models import Category

_SIZE_OPTIONS = ("topics", "posts", "long_posts", "members", "category_topics")


class Command(BaseCommand):
    help = (
        "Replace the benchmark data set: --topics topics (--category-topics of them in the "
        "measured category, the rest spread over the other categories), --posts posts of which "
        "--long-posts are in one topic, written by --members verified members. --scale picks "
        "the defaults: small, or large (PostgreSQL only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--topics", type=int)
        parser.add_argument("--posts", type=int, help="total posts (default: one per topic)")
        parser.add_argument("--long-posts", type=int)
        parser.add_argument("--members", type=int)
        parser.add_argument(
            "--category-topics",
            type=int,
            help="topics in the measured category (default: all of them)",
        )

    def handle(self, *args: Any, scale: str, **options: Any) -> None:
        postgres = connection.vendor == "postgresql"
        if scale == "large" and not postgres:
            raise CommandError(
                "--scale large needs PostgreSQL (it loads a million posts with COPY). "
                "Set DATABASE_URL=postgres://... and run it again."
            )
        given = {key: options[key] for key in _SIZE_OPTIONS if options.get(key) is not None}
        sizes = dataclasses.replace(SCALES[scale], **given)
        topics, long_posts, members = sizes.topics, sizes.long_posts, sizes.members
        if topics < 1 or long_posts < 1 or members < 1:
            raise CommandError("--topics, --long-posts and --members must each be at least 1.")
        posts = sizes.posts if sizes.posts is not None else topics + long_posts - 1
        if posts < topics + long_posts - 1:
            raise CommandError(
                "--posts must be at least --topics + --long-posts - 1 "
                "(every topic has its opening post)."
            )
        # 0 means all of them, like leaving it out.
        category_topics = sizes.category_topics or topics
        if not 1 <= category_topics <= topics:
            raise CommandError("--category-topics must be between 1 and --topics.")

        started = time.perf_counter()
        self._steps: list[tuple[str, float]] = []
        self._step_started = started
        loaded: list[type[models.Model]]
        with transaction.atomic():
            clear_data_set()
            self._step("clear")
            others = list(
                Category.objects.exclude(slug=BENCH_CATEGORY_SLUG).order_by("position", "pk")
            )
            if category_topics < topics and not others:
                raise CommandError("Spreading topics needs at least one other category.")
            plan = plan_topics(
                topics=topics,
                posts=posts,
                long_posts=long_posts,
                members=members,
                category_topics=category_topics,
                other_categories=len(others),
            )
            written = posts_by_member(plan, members)
            categories = [create_bench_category(), *others]
            if postgres:
                user_ids = copy_load.load_members(written)
                self._step("members")
                loaded = copy_load.load_topics(plan, categories, user_ids, self._step)
            else:
                users = orm_load.load_members(written)
                self._step("members")
                loaded = orm_load.load_topics(plan, categories, users)
                self._step("bulk_create topics, posts, reactions")
                # bulk_create writes no search index: SQLite's FTS5 table in one statement.
                search.rebuild_index()
                self._step("search index")
            set_category_counters()
            self._step("counters")
        self._step("commit")
        # VACUUM cannot run inside a transaction (the tests run in one).
        if postgres and not connection.in_atomic_block:
            copy_load.vacuum(loaded)
            self._step("vacuum")
        seconds = time.perf_counter() - started
        self.stdout.write(
            "Steps: " + ", ".join(f"{name} {took:.1f} s" for name, took in self._steps)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Benchmark data ready in {seconds:.1f} s: {topics} topics "
                f"({category_topics} in /c/{BENCH_CATEGORY_SLUG}/), {posts} posts, "
                f"a {long_posts}-post topic, {members} members."
            )
        )

    def _step(self, name: str) -> None:
        """Record the time since the previous step under `name`."""
        now = time.perf_counter()
        self._steps.append((name, now - self._step_started))
        self._step_started = now
