"""The limit's data: 10,000 rows behind one index, and the benchmark member."""

from datetime import UTC, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from limit.models import Story

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class Command(BaseCommand):
    help = "Replace the limit project's rows."

    def add_arguments(self, parser):
        parser.add_argument("--topics", type=int, default=10_000)

    @transaction.atomic
    def handle(self, *args, topics, **options):
        Story.objects.all().delete()
        User.objects.filter(username="bench_0000").delete()
        User.objects.create(
            username="bench_0000",
            password=make_password("bench-password-2026", salt="lanternbenchsalt"),
        )
        Story.objects.bulk_create(
            [
                Story(
                    title=f"Bench story {i:05d}: what helped this week",
                    author=f"bench_{i % 200:04d}",
                    last_activity_at=EPOCH - timedelta(minutes=topics - i),
                )
                for i in range(topics)
            ],
            batch_size=1000,
        )
