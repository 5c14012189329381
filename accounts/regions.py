"""Which region a member is in, for showing the crisis resources nearest them first."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Region

# Language tags are "language-REGION" (en-GB); only regions Lantern has resources for count.
_KNOWN = frozenset(Region.values) - {Region.OTHER}


def _quality(part: str) -> float:
    _, _, q = part.partition(";q=")
    try:
        return float(q) if q else 1.0
    except ValueError:
        return 0.0


def region_from_accept_language(header: str) -> str:
    """The first known region among the browser's preferred languages, or Region.OTHER."""
    parts = [part.strip() for part in header.split(",") if part.strip()]
    # sorted() is stable: equal weights keep the browser's order.
    for part in sorted(parts, key=_quality, reverse=True):
        tag = part.split(";", 1)[0].strip()
        for subtag in tag.split("-")[1:]:
            if subtag.upper() in _KNOWN:
                return subtag.upper()
    return Region.OTHER


def region_of(request: HttpRequest) -> str:
    """The member's chosen region; otherwise the one their browser's language names."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "region", "") if user is not None and user.is_authenticated else ""
    if chosen:
        return chosen
    return region_from_accept_language(request.headers.get("Accept-Language", ""))
