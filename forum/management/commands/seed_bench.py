"""The benchmark data set: one category, many topics, one very long topic, a crowd of members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from forum import rendering
from forum.models import Category, Post, Topic

BENCH_CATEGORY_SLUG = "bench"
BENCH_USERNAME_PREFIX = "bench_"
BENCH_EMAIL_DOMAIN = "bench.lantern.test"
BENCH_PASSWORD = "bench-password-2026"
# A fixed salt keeps the data set byte-for-byte repeatable (and hashes the password once).
_PASSWORD_SALT = "lanternbenchsalt"
# Everything happens in the past relative to a fixed instant, so two runs match exactly.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 1000

# A handful of bodies, rendered once and reused: sanitizing 11,000 posts one by one would
# spend a minute proving nothing the rendering tests don't already prove.
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


class Command(BaseCommand):
    help = (
        "Replace the benchmark data set: one category with --topics topics, the first of which "
        "has --long-posts posts, written by --members verified members."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--topics", type=int, default=10_000)
        parser.add_argument("--long-posts", type=int, default=1_000)
        parser.add_argument("--members", type=int, default=200)

    def handle(self, *args, topics: int, long_posts: int, members: int, **options) -> None:
        if topics < 1 or long_posts < 1 or members < 1:
            raise CommandError("--topics, --long-posts and --members must each be at least 1.")
        with transaction.atomic():
            self._clear()
            users = self._members(members)
            category = self._category()
            self._topics(category, users, topics=topics, long_posts=long_posts)
        self.stdout.write(
            self.style.SUCCESS(
                f"Benchmark data ready: {topics} topics, a {long_posts}-post topic, "
                f"{members} members in /c/{BENCH_CATEGORY_SLUG}/."
            )
        )

    def _clear(self) -> None:
        """Remove an earlier benchmark data set, so the command can run again."""
        Post.objects.filter(topic__category__slug=BENCH_CATEGORY_SLUG).delete()
        Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).delete()
        Category.objects.filter(slug=BENCH_CATEGORY_SLUG).delete()
        bench_users = User.objects.filter(username__startswith=BENCH_USERNAME_PREFIX)
        # Members of the data set may have written elsewhere (a benchmark publishes stories).
        Post.objects.filter(author__in=bench_users).delete()
        Topic.objects.filter(author__in=bench_users).delete()
        bench_users.delete()

    def _members(self, count: int) -> list[User]:
        password = make_password(BENCH_PASSWORD, salt=_PASSWORD_SALT)
        joined = EPOCH - timedelta(days=365)
        users = User.objects.bulk_create(
            [
                User(
                    username=bench_username(i),
                    email=bench_email(i),
                    password=password,
                    guidelines_version=1,
                    guidelines_accepted_at=joined,
                    date_joined=joined,
                    approved_post_count=10,
                )
                for i in range(count)
            ],
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

    def _topics(
        self, category: Category, users: list[User], *, topics: int, long_posts: int
    ) -> None:
        rendered = [(body, rendering.render_markdown(body)) for body in _BODIES]

        def body_for(n: int) -> tuple[str, str]:
            source, html = rendered[n % len(rendered)]
            return source.replace("{n}", str(n)), html.replace("{n}", str(n))

        # Topic 0 is the long one; the others start a minute apart, so the list order is fixed.
        start = EPOCH - timedelta(minutes=topics + long_posts)
        long_replies = long_posts - 1
        long_last_author = users[(long_posts - 1) % len(users)]
        long_last_at = start + timedelta(seconds=30 * (long_posts - 1))
        rows = []
        for i in range(topics):
            created = start + timedelta(minutes=i) if i else start
            author = users[i % len(users)]
            is_long = i == 0
            rows.append(
                Topic(
                    category=category,
                    author=author,
                    title=f"Bench story {i:05d}: what helped this week",
                    created_at=created,
                    last_activity_at=long_last_at if is_long else created,
                    last_poster=long_last_author if is_long else author,
                    reply_count=long_replies if is_long else 0,
                    last_position=long_posts if is_long else 1,
                )
            )
        made = Topic.objects.bulk_create(rows, batch_size=BATCH)

        posts = []
        for n, topic in enumerate(made):
            source, html = body_for(n)
            posts.append(
                Post(
                    topic=topic,
                    author=topic.author,
                    position=1,
                    body=source,
                    body_html=html,
                    created_at=topic.created_at,
                )
            )
        long_topic = made[0]
        for position in range(2, long_posts + 1):
            source, html = body_for(position)
            posts.append(
                Post(
                    topic=long_topic,
                    author=users[(position - 1) % len(users)],
                    position=position,
                    body=source,
                    body_html=html,
                    created_at=start + timedelta(seconds=30 * (position - 1)),
                )
            )
        Post.objects.bulk_create(posts, batch_size=BATCH)

        Category.objects.filter(pk=category.pk).update(
            topic_count=topics,
            post_count=topics + long_replies,
            last_activity_at=max(t.last_activity_at for t in made),
        )
