"""Template fragments rendered once and reused while nothing they show has changed.

A fragment is cached under a digest of its template's source and of every value the template
reads, which the caller lists. A changed value is a different key, so nothing is ever
invalidated; unused fragments simply expire. Readers who would see the same thing share one
fragment.

What a fragment template may read is therefore limited: only the values in its key, nothing
that depends on the time of reading (dates are absolute; static/js/lantern.js shows them as
relative times) and nothing per request (no CSRF tokens: forms stay outside fragments).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import cache as once
from hashlib import blake2b
from typing import Any

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 24 * 60 * 60


@once
def template_digest(template_name: str) -> str:
    # Fragments outlive a deploy in a shared cache; a changed template must not serve old ones.
    source = get_template(template_name).template.source
    return blake2b(source.encode(), digest_size=8).hexdigest()


def fragment_key(template_name: str, shown: Hashable) -> str:
    """The cache key of `template_name` rendered with values `shown` (a tuple of plain values)."""
    digest = blake2b(repr((template_digest(template_name), shown)).encode(), digest_size=16)
    return f"fragment:{template_name}:{digest.hexdigest()}"


def render_many(
    template_name: str, items: Sequence[tuple[Hashable, dict[str, Any]]]
) -> list[SafeString]:
    """Each item is (values the template shows, its context); returns the HTML of each, in
    order, rendering only those no reader has seen yet. One cache round trip either way."""
    keys = [fragment_key(template_name, shown) for shown, _ in items]
    found = cache.get_many(keys)
    rendered: dict[str, str] = {}
    out = []
    for key, (_, context) in zip(keys, items, strict=True):
        html = found.get(key) or rendered.get(key)
        if html is None:
            html = render_to_string(template_name, context)
            rendered[key] = html
        # What comes back from the cache was rendered (and escaped) by the template.
        out.append(mark_safe(html))  # noqa: S308
    if rendered:
        cache.set_many(rendered, FRAGMENT_SECONDS)
    return out


def render(template_name: str, shown: Hashable, context: dict[str, Any]) -> SafeString:
    """One fragment; see render_many."""
    return render_many(template_name, [(shown, context)])[0]
