"""Changes to the community's shared texts."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from forum import rendering

from .models import Guidelines

GUIDELINES_CACHE_KEY = "community:guidelines:current"


def current_guidelines() -> Guidelines | None:
    """The guidelines in force, from the cache when possible (they are on every page)."""
    found = cache.get(GUIDELINES_CACHE_KEY)
    if found is None:
        found = Guidelines.objects.current() or False
        cache.set(GUIDELINES_CACHE_KEY, found, 300)
    return found or None


@transaction.atomic
def save_guidelines(*, guidelines: Guidelines) -> Guidelines:
    """`guidelines` is stored with its body rendered, and every page shows it from now on."""
    guidelines.body_html = rendering.render_markdown(guidelines.body)
    guidelines.save()
    transaction.on_commit(lambda: cache.delete(GUIDELINES_CACHE_KEY))
    return guidelines
