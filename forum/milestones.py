"""Milestones: a member's private day counters, and the milestones they choose to share.

A counter (MilestoneCounter) is read only by its owner and keeps no history: resetting it moves
its start date and nothing else, so there is no trace of a reset anywhere, for anyone. Sharing
is the only way a counter's number leaves the member's own page: it copies the label and the
day count onto a Milestone card attached to a new post, written through forum.services like
every other post (sanitized, screened, held for review for new members, followers notified).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .models import (
    Category,
    Milestone,
    MilestoneCounter,
    MilestoneKind,
    Post,
    Reaction,
    Topic,
)
from .post_cards import AUTHOR_FIELDS, POST_ROW_FIELDS, PostCard, PostRow, card_for

RESET_NOTE = "Starting again is part of many recovery stories. Your counter starts from today."


def days_since(started_on: datetime.date, *, today: datetime.date | None = None) -> int:
    """Whole days from `started_on` to today (0 on the first day, never negative)."""
    return max(((today or timezone.localdate()) - started_on).days, 0)


def start_counter(*, owner: User, label: str, started_on: datetime.date) -> MilestoneCounter:
    """`owner` has a new private counter named `label`, counting from `started_on`."""
    return MilestoneCounter.objects.create(owner=owner, label=label.strip(), started_on=started_on)


def edit_counter(
    *, counter: MilestoneCounter, label: str, started_on: datetime.date
) -> MilestoneCounter:
    """The counter carries `label` and counts from `started_on`."""
    counter.label = label.strip()
    counter.started_on = started_on
    counter.save(update_fields=["label", "started_on"])
    return counter


def reset_counter(*, counter: MilestoneCounter) -> MilestoneCounter:
    """The counter counts from today. Nothing else changes: no history row, no log line, no
    notification, no revision of any public page."""
    counter.started_on = timezone.localdate()
    counter.save(update_fields=["started_on"])
    return counter


def delete_counter(*, counter: MilestoneCounter) -> None:
    """The counter is gone; milestones already shared from it stay (they never pointed at it)."""
    counter.delete()


def milestones_category() -> Category:
    """The category shared milestones start topics in (settings.MILESTONES_CATEGORY)."""
    return Category.objects.get(slug=settings.MILESTONES_CATEGORY)


@transaction.atomic
def share_milestone(
    *,
    author: User,
    label: str,
    body: str,
    title: str = "",
    topic: Topic | None = None,
    counter: MilestoneCounter | None = None,
    submission_token: UUID | None = None,
) -> Post:
    """`body` is posted with a milestone card for `label` (with the counter's days today, when
    shared from `counter`): as a reply in `topic`, or else as a new topic titled `title` in the
    milestones category. Written by forum.services (so it may wait for a moderator like any
    post, and a closed topic refuses it with ForumError). The same `submission_token` again
    returns that post and changes nothing."""
    if topic is not None:
        post = services.create_reply(
            author=author, topic=topic, body=body, submission_token=submission_token
        )
    else:
        opened = services.create_topic(
            author=author,
            category=milestones_category(),
            title=title,
            body=body,
            submission_token=submission_token,
        )
        post = opened.posts.get(position=1)
    if not Milestone.objects.filter(post=post).exists():
        Milestone.objects.create(
            post=post,
            label=label.strip(),
            kind=MilestoneKind.COUNTER if counter is not None else MilestoneKind.MOMENT,
            days=days_since(counter.started_on) if counter is not None else None,
        )
    return post


# --- reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmallWin:
    """One milestone of the stream, as `viewer` sees it: the post's card (forum.post_cards,
    with the milestone, author and encouragement) and the title of its topic."""

    card: PostCard
    topic_title: str


@dataclass(frozen=True)
class SmallWinsPage:
    wins: list[SmallWin]
    number: int
    has_next: bool
    # Whether any win shows encouragement buttons (the page then carries the form they use).
    has_buttons: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def small_wins_page(*, viewer: User, number: int) -> SmallWinsPage:
    """Page `number` of the milestones everyone signed in may read, newest first.

    Two queries whatever the page holds: the milestones with their posts, authors and topics
    (one join), and the encouragement `viewer` sent on them. One row more than a page says
    whether an older page exists, so the stream never counts rows.
    """
    per_page = settings.SMALL_WINS_PER_PAGE
    start = (number - 1) * per_page
    found = list(
        Milestone.objects.in_stream()
        .select_related("post", "post__author", "post__topic")
        .only(
            "label",
            "days",
            "post__topic__title",
            *(f"post__{field}" for field in POST_ROW_FIELDS),
            *(f"post__author__{field}" for field in AUTHOR_FIELDS),
        )
        .order_by("-created_at", "-id")[start : start + per_page + 1]
    )
    shown = found[:per_page]
    post_ids = [m.post_id for m in shown if m.post.author_id != viewer.pk]
    sent = frozenset(
        Reaction.objects.filter(user=viewer, post_id__in=post_ids).values_list("post_id", "kind")
    )
    wins = []
    for milestone in shown:
        post = milestone.post
        card = card_for(PostRow.of(post), viewer=viewer, mine=sent)
        wins.append(SmallWin(card=card, topic_title=post.topic.title))
    return SmallWinsPage(
        wins=wins,
        number=number,
        has_next=len(found) > per_page,
        has_buttons=any(win.card.can_react for win in wins),
    )
