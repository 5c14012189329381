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

from . import content_warnings, fragments, permissions
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
    # Content warnings (forum.content_warnings): a bitmask and the author's note.
    warning_flags: int = 0
    warning_note: str = ""
    # The milestone card the post carries (forum.milestones): its label ("" for none) and its
    # days when shared from a counter.
    milestone_label: str = ""
    milestone_days: int | None = None

    @classmethod
    def of(cls, post: Post) -> PostRow:
        author = post.author
        # Read with the post (select_related): a post without a milestone raises, and costs
        # no query.
        milestone = getattr(post, "milestone", None)
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
            warning_flags=post.warning_flags,
            warning_note=post.warning_note,
            milestone_label=milestone.label if milestone is not None else "",
            milestone_days=milestone.days if milestone is not None else None,
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
    "warning_flags",
    "warning_note",
    *(count_field(kind) for kind in ReactionKind.values),
)
# The columns of a post's milestone card, read in the same query (a LEFT JOIN).
MILESTONE_FIELDS = ("milestone__label", "milestone__days")
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
    # The content warning's words ("" for a post without one), and whether the body opens
    # folded behind them for this reader (their choice, forum.content_warnings).
    warning: str = ""
    folded: bool = False
    # The URL name of the page where a moderator changes the post's warnings
    # (settings.POST_WARNINGS_VIEW), or "".
    warnings_view: str = ""
    # The milestone card (forum.milestones), "" / None for none or where the post is not shown.
    milestone_label: str = ""
    milestone_days: int | None = None


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
        warning=content_warnings.describe(row.warning_flags, row.warning_note) if readable else "",
        folded=readable and content_warnings.folds_for(viewer, row.warning_flags, row.warning_note),
        warnings_view=settings.POST_WARNINGS_VIEW
        if readable and permissions.can_set_post_warnings(viewer, row)
        else "",
        milestone_label=row.milestone_label if readable else "",
        milestone_days=row.milestone_days if readable else None,
    )


def render_cards(cards: Iterable[PostCard]) -> list[SafeString]:
    """The HTML of each card, rendered now only where no identical card exists."""
    return fragments.render_many(CARD_TEMPLATE, list(cards), as_name="card")


def reader_situation(
    rows: list[PostRow], *, viewer: User, sent: frozenset[tuple[int, str]]
) -> tuple[bool, bool, bool, tuple[int, ...], tuple[tuple[int, str], ...], tuple[int, ...]]:
    """Everything about `viewer` that card_for reads: whether they moderate, whether they are
    a peer specialist, whether they are muted, which of the rows they wrote, what they sent
    and which warned rows open folded for them (only warned rows count, so readers' warning
    choices split the cache only on pages that carry warnings). Only tuples and plain
    values, so its repr (and the cache key made from it) is the same in every process; a
    set's order is not."""
    wrote = tuple(row.pk for row in rows if row.author_id == viewer.pk)
    folded = tuple(
        row.pk
        for row in rows
        if content_warnings.folds_for(viewer, row.warning_flags, row.warning_note)
    )
    return (
        viewer.acts_as_moderator,
        viewer.is_peer_specialist,
        viewer.is_muted(),
        wrote,
        tuple(sorted(sent)),
        folded,
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
