"""The first-visit welcome: offered once, at a member's first sign-in, until they close it.

The offer lives in the session, not on the user: it needs no migration, closing it costs no
write, and logging out ends it, so it is never shown in a later visit.
"""

from __future__ import annotations

from django.http import HttpRequest

SESSION_KEY = "lantern_first_visit_welcome"
# Where it is shown: the home page, where a first sign-in lands.
SHOWN_ON = "forum:home"


def offer(request: HttpRequest) -> None:
    """The session now offers the welcome."""
    request.session[SESSION_KEY] = True


def dismiss(request: HttpRequest) -> None:
    """The session no longer offers the welcome."""
    request.session.pop(SESSION_KEY, None)


def first_visit_welcome(request: HttpRequest) -> dict[str, bool]:
    """Context processor: whether this page shows the welcome."""
    match = request.resolver_match
    shown = (
        match is not None
        and match.view_name == SHOWN_ON
        and request.user.is_authenticated
        and bool(request.session.get(SESSION_KEY))
    )
    return {"first_visit_welcome": shown}
