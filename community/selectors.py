"""Reads that answer one question each about the community; services and views share them.

Reads that fit one model are queryset methods (`ReviewItem.objects.open()`,
`Report.objects.open()`, `Sanction.objects.active(now=...)`); what spans models or the cache
is here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import MODERATING_ROLES, User
from forum.models import Post, Status

from .models import (
    Conversation,
    DutyRota,
    ExplanationTemplate,
    Guidelines,
    ModerationAction,
    ModerationLog,
    Report,
    ReportReason,
    ReviewItem,
    ReviewItemQuerySet,
    Sanction,
)

GUIDELINES_CACHE_KEY = "community:guidelines:current"
# A lost review task is picked up within this window; older posts had a person look long ago.
UNREVIEWED_LOOKBACK = timedelta(days=7)
# The queue shows the most urgent items; a longer queue is worked from the top.
QUEUE_LIMIT = 100

# The queue's filters: key in the URL -> (label, which open items it shows).
QUEUE_FILTERS: dict[str, tuple[str, Callable[[ReviewItemQuerySet], ReviewItemQuerySet]]] = {
    "all": ("Everything waiting", ReviewItemQuerySet.all),
    "at_risk": ("Someone may be at risk", ReviewItemQuerySet.at_risk),
    "pending": ("Waiting for approval", ReviewItemQuerySet.awaiting_approval),
    "reported": ("Reported", ReviewItemQuerySet.reported),
}


def current_guidelines() -> Guidelines | None:
    """The guidelines in force, from the cache when possible (they are on every page)."""
    found = cache.get(GUIDELINES_CACHE_KEY)
    if found is None:
        found = Guidelines.objects.current() or False
        cache.set(GUIDELINES_CACHE_KEY, found, 300)
    return found or None


def moderators() -> QuerySet[User]:
    """Every active member who moderates and is not muted or suspended, in a stable order."""
    # The query form of User.is_moderator: both read accounts.models.MODERATING_ROLES. Like
    # permissions.can_moderate, it leaves out a moderator whose mute is in force: an alert
    # would send them to pages that answer them 404.
    moderates = Q(role__in=MODERATING_ROLES) | Q(is_superuser=True)
    now = timezone.now()
    return (
        User.objects.filter(moderates, is_active=True)
        .exclude(suspended_until__gt=now)
        .exclude(muted_until__gt=now)
        .order_by("pk")
    )


def reports_today(user: User) -> int:
    """How many reports `user` sent in the last 24 hours (the daily cap counts these)."""
    return Report.objects.filter(
        reporter=user, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()


def has_reported(*, user: User, post: Post) -> bool:
    """Whether `user` has already reported `post` (members report a post once)."""
    return Report.objects.filter(post=post, reporter=user).exists()


def review_item_of(post: Post) -> ReviewItem | None:
    """`post`'s one review item, if it has one."""
    return ReviewItem.objects.filter(post_id=post.pk).first()


def awaits_review(*, author: User, log: ModerationLog) -> bool:
    """Whether `author` asked for a review of `log`'s post that nobody has looked at yet."""
    if log.post_id is None:
        # Nothing to look for (a lifted sanction names no post), and every report names one.
        return False
    return (
        Report.objects.open()
        .filter(post_id=log.post_id, reporter=author, reason=ReportReason.APPEAL)
        .exists()
    )


def reporters_towards_hiding(post: Post) -> list[User]:
    """Members whose open reports on `post` count towards hiding it until a moderator looks."""
    # "Someone may be at risk" asks for care, not removal: hiding a person reaching out would
    # answer them with silence, so those reports never count; nor does the author's own appeal.
    counting = (
        Report.objects.open()
        .filter(post_id=post.pk)
        .exclude(reason__in=[ReportReason.AT_RISK, ReportReason.APPEAL])
    )
    # The columns community.standing weighs each reporter by, and nothing else.
    return list(
        User.objects.filter(pk__in=counting.values("reporter_id")).only(
            "role",
            "is_superuser",
            "date_joined",
            "approved_post_count",
            "muted_until",
            "suspended_until",
        )
    )


def unreviewed_post_ids(*, now: datetime, limit: int = 500) -> list[int]:
    """Recent posts that should have a review item (waiting, or crisis language) but have none."""
    return list(
        Post.objects.filter(created_at__gte=now - UNREVIEWED_LOOKBACK, review_item__isnull=True)
        .filter(Q(status=Status.PENDING) | Q(crisis_language=True, status=Status.PUBLISHED))
        .values_list("pk", flat=True)[:limit]
    )


