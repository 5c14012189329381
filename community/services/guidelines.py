"""Publishing the community guidelines."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from community.models import Guidelines
from community.selectors import GUIDELINES_CACHE_KEY
from forum import rendering


@transaction.atomic
def save_guidelines(*, guidelines: Guidelines) -> Guidelines:
    """`guidelines` is stored with its body rendered, and every page shows it from now on."""
    guidelines.body_html = rendering.render_markdown(guidelines.body)
    guidelines.save()
    # The banner reads through the cache (selectors.current_guidelines): drop it once the new
    # version is visible to other connections, not before.
    transaction.on_commit(lambda: cache.delete(GUIDELINES_CACHE_KEY))
    return guidelines
