"""Post cards on topic pages.

A page of a topic is read once per topic revision as `PostRow`s (what the database holds,
shared by every reader). Each reader then gets a `PostCard` per row: the row as that reader
sees it, with their permissions decided by forum.permissions. The card is the card
template's only input and a forum.fragments fragment, so readers in the same situation
(most members, on most posts) share one rendered card.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User, badge_of

from . import fragments, permissions
from .models import Post, ReactionKind, Status, count_field
from .situation import words_for

CARD_TEMPLATE = "forum/_post.html"


@dataclass(frozen=True, slots=True)
class PostRow:
    """One post of a topic page as the database holds it, whoever reads it."""

    pk: int
    topic_id: int
    position: int
    status: str
    crisis_language: bool
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    author_id: int
    author_username: str
    author_display_name: str
    author_role: str
    # The issuing body a verified peer specialist's badge names ("" for everyone else).
    author_certified_by: str
    # Encouragement received, in ReactionKind order.
    counts: tuple[int, ...]

    @classmethod
    def of(cls, post: Post) -> PostRow:
        author = post.author
        return cls(
            pk=post.pk,
            topic_id=post.topic_id,
            position=post.position,
            status=post.status,
            crisis_language=post.crisis_language,
            body_html=post.body_html,
            created_at=post.created_at,
            edited_at=post.edited_at,
            author_id=post.author_id,
            # A former member's card names them "a former member", linking to no profile.
            author_username="" if author.is_former_member else author.username,
            author_display_name=author.display_name,
            author_role=author.role,
            author_certified_by=author.certified_by,
            counts=tuple(post.encouragement_count(kind) for kind in ReactionKind.values),
        )


# The columns PostRow.of reads: topic pages never load the Markdown source or accounts.
POST_ROW_FIELDS = (
    "id",
    "topic_id",
    "author_id",
    "position",
    "status",
    "crisis_language",
    "body_html",
    "created_at",
    "edited_at",
    *(count_field(kind) for kind in ReactionKind.values),
)
# The columns of a post's author that PostRow.of reads.
AUTHOR_FIELDS = ("id", "username", "display_name", "role", "certified_by", "is_active")


@dataclass(frozen=True, slots=True)
class Encouragement:
    kind: str
    label: str
    count: int
    mine: bool


@dataclass(frozen=True, slots=True)
class PostCard:
    """Everything the card template shows, for one reader: its only input. Links are built
    by the template from `pk`, so they cost nothing when the card comes from the cache."""

    pk: int
    position: int
    page_number: int
    status: str
    created_at: datetime
    edited_at: datetime | None
    # Empty for a post its author deleted: the placeholder names no one.
    author_username: str
    author_display_name: str
    badge: str
    badge_class: str
    # The post's HTML, or "" where a placeholder stands in for it.
    body_html: str
    placeholder: str
    notice: str
    encouragement: tuple[Encouragement, ...]
    can_react: bool
    can_edit: bool
    can_see_history: bool
    can_delete: bool
    # The URL name of the page that reports a post (settings.POST_REPORT_VIEW), or "".
    report_view: str
    # The URL name of the page where the team checks in privately with the author
    # (settings.POST_CHECK_IN_VIEW), or "".
    check_in_view: str


def _notice(row: PostRow, viewer: User) -> str:
    """What the author, or a moderator, reads above a post in its situation (forum.situation)."""
    words = words_for(status=row.status, crisis_language=row.crisis_language)
    if row.author_id == viewer.pk:
        return words.author
    return words.moderator if viewer.acts_as_moderator else ""


def card_for(row: PostRow, *, viewer: User, mine: frozenset[tuple[int, str]]) -> PostCard:
    """The card of `row` as `viewer` sees it; `mine` holds (post id, kind) they sent."""
    readable = permissions.can_read_post_body(viewer, row)
    shown = row.status != Status.DELETED
    can_react = readable and permissions.can_react(viewer, row)
    encouragement = (
        tuple(
            Encouragement(kind, label, count, (row.pk, kind) in mine)
            for (kind, label), count in zip(ReactionKind.choices, row.counts, strict=True)
            if can_react or count
        )
        if readable and row.status == Status.PUBLISHED
        else ()
    )
    badge, badge_class = badge_of(row.author_role, row.author_certified_by)
    return PostCard(
        pk=row.pk,
        position=row.position,
        page_number=(row.position - 1) // settings.POSTS_PER_PAGE + 1,
        status=row.status,
        created_at=row.created_at,
        edited_at=row.edited_at if shown else None,
        author_username=row.author_username if shown else "",
        author_display_name=row.author_display_name if shown else "",
        badge=badge if shown else "",
        badge_class=badge_class if shown else "",
        body_html=row.body_html if readable else "",
        placeholder=""
        if readable
        else words_for(status=row.status, crisis_language=row.crisis_language).reader,
        notice=_notice(row, viewer) if readable else "",
        encouragement=encouragement,
        can_react=can_react,
        can_edit=readable and permissions.can_edit_post(viewer, row),
        can_see_history=readable
        and row.edited_at is not None
        and permissions.can_see_post_history(viewer, row),
        can_delete=readable and permissions.can_delete_post(viewer, row),
        report_view=settings.POST_REPORT_VIEW
        if readable and permissions.can_report_post(viewer, row)
        else "",
        check_in_view=settings.POST_CHECK_IN_VIEW
        if readable and permissions.can_check_in_with_author(viewer, row)
        else "",
    )


def render_cards(cards: Iterable[PostCard]) -> list[SafeString]:
    """The HTML of each card, rendered now only where no identical card exists."""
    return fragments.render_many(CARD_TEMPLATE, list(cards), as_name="card")


def reader_situation(
    rows: list[PostRow], *, viewer: User, sent: frozenset[tuple[int, str]]
) -> tuple[bool, bool, bool, tuple[int, ...], tuple[tuple[int, str], ...]]:
    """Everything about `viewer` that card_for reads: whether they moderate, whether they are
    a peer specialist, whether they are muted, which of the rows they wrote and what they
    sent. Only tuples and plain values, so its repr (and the cache key made from it) is the
    same in every process; a set's order is not."""
    wrote = tuple(row.pk for row in rows if row.author_id == viewer.pk)
    return (
        viewer.acts_as_moderator,
        viewer.is_peer_specialist,
        viewer.is_muted(),
        wrote,
        tuple(sorted(sent)),
    )


def page_of_cards(
    rows: list[PostRow], *, viewer: User, sent: frozenset[tuple[int, str]], key: tuple
) -> SafeString:
    """The cards of a page of posts as `viewer` sees them.

    card_for decides from the rows and the reader's situation alone: whether they moderate or
    are a peer specialist, whether they are muted, which of the rows they wrote and what they
    sent. Readers in the same situation (most readers of most pages) share the page of cards,
    so a warm page builds no card at all.
    """
    situation = reader_situation(rows, viewer=viewer, sent=sent)

    def build() -> SafeString:
        cards = render_cards(card_for(row, viewer=viewer, mine=sent) for row in rows)
        # Each card was rendered (and escaped) by the card template.
        return mark_safe("".join(cards))  # noqa: S308

    return fragments.remember(("cards", key, situation), build)