def unfolded_report_ids(*, created_before: datetime, limit: int = 500) -> list[int]:
    """Open reports made before `created_before` that are in no review item yet, oldest first."""
    # No lookback, unlike posts: a report is a member asking for help and is never dropped.
    # The partial index report_unfolded holds only these rows, so the sweep stays cheap.
    return list(
        Report.objects.open()
        .filter(review_item__isnull=True, created_at__lt=created_before)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def _open_in_filter(show: str) -> ReviewItemQuerySet:
    # A post its author deleted has nothing left to review: its item closes by itself
    # (services.close_items_for_post), and until then it is no blank row in the queue.
    return QUEUE_FILTERS[show][1](ReviewItem.objects.open()).exclude(post__status=Status.DELETED)


def review_queue(*, show: str) -> QuerySet[ReviewItem]:
    """The open items filter `show` picks (QUEUE_FILTERS), most urgent first, with what each
    row shows (topic, category, author, claimer) read in the same query."""
    return (
        _open_in_filter(show)
        .select_related("post__topic__category", "post__author", "claimed_by")
        .by_priority()[:QUEUE_LIMIT]
    )


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One row of the review queue: the item and whether its author is a new member."""

    item: ReviewItem
    new_member: bool


def queue_rows(*, show: str, now: datetime) -> list[QueueRow]:
    """The queue's rows for filter `show`, in one query whatever their number."""
    joined_after = now - timedelta(days=settings.NEW_MEMBER_DAYS)
    return [
        QueueRow(
            item=item,
            new_member=item.needs_approval or item.post.author.date_joined > joined_after,
        )
        for item in review_queue(show=show)
    ]


def workable_item_ids(*, show: str, moderator: User) -> list[int]:
    """Ids of the open items of filter `show` that `moderator` can work on (nobody else
    claimed them), in queue order: what "next" and "previous" walk through."""
    return list(
        _open_in_filter(show)
        .filter(Q(claimed_by__isnull=True) | Q(claimed_by=moderator))
        .by_priority()
        .values_list("pk", flat=True)[:QUEUE_LIMIT]
    )


def neighbours(ids: list[int], pk: int) -> tuple[int | None, int | None]:
    """The ids before and after `pk` in `ids` (None at either end, or when it is not there)."""
    if pk not in ids:
        return None, (ids[0] if ids else None)
    at = ids.index(pk)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


def next_after(*, before: list[int], after: list[int], pk: int) -> int | None:
    """The item to open once `pk` is decided: the first still workable item that came after
    it in the queue (`before`, read before acting), else the top of the queue now (`after`)."""
    still = set(after)
    later = before[before.index(pk) + 1 :] if pk in before else []
    for candidate in later:
        if candidate in still:
            return candidate
    return after[0] if after else None


def moderator_zone(user: User) -> ZoneInfo:
    """The time zone `user` keeps their duty rota in (UTC until they set one): moderation
    pages show times there."""
    name = DutyRota.objects.filter(moderator=user).values_list("time_zone", flat=True).first()
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def explanation_templates() -> dict[str, str]:
    """Every explanation template, keyed "action:reason" (the decision form prefills these)."""
    return {
        f"{action}:{reason}": text
        for action, reason, text in ExplanationTemplate.objects.values_list(
            "action", "reason", "text"
        )
    }


def explanation_template(*, action: str, reason: str) -> str:
    """The template for (`action`, `reason`), or "" when admins wrote none."""
    return (
        ExplanationTemplate.objects.filter(action=action, reason=reason)
        .values_list("text", flat=True)
        .first()
        or ""
    )


def new_member_posts_waiting(*, limit: int = 50) -> list[ReviewItem]:
    """Open items for new members' posts waiting for approval, oldest first, with the post,
    its topic, category and author: the bulk approval page shows each in full."""
    return list(
        ReviewItem.objects.open()
        .awaiting_approval()
        .filter(post__status=Status.PENDING)
        .select_related("post__topic__category", "post__author", "claimed_by")
        .order_by("opened_at", "id")[:limit]
    )


def posts_around(post: Post) -> list[Post]:
    """`post` in context: its topic's opening post and the two posts either side of it."""
    positions = {1, *range(post.position - 2, post.position + 3)}
    return list(
        Post.objects.filter(topic_id=post.topic_id, position__in=positions)
        .select_related("author")
        .order_by("position")
    )


def decisions_about(user: User, *, limit: int = 20) -> QuerySet[ModerationLog]:
    """The most recent moderation log rows about `user`, newest first."""
    return (
        ModerationLog.objects.filter(target_user=user)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def mute_decision_for(user: User) -> ModerationLog | None:
    """The most recent decision that muted `user`: the one that tells them why."""
    # One query on the (target_user, -created_at) index; only asked for a member who is muted.
    return (
        ModerationLog.objects.filter(target_user=user, action=ModerationAction.MUTE)
        .order_by("-created_at", "-id")
        .only("pk")
        .first()
    )


def sanctions_on(user: User, *, limit: int = 20) -> QuerySet[Sanction]:
    """The most recent sanctions on `user`, newest first, whether or not still active."""
    return Sanction.objects.filter(user=user).order_by("-starts_at")[:limit]


def conversations_with(member: User) -> list[Conversation]:
    """The private conversations the team has had with `member`, newest first (a moderator's
    view: the review item page shows them with the member's history)."""
    return list(
        Conversation.objects.filter(member=member)
        .select_related("started_by")
        .order_by("-last_message_at", "-id")[:20]
    )
