"""Post cards on topic pages, rendered once and reused while nothing they show has changed.

A card is a forum.fragments fragment whose key holds every value the card template reads:
the post's text, status and position, its author's name and role, the reader's permissions
on it and the encouragement counts. Readers in the same situation (most members, on most
posts) share one card.
"""

from __future__ import annotations

from accounts.models import User

from . import fragments
from .models import Post

CARD_TEMPLATE = "forum/_post.html"


def card_shows(post: Post, *, viewer: User) -> tuple:
    """Every value the card template reads for `post` as `viewer` sees it."""
    author = post.author
    return (
        post.pk,
        post.position,
        post.status,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        post.body_html,
        post.author_id,
        author.username,
        author.display_name,
        author.role,
        viewer.pk == post.author_id,
        viewer.is_moderator,
        post.can_react,
        post.can_edit,
        post.can_delete,
        tuple((r["kind"], r["count"], r["mine"]) for r in post.reaction_summary),
    )


def attach_cards(posts: list[Post], *, viewer: User) -> None:
    """Every post in `posts` has `card_html`, rendered now only where no identical card exists."""
    cards = fragments.render_many(
        CARD_TEMPLATE,
        [(card_shows(post, viewer=viewer), {"post": post, "user": viewer}) for post in posts],
    )
    for post, html in zip(posts, cards, strict=True):
        post.card_html = html
