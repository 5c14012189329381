"""What the data set holds, independent of how it is written: its names, sizes and the plan
of topics, posts and encouragement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.management.base import CommandError

from forum.models import ReactionKind

BENCH_CATEGORY_SLUG = "bench"
BENCH_USERNAME_PREFIX = "bench_"
BENCH_EMAIL_DOMAIN = "bench.lantern.test"
BENCH_PASSWORD = "bench-password-2026"
# Everything happens at fixed instants, so two runs match exactly.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scale:
    """The sizes of one data set; the command's options override them one by one."""

    topics: int
    posts: int | None  # None: every topic but the long one is its opening post alone
    long_posts: int
    members: int
    category_topics: int | None  # None: all of them in the measured category


SCALES = {
    "small": Scale(
        topics=10_000,
        posts=None,
        long_posts=1_000,
        members=200,
        category_topics=None,
    ),
    "large": Scale(
        topics=100_000,
        posts=1_000_000,
        long_posts=1_000,
        members=50_000,
        category_topics=40_000,
    ),
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


def plan_topics(
    *,
    topics: int,
    posts: int,
    long_posts: int,
    members: int,
    category_topics: int,
    other_categories: int,
) -> list[PlannedTopic]:
    """Every topic of the data set, in writing order; topic 0 is the long one."""
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
        measured = i == 0 or (i * category_topics) // topics > ((i - 1) * category_topics) // topics
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


def posts_by_member(plan: list[PlannedTopic], members: int) -> list[int]:
    """How many (published) posts each member writes: their approved_post_count."""
    written = [0] * members
    for topic in plan:
        for position in range(1, topic.length + 1):
            written[topic.post_author(position, members)] += 1
    return written
