"""Spirit seeded with the benchmark's data shape: one category, N topics, one long topic."""

from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from spirit.category.models import Category
from spirit.comment.models import Comment
from spirit.core.utils.markdown import Markdown
from spirit.topic.models import Topic
from spirit.user.models import UserProfile

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 1000
BODIES = [
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


class Command(BaseCommand):
    help = "Replace the benchmark data in Spirit's database."

    def add_arguments(self, parser):
        parser.add_argument("--topics", type=int, default=10_000)
        parser.add_argument("--long-posts", type=int, default=1_000)
        parser.add_argument("--members", type=int, default=200)

    @transaction.atomic
    def handle(self, *args, topics, long_posts, members, **options):
        User = get_user_model()
        Comment.objects.all().delete()
        Topic.objects.all().delete()
        Category.objects.filter(title="Benchmark stories").delete()
        User.objects.filter(username__startswith="bench_").delete()

        password = make_password("bench-password-2026", salt="lanternbenchsalt")
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench_{i:04d}",
                    email=f"member{i}@bench.lantern.test",
                    password=password,
                )
                for i in range(members)
            ]
        )
        # A profile seen just now from loopback: Spirit's middleware then has nothing to update.
        UserProfile.objects.bulk_create(
            [
                UserProfile(user=u, nickname=u.username, is_verified=True, last_ip="127.0.0.1")
                for u in users
            ]
        )
        category = Category.objects.create(
            title="Benchmark stories",
            slug="benchmark-stories",
            description="A large, generated category used to measure page speed.",
        )
        md = Markdown()
        rendered = [(b, md.render(b)) for b in BODIES]

        def body_for(n):
            source, html = rendered[n % len(rendered)]
            return source.replace("{n}", str(n)), html.replace("{n}", str(n))

        start = EPOCH - timedelta(minutes=topics + long_posts)
        long_last = start + timedelta(seconds=30 * (long_posts - 1))
        made = Topic.objects.bulk_create(
            [
                Topic(
                    user=users[i % members],
                    category=category,
                    title=f"Bench story {i:05d}: what helped this week",
                    slug=f"bench-story-{i:05d}-what-helped-this-week",
                    date=start + timedelta(minutes=i),
                    last_active=long_last if i == 0 else start + timedelta(minutes=i),
                    comment_count=long_posts if i == 0 else 1,
                )
                for i in range(topics)
            ],
            batch_size=BATCH,
        )
        comments = []
        for n, topic in enumerate(made):
            source, html = body_for(n)
            comments.append(
                Comment(
                    user=topic.user, topic=topic, comment=source, comment_html=html, date=topic.date
                )
            )
        for position in range(2, long_posts + 1):
            source, html = body_for(position)
            comments.append(
                Comment(
                    user=users[(position - 1) % members],
                    topic=made[0],
                    comment=source,
                    comment_html=html,
                    date=start + timedelta(seconds=30 * (position - 1)),
                )
            )
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        self.stdout.write(f"Spirit data ready: category {category.pk}, long topic {made[0].pk}")
