"""Post cards on topic pages, rendered once and reused while nothing they show has changed.

A card's cache key is a digest of every value the card template reads: the post's text,
status and position, its author's name and role, the reader's permissions on it and the
encouragement counts. A changed value is a different key, so there is nothing to invalidate;
old cards simply expire. Readers in the same situation (most members, on most posts) share
one card.
"""

from __future__ import annotations

from functools import cache as once
from hashlib import blake2b

from django.core.cache import cache
from django.template.loader import get_template, render_to_string

from accounts.models import User

from .models import Post

CARD_TEMPLATE = "forum/_post.html"
CARD_SECONDS = 24 * 60 * 60


@once
def _template_digest() -> str:
    # Cards outlive a deploy in a shared cache; a changed template must not serve old cards.
    return blake2b(get_template(CARD_TEMPLATE).template.source.encode(), digest_size=8).hexdigest()


def card_key(post: Post, *, viewer: User) -> str:
    """The cache key of `post`'s card as `viewer` sees it."""
    author = post.author
    shown = (
        _template_digest(),
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
    return "postcard:" + blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def attach_cards(posts: list[Post], *, viewer: User) -> None:
    """Every post in `posts` has `card_html`, rendered now only where no identical card exists."""
    keys = {post.pk: card_key(post, viewer=viewer) for post in posts}
    found = cache.get_many(list(keys.values()))
    rendered = {}
    for post in posts:
        key = keys[post.pk]
        html = found.get(key)
        if html is None:
            html = render_to_string(CARD_TEMPLATE, {"post": post, "user": viewer})
            rendered[key] = html
        post.card_html = html
    if rendered:
        cache.set_many(rendered, CARD_SECONDS)
