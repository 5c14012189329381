"""A version of what other pages show about members (usernames, display names, roles).

Cached pages that name members (post cards, topic lists) carry this version in their keys.
A change to any member's public profile starts a new version, so those pages are rendered
again; profiles change rarely, so one version for all of them costs little.

The version lives in the cache beside the pages it versions: if the cache loses it, a new
one is made from the clock, which matches none of the keys written before.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "accounts:profile-version"


def current() -> int:
    """The version cached pages that name members are keyed by."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, time.time_ns(), timeout=None)
        version = cache.get(KEY, time.time_ns())
    return version


def bump_after_commit() -> None:
    """Once the current transaction commits, pages that name members are rendered anew."""
    transaction.on_commit(lambda: cache.set(KEY, time.time_ns(), timeout=None))
