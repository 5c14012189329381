"""Work done once and reused while nothing it depends on has changed.

Two kinds of entries, both in the default cache and both keyed by everything they depend on,
so a change is a new key and nothing is ever invalidated (unused entries simply expire):

- **Fragments**: a template rendered with one small frozen dataclass as its only input. The
  key is the release, the template's own digest and the dataclass's repr (its type and every
  field). Readers who would see the same thing share one fragment.
- **Remembered values**: what a page read from the database, under the revision of the row it
  belongs to (`Topic.revision`, `Category.revision`) and whatever else the caller names. A
  page whose revision has not moved skips its reads.

Every key carries `settings.RELEASE`, so a deploy never serves what older code rendered.
Fragment templates read only their dataclass: nothing that depends on the time of reading
(dates are absolute; static/js/lantern.js shows them as relative times) and nothing per
request (no CSRF tokens: forms stay outside fragments).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import cache as once
from hashlib import blake2b
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.template import Engine
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 24 * 60 * 60
REMEMBER_SECONDS = 24 * 60 * 60

T = TypeVar("T")
# A value to remember: the parts of its key, and how to build it from the values before it.
Entry = tuple[Hashable, Callable[[list[Any]], Any]]


def _digest(value: str) -> str:
    return blake2b(value.encode(), digest_size=16).hexdigest()


@once
def template_digest(template_name: str) -> str:
    """A digest of the template's source: an edited template (under DEBUG, say) is a new key."""
    return _digest(Engine.get_default().get_template(template_name).source)


def fragment_key(template_name: str, context: object) -> str:
    """The cache key of `template_name` rendered with `context` (a frozen dataclass)."""
    shown = repr((settings.RELEASE, template_digest(template_name), context))
    return f"fragment:{template_name}:{_digest(shown)}"


def render_many(
    template_name: str, contexts: Sequence[object], *, as_name: str
) -> list[SafeString]:
    """The HTML of `template_name` for each context (passed to it as `as_name`), in order,
    rendering only those no reader has seen yet. One cache round trip either way."""
    keys = [fragment_key(template_name, context) for context in contexts]
    found = cache.get_many(keys)
    rendered: dict[str, str] = {}
    out = []
    for key, context in zip(keys, contexts, strict=True):
        html = found.get(key) or rendered.get(key)
        if html is None:
            html = render_to_string(template_name, {as_name: context})
            rendered[key] = html
        # What comes back from the cache was rendered (and escaped) by the template.
        out.append(mark_safe(html))  # noqa: S308
    if rendered:
        cache.set_many(rendered, FRAGMENT_SECONDS)
    return out


def remember_key(parts: Hashable) -> str:
    """The cache key of the value a page computes from `parts` (a tuple of plain values)."""
    return f"remember:{_digest(repr((settings.RELEASE, parts)))}"


def remember(parts: Hashable, build: Callable[[], T]) -> T:
    """The value `build()` returned for `parts`, computed only when no reader has yet."""
    key = remember_key(parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, REMEMBER_SECONDS)
    return value


def remember_many(entries: Sequence[Entry]) -> list[Any]:
    """The value of each entry, in order, in one cache round trip; only the missing ones are
    built, each given the values of the entries before it (a page's rows, say)."""
    keys = [remember_key(parts) for parts, _ in entries]
    found = cache.get_many(keys)
    values: list[Any] = []
    built: dict[str, Any] = {}
    for key, (_, build) in zip(keys, entries, strict=True):
        value = found.get(key)
        if value is None:
            value = built[key] = build(values)
        values.append(value)
    if built:
        cache.set_many(built, REMEMBER_SECONDS)
    return values
