"""No story left unanswered: which stories are still waiting for a first reply, who may see
the list, and how quickly stories are answered.

A story is the opening post of a topic in a category that holds stories
(`Category.holds_stories`). It waits while it is published and open and nobody but its author
has a published reply in it; once FIRST_REPLY_WAIT_HOURS have passed it is listed, oldest
first, for peer specialists, moderators and members who volunteer. Answering takes it off the
list by itself: the list is read from the posts, never kept beside them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import User
from forum.models import Post, Status, Topic

from .insights import duration_words
from .models import StoryTake

LIST_LIMIT = 50


def can_answer_waiting_stories(user: User) -> bool:
    """Peer specialists, moderators and volunteers, while they may publish."""
    if not user.is_authenticated or not user.is_active or user.has_sanction_in_force:
        return False
    return user.is_peer_specialist or user.is_moderator or user.first_reply_volunteer


def _answered() -> Exists:
    return Exists(
        Post.objects.filter(topic=OuterRef("pk"), status=Status.PUBLISHED).exclude(
            author_id=OuterRef("author_id")
        )
    )


def waiting_stories(*, reader: User, now: datetime | None = None) -> QuerySet[Topic]:
    """Stories `reader` may open that nobody but their author has answered after the wait,
    oldest first; never the reader's own."""
    now = now or timezone.now()
    due = now - timedelta(hours=settings.FIRST_REPLY_WAIT_HOURS)
    return (
        Topic.objects.visible_to(reader)
        .filter(
            category__holds_stories=True,
            status=Status.PUBLISHED,
            is_locked=False,
            created_at__lte=due,
        )
        .exclude(author=reader)
        .exclude(_answered())
        .select_related("category")
        .order_by("created_at", "pk")
    )


def count_waiting(*, now: datetime | None = None) -> int:
    """How many stories wait, whoever reads: for the daily count to volunteers."""
    now = now or timezone.now()
    due = now - timedelta(hours=settings.FIRST_REPLY_WAIT_HOURS)
    return (
        Topic.objects.filter(
            category__holds_stories=True,
            status=Status.PUBLISHED,
            is_locked=False,
            created_at__lte=due,
        )
        .exclude(_answered())
        .count()
    )


@dataclass(frozen=True)
class WaitingStory:
    topic: Topic
    waited: timedelta
    # "mine" (the reader is writing the reply), "taken" (another volunteer is), or "".
    taken: str

    @property
    def waited_words(self) -> str:
        return duration_words(self.waited.total_seconds() / 60)


def listing(*, reader: User, now: datetime | None = None) -> tuple[list[WaitingStory], int]:
    """The first LIST_LIMIT waiting stories with who is answering each, and how many wait."""
    now = now or timezone.now()
    stories = waiting_stories(reader=reader, now=now)
    total = stories.count()
    topics = list(stories[:LIST_LIMIT])
    takes = {
        take.topic_id: take
        for take in StoryTake.objects.filter(topic__in=[t.pk for t in topics], expires_at__gt=now)
    }
    rows = []
    for topic in topics:
        take = takes.get(topic.pk)
        taken = "" if take is None else ("mine" if take.volunteer_id == reader.pk else "taken")
        rows.append(WaitingStory(topic=topic, waited=now - topic.created_at, taken=taken))
    return rows, total


@dataclass(frozen=True)
class FirstReplyTimes:
    """Stories started in a period: how soon they were answered."""

    stories: int
    # Minutes from the story to its first reply by someone else, for those answered.
    median_minutes: float | None
    # Of the stories at least a day old, the share answered within 24 hours (0 to 1).
    within_a_day: float | None
    day_old: int


def first_reply_times(*, since: datetime, now: datetime | None = None) -> FirstReplyTimes:
    """For stories published since `since`: the median time to a first reply from anyone but
    the author, and the share of day-old stories answered within 24 hours."""
    now = now or timezone.now()
    started = Topic.objects.filter(
        category__holds_stories=True, created_at__gte=since, status=Status.PUBLISHED
    )
    stories = list(started.values("pk", "created_at"))
    firsts = dict(
        Post.objects.filter(topic__in=started.values("pk"), status=Status.PUBLISHED, position__gt=1)
        .exclude(author_id=F("topic__author_id"))
        .values("topic_id")
        .annotate(first=Min("created_at"))
        .values_list("topic_id", "first")
    )
    minutes = [
        (firsts[s["pk"]] - s["created_at"]).total_seconds() / 60
        for s in stories
        if s["pk"] in firsts
    ]
    day_old = [s for s in stories if s["created_at"] <= now - timedelta(hours=24)]
    quick = [
        s
        for s in day_old
        if s["pk"] in firsts and firsts[s["pk"]] - s["created_at"] <= timedelta(hours=24)
    ]
    return FirstReplyTimes(
        stories=len(stories),
        median_minutes=statistics.median(minutes) if minutes else None,
        within_a_day=(len(quick) / len(day_old)) if day_old else None,
        day_old=len(day_old),
    )
