"""A suspended member is signed out and sent to one page that says until when, and what next."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import User

# The pause's end, kept in the (now anonymous) session so the page can say until when without
# putting anything about the account in the URL.
SESSION_KEY = "lantern_paused_until"


def sign_out_paused(request: HttpRequest, user: User) -> HttpResponse:
    """The member is signed out (if they were in) and sent to the page that explains the pause."""
    assert user.suspended_until is not None
    if request.user.is_authenticated:
        logout(request)
    request.session[SESSION_KEY] = user.suspended_until.isoformat()
    return redirect("accounts:paused")


def paused_until(request: HttpRequest) -> datetime | None:
    """When the pause shown to this browser ends, or None if it was not sent here by a pause."""
    value = request.session.get(SESSION_KEY)
    return datetime.fromisoformat(value) if value else None
