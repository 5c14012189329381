"""The bell: every page's unread count for the member signed in."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .inbox import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    # Lazy and cached: a page pays one cache read for the bell, a query only after a change.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
