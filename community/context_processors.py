from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import permissions
from .selectors import current_guidelines


def guidelines(request: HttpRequest) -> dict[str, object]:
    # Lazy: a page that never shows the banner pays nothing; one that does, one cache read.
    return {"current_guidelines": SimpleLazyObject(current_guidelines)}


def moderation(request: HttpRequest) -> dict[str, object]:
    """`can_moderate`: whether the layout links to the review queue, decided by the rule."""
    user = getattr(request, "user", None)
    return {"can_moderate": user is not None and permissions.can_moderate(user)}
