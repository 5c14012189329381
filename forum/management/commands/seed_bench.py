"""The benchmark data set: the measured category, a very long topic, a crowd of members.

Two sizes (`--scale`):

- small (the default): one category with 10,000 topics, the first of which has 1,000 posts,
  every other topic one opening post; 200 members.
- large (PostgreSQL only): 100,000 topics and 1,000,000 posts by 50,000 members. The measured
  category holds 40,000 topics (the long topic among them), the other 60,000 are spread over
  the forum's other categories; besides the long topic, replies are spread unevenly over the
  topics (most have a few, some have dozens).

On PostgreSQL rows are loaded with COPY (secondary indexes and constraints are dropped first
and rebuilt after, then the tables are vacuumed and analyzed); elsewhere with bulk_create.
Every denormalized counter is set from the data: post positions, Topic.reply_count,
last_position, last_activity_at, last_poster; Category.topic_count, post_count,
last_activity_at; User.approved_post_count; and the per-kind encouragement counts on Post when
the model has them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, Max, Sum

from accounts.models import User
from forum import rendering
from forum.models import Category, Post, Reaction, ReactionKind, Status, Topic

BENCH_CATEGORY_SLUG = "bench"
BENCH_USERNAME_PREFIX = "bench_"
BENCH_EMAIL_DOMAIN = "bench.lantern.test"
BENCH_PASSWORD = "bench-password-2026"
# A fixed salt keeps the data set byte-for-byte repeatable (and hashes the password once).
_PASSWORD_SALT = "lanternbenchsalt"
# Everything happens at fixed instants, so two runs match exactly.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 1000

SCALES = {
    "small": {
        "topics": 10_000,
        "posts": None,  # every topic but the long one is its opening post alone
        "long_posts": 1_000,
        "members": 200,
        "category_topics": None,  # all of them
    },
    "large": {
        "topics": 100_000,
        "posts": 1_000_000,
        "long_posts": 1_000,
        "members": 50_000,
        "category_topics": 40_000,
    },
}

# Replies (beyond the long topic) are spread over topics by these weights, in turn: most
# topics get a few, some dozens, as in a real forum.
_REPLY_WEIGHTS = (0, 1, 0, 2, 1, 0, 3, 1, 0, 5, 1, 2, 0, 8, 1, 0, 2, 13, 1, 0, 3, 1, 0, 21)
LONG_TOPIC_REPLY_GAP = timedelta(seconds=30)
REPLY_GAP = timedelta(minutes=13)
# Authors of replies in ordinary topics step through the crowd by a prime, so a thread has
# many voices and every member writes about as often.
_AUTHOR_STRIDE = 7919
KINDS = [kind.value for kind in ReactionKind]

# A handful of bodies, rendered once and reused: sanitizing a million posts one by one would
# spend hours proving nothing the rendering tests don't already prove.
_BODIES = [
    "Day {n}. I went for a short walk this morning and it helped more than I expected.",
    "Some days are heavier than others. Today I **asked for help**, and that was enough.\n\n"
    "- called my sponsor\n- ate a real lunch\n- wrote this post",
    "> Progress, not perfection.\n\nI keep coming back to that line. It carried me through "
    "a rough week at work.",
    "Thank you all for being here. Reading your stories at night makes the quiet easier.",
    "Week {n} of the new routine. *Small steps* still count as steps.",
    "I noticed an old habit creeping back and I named it out loud. Naming it took its power.",
    "What helped me was writing one thing that went okay each evening. Tonight: I cooked.",
    "Checking in. Not a great day, not a terrible one. Still here, still trying.",
]


def bench_email(index: int) -> str:
    return f"member{index}@{BENCH_EMAIL_DOMAIN}"


def bench_username(index: int) -> str:
    return f"{BENCH_USERNAME_PREFIX}{index:04d}"


def reactions_for(n: int) -> list[tuple[int, str]]:
    """The encouragement post number `n` (0-based, in writing order) receives, as
    (member index, kind) pairs: none, one, two or three, kinds all different."""
    count = (n * 7) % 9
    if count > 3:
        return []
    return [((n * 31 + j * 101), KINDS[(n + j) % len(KINDS)]) for j in range(count)]


def count_field(kind: str) -> str | None:
    """The Post field that counts `kind`, when the model has it (added alongside this seeder)."""
    name = f"{kind}_count"
    try:
        Post._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return name


def reply_lengths(topics: int, posts: int, long_posts: int) -> list[int]:
    """Posts per topic: topic 0 has `long_posts`, the rest share what is left, each at least
    its opening post, extra replies spread by _REPLY_WEIGHTS with exact rounding."""
    extra = posts - long_posts - (topics - 1)
    lengths = [long_posts] + [1] * (topics - 1)
    if extra <= 0 or topics == 1:
        return lengths
    weights = [_REPLY_WEIGHTS[i % len(_REPLY_WEIGHTS)] for i in range(1, topics)]
    total = sum(weights) or 1
    running = 0
    given = 0
    for i, weight in enumerate(weights, start=1):
        running += weight
        upto = extra * running // total
        lengths[i] += upto - given
        given = upto
    return lengths


@dataclass(frozen=True)
class PlannedTopic:
    index: int
    category: int  # 0: the measured category; k: the k-th other category
    author: int
    created_at: datetime
    length: int
    stride: int
    gap: timedelta

    def post_author(self, position: int, members: int) -> int:
        return (self.author + (position - 1) * self.stride) % members

    def post_time(self, position: int) -> datetime:
        return self.created_at + self.gap * (position - 1)


class Command(BaseCommand):
    help = (
        "Replace the benchmark data set: --topics topics (--category-topics of them in the "
        "measured category, the rest spread over the other categories), --posts posts of which "
        "--long-posts are in one topic, written by --members verified members. --scale picks "
        "the defaults: small, or large (PostgreSQL only)."
    )

    def add_arguments(self, parser) -> None:
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

    def handle(self, *args, scale: str, **options) -> None:
        postgres = connection.vendor == "postgresql"
        if scale == "large" and not postgres:
            raise CommandError(
                "--scale large needs PostgreSQL (it loads a million posts with COPY). "
                "Set DATABASE_URL=postgres://... and run it again."
            )
        sizes = {
            key: options.get(key) if options.get(key) is not None else default
            for key, default in SCALES[scale].items()
        }
        topics, long_posts, members = sizes["topics"], sizes["long_posts"], sizes["members"]
        if topics < 1 or long_posts < 1 or members < 1:
            raise CommandError("--topics, --long-posts and --members must each be at least 1.")
        posts = sizes["posts"] if sizes["posts"] is not None else topics + long_posts - 1
        if posts < topics + long_posts - 1:
            raise CommandError(
                "--posts must be at least --topics + --long-posts - 1 "
                "(every topic has its opening post)."
            )
        category_topics = sizes["category_topics"] or topics
        if not 1 <= category_topics <= topics:
            raise CommandError("--category-topics must be between 1 and --topics.")

        started = time.perf_counter()
        self._steps: list[tuple[str, float]] = []
        self._step_started = started
        with transaction.atomic():
            self._clear()
            self._step("clear")
            others = list(
                Category.objects.exclude(slug=BENCH_CATEGORY_SLUG).order_by("position", "pk")
            )
            if category_topics < topics and not others:
                raise CommandError("Spreading topics needs at least one other category.")
            plan = self._plan(topics, posts, long_posts, members, category_topics, len(others))
            written = self._posts_by_member(plan, members)
            categories = [self._category(), *others]
            if postgres:
                user_ids = self._members_with_copy(written)
                self._step("members")
                loaded = self._load_with_copy(plan, categories, user_ids)
            else:
                users = self._members(written)
                self._step("members")
                loaded = self._load_with_bulk_create(plan, categories, users)
                self._step("bulk_create topics, posts, reactions")
            self._set_counters()
            self._step("counters")
        self._step("commit")
        # VACUUM cannot run inside a transaction (the tests run in one).
        if postgres and not connection.in_atomic_block:
            self._vacuum(loaded)
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
        now = time.perf_counter()
        self._steps.append((name, now - self._step_started))
        self._step_started = now

    # --- clearing and members ----------------------------------------------------------------

    def _clear(self) -> None:
        """Remove an earlier benchmark data set, so the command can run again."""
        Post.objects.filter(topic__category__slug=BENCH_CATEGORY_SLUG).delete()
        Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).delete()
        Category.objects.filter(slug=BENCH_CATEGORY_SLUG).delete()
        bench_users = User.objects.filter(username__startswith=BENCH_USERNAME_PREFIX)
        # Members of the data set may have written elsewhere: spread topics, published stories.
        Post.objects.filter(topic__author__in=bench_users).delete()
        Post.objects.filter(author__in=bench_users).delete()
        Topic.objects.filter(author__in=bench_users).delete()
        bench_users.delete()

    @staticmethod
    def _posts_by_member(plan: list[PlannedTopic], members: int) -> list[int]:
        """How many (published) posts each member writes: their approved_post_count."""
        written = [0] * members
        for topic in plan:
            for position in range(1, topic.length + 1):
                written[topic.post_author(position, members)] += 1
        return written

    @staticmethod
    def _member_values(i: int, password: str, written: int) -> dict:
        joined = EPOCH - timedelta(days=365)
        return {
            "username": bench_username(i),
            "email": bench_email(i),
            "password": password,
            "guidelines_version": 1,
            "guidelines_accepted_at": joined,
            "date_joined": joined,
            "approved_post_count": written,
        }

    def _members(self, written: list[int]) -> list[User]:
        password = make_password(BENCH_PASSWORD, salt=_PASSWORD_SALT)
        users = User.objects.bulk_create(
            [User(**self._member_values(i, password, n)) for i, n in enumerate(written)],
            batch_size=BATCH,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
            batch_size=BATCH,
        )
        return users

    def _category(self) -> Category:
        return Category.objects.create(
            name="Benchmark stories",
            slug=BENCH_CATEGORY_SLUG,
            description="A large, generated category used to measure page speed.",
            position=1000,
        )

    # --- the plan: what exists, independent of how it is written ------------------------------

    def _plan(
        self,
        topics: int,
        posts: int,
        long_posts: int,
        members: int,
        category_topics: int,
        other_categories: int,
    ) -> list[PlannedTopic]:
        lengths = reply_lengths(topics, posts, long_posts)
        longest_thread = max(lengths[1:], default=1)
        if longest_thread >= long_posts:
            # The benchmark finds the long topic as the longest one.
            raise CommandError(
                f"With these sizes another topic would have {longest_thread} posts; the long "
                "topic must stay the longest: raise --long-posts or lower --posts."
            )
        # Topic 0 is the long one; the others start a minute apart, so the list order is fixed.
        # Every post is written before EPOCH.
        start = EPOCH - timedelta(minutes=topics + long_posts) - REPLY_GAP * (longest_thread - 1)
        plan = []
        spread = 0
        for i in range(topics):
            # Topics of the measured category are spaced evenly through time: i is in it when
            # i * share crosses a whole number (exactly category_topics of them, topic 0 too).
            measured = (
                i == 0 or (i * category_topics) // topics > ((i - 1) * category_topics) // topics
            )
            if measured:
                category = 0
            else:
                category = 1 + spread % other_categories
                spread += 1
            plan.append(
                PlannedTopic(
                    index=i,
                    category=category,
                    author=i % members,
                    created_at=start + timedelta(minutes=i),
                    length=lengths[i],
                    stride=1 if i == 0 else _AUTHOR_STRIDE,
                    gap=LONG_TOPIC_REPLY_GAP if i == 0 else REPLY_GAP,
                )
            )
        return plan

    def _posts(self, plan: list[PlannedTopic], members: int) -> Iterator[tuple]:
        """(topic index, position, author index, body, html, created_at, n) for every post, in
        writing order; n numbers posts from 0 and picks their encouragement."""
        rendered = [(body, rendering.render_markdown(body)) for body in _BODIES]
        n = 0
        for topic in plan:
            for position in range(1, topic.length + 1):
                # Opening posts take the topic's number, replies their own, as before.
                k = topic.index if position == 1 else (position if topic.index == 0 else n)
                source, html = rendered[k % len(rendered)]
                label = str(k)
                yield (
                    topic.index,
                    position,
                    topic.post_author(position, members),
                    source.replace("{n}", label),
                    html.replace("{n}", label),
                    topic.post_time(position),
                    n,
                )
                n += 1

    @staticmethod
    def _topic_values(topic: PlannedTopic, members: int) -> dict:
        last = topic.length
        return {
            "title": f"Bench story {topic.index:05d}: what helped this week",
            "created_at": topic.created_at,
            "last_activity_at": topic.post_time(last),
            "reply_count": last - 1,
            "last_position": last,
            "status": Status.PUBLISHED.value,
            "last_poster_index": topic.post_author(last, members),
        }

    # --- writing: bulk_create (SQLite and other databases) -------------------------------------

    def _load_with_bulk_create(self, plan, categories, users) -> list[type[models.Model]]:
        members = len(users)
        rows = []
        for topic in plan:
            values = self._topic_values(topic, members)
            last_poster = users[values.pop("last_poster_index")]
            rows.append(
                Topic(
                    category=categories[topic.category],
                    author=users[topic.author],
                    last_poster=last_poster,
                    **values,
                )
            )
        made = Topic.objects.bulk_create(rows, batch_size=BATCH)
        counters = {kind: count_field(kind) for kind in KINDS}
        posts, encouragement = [], []
        for topic_index, position, author, body, html, created_at, n in self._posts(plan, members):
            sent = reactions_for(n)
            post = Post(
                topic=made[topic_index],
                author=users[author],
                position=position,
                body=body,
                body_html=html,
                created_at=created_at,
            )
            for _, kind in sent:
                if counters[kind]:
                    setattr(post, counters[kind], getattr(post, counters[kind]) + 1)
            posts.append(post)
            encouragement.append(sent)
        Post.objects.bulk_create(posts, batch_size=BATCH)
        Reaction.objects.bulk_create(
            [
                Reaction(
                    post=post,
                    user=users[member % members],
                    kind=kind,
                    created_at=post.created_at + timedelta(minutes=j + 1),
                )
                for post, sent in zip(posts, encouragement, strict=True)
                for j, (member, kind) in enumerate(sent)
            ],
            batch_size=BATCH,
        )
        return [Topic, Post, Reaction]

    # --- writing: COPY (PostgreSQL) -------------------------------------------------------------

    def _members_with_copy(self, written: list[int]) -> list[int]:
        password = make_password(BENCH_PASSWORD, salt=_PASSWORD_SALT)
        with connection.cursor() as cursor:
            user_base = self._next_id(User)
            address_base = self._next_id(EmailAddress)
            user_ids = [user_base + i for i in range(len(written))]
            given = ["id", *self._member_values(0, password, 0)]
            self._copy(
                cursor,
                User,
                given,
                (
                    (user_ids[i], *self._member_values(i, password, n).values())
                    for i, n in enumerate(written)
                ),
            )
            self._copy(
                cursor,
                EmailAddress,
                ["id", "user_id", "email", "verified", "primary"],
                (
                    (address_base + i, user_id, bench_email(i), True, True)
                    for i, user_id in enumerate(user_ids)
                ),
            )
            for statement in connection.ops.sequence_reset_sql(no_style(), [User, EmailAddress]):
                cursor.execute(statement)
        return user_ids

    def _load_with_copy(self, plan, categories, user_ids) -> list[type[models.Model]]:
        members = len(user_ids)
        category_ids = [c.pk for c in categories]
        tables = [Topic, Post, Reaction]
        with connection.cursor() as cursor:
            # Clearing queued foreign-key checks (deferred to commit); run them now, as a
            # table with pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            saved = self._drop_secondary(cursor, tables)
            topic_base = self._next_id(Topic)
            post_base = self._next_id(Post)
            reaction_base = self._next_id(Reaction)

            def topic_rows():
                for topic in plan:
                    values = self._topic_values(topic, members)
                    last_poster = user_ids[values.pop("last_poster_index")]
                    yield (
                        topic_base + topic.index,
                        category_ids[topic.category],
                        user_ids[topic.author],
                        last_poster,
                        *values.values(),
                    )

            self._step("drop indexes")
            sample = self._topic_values(plan[0], members)
            del sample["last_poster_index"]
            given = ["id", "category_id", "author_id", "last_poster_id", *sample]
            self._copy(cursor, Topic, given, topic_rows())
            self._step("copy topics")

            # The per-kind counts the Post model has (each kind at most once per post here).
            counted = [(kind, name) for kind in KINDS if (name := count_field(kind))]
            none_sent = (0,) * len(counted)
            sent_by_post: list[tuple[int, datetime, list]] = []
            published = Status.PUBLISHED.value

            def post_rows():
                for topic_index, position, author, body, html, created_at, n in self._posts(
                    plan, members
                ):
                    sent = reactions_for(n)
                    counts = none_sent
                    if sent:
                        sent_by_post.append((post_base + n, created_at, sent))
                        kinds = {kind for _, kind in sent}
                        counts = tuple(int(kind in kinds) for kind, _ in counted)
                    yield (
                        post_base + n,
                        topic_base + topic_index,
                        user_ids[author],
                        position,
                        body,
                        html,
                        published,
                        created_at,
                        *counts,
                    )

            given = ["id", "topic_id", "author_id", "position", "body", "body_html", "status"]
            given += ["created_at", *(name for _, name in counted)]
            self._copy(cursor, Post, given, post_rows())
            self._step("copy posts")

            def reaction_rows():
                next_id = reaction_base
                for post_id, created_at, sent in sent_by_post:
                    for j, (member, kind) in enumerate(sent):
                        yield (
                            next_id,
                            post_id,
                            user_ids[member % members],
                            kind,
                            created_at + timedelta(minutes=j + 1),
                        )
                        next_id += 1

            given = ["id", "post_id", "user_id", "kind", "created_at"]
            self._copy(cursor, Reaction, given, reaction_rows())
            self._step("copy reactions")
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)
            # Memory for this transaction only: index builds sort in memory instead of on
            # disk, and foreign-key checks hash-join instead of spilling.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            self._restore_secondary(cursor, saved)
            self._step("indexes and constraints")
        return tables

    @staticmethod
    def _next_id(model) -> int:
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    @staticmethod
    def _copy(cursor, model, given: list[str], rows: Iterable[tuple]) -> None:
        """COPY `rows` (values for the fields `given`, by attname, in that order) into
        `model`'s table. Every other concrete column gets its field's default: Django keeps
        defaults in Python, not in the database, so a field added to the model later (with a
        default) still loads."""
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(given) - set(by_name)
        if unknown:
            raise CommandError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        rest = [f for name, f in by_name.items() if name not in given]
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(by_name[name].column) for name in given)
        columns += "".join(f", {quote(f.column)}" for f in rest)
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + defaults)

    @staticmethod
    def _drop_secondary(cursor, tables) -> list[str]:
        """Drop foreign keys, unique constraints and indexes other than the primary key of
        `tables`, returning the statements that put them back exactly (loading a million rows
        and building each index once is many times faster than updating it per row)."""
        names = [m._meta.db_table for m in tables]
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
            "AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
            [names],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [names],
        )
        indexes = cursor.fetchall()
        restore = []
        for table, name, _definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(definition)
        # Indexes, then unique constraints, then foreign keys (checked in one pass each).
        for table, name, definition, _kind in constraints:
            restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        return restore

    @staticmethod
    def _restore_secondary(cursor, restore: list[str]) -> None:
        for statement in restore:
            cursor.execute(statement)

    def _vacuum(self, tables) -> None:
        """Set the visibility map and statistics now, so autovacuum does not wake up in the
        middle of a measurement and index-only scans work from the first request."""
        quote = connection.ops.quote_name
        names = [Topic, Post, Reaction, Category, User, EmailAddress, *tables]
        with connection.cursor() as cursor:
            for table in dict.fromkeys(m._meta.db_table for m in names):
                cursor.execute(f"VACUUM (ANALYZE) {quote(table)}")

    # --- counters that span tables --------------------------------------------------------------

    def _set_counters(self) -> None:
        """Category counters from their published topics (members' approved_post_count was
        counted from the plan as they were written)."""
        published = Topic.objects.filter(status=Status.PUBLISHED)
        totals = {
            row["category"]: row
            for row in published.values("category")
            .order_by()
            .annotate(topics=Count("id"), replies=Sum("reply_count"), last=Max("last_activity_at"))
        }
        for category in Category.objects.all():
            row = totals.get(category.pk)
            Category.objects.filter(pk=category.pk).update(
                topic_count=row["topics"] if row else 0,
                post_count=row["topics"] + row["replies"] if row else 0,
                last_activity_at=row["last"] if row else category.last_activity_at,
            )
