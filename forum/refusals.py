"""What a member is told when the forum turns an action down for a while, and how it answers.

A muted member's refusal says until when (in the site's time zone, named, so nobody has to
guess); a rate-limited one says how long to wait. Both answer with a status that says nothing
happened: 403 for muted, 429 for too many attempts.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat, timezone

from accounts.models import User
from accounts.rate_limits import Refusal

MUTED = 403
TOO_MANY = 429


def until(user: User) -> str:
    """When `user`'s mute ends, as a person would say it: "3 December at 14:00 UTC"."""
    assert user.muted_until is not None
    return dateformat.format(timezone.localtime(user.muted_until), r"j F \a\t H:i T")


def muted_message(user: User) -> str:
    """Why a muted member cannot post, edit or send encouragement, and until when."""
    return (
        f"Posting, editing and sending encouragement are paused for you until {until(user)}. "
        "You can still read, follow topics and report posts. The message the moderators sent "
        "you explains why."
    )


def muted(
    request: HttpRequest, user: User, *, back: str, back_label: str = "Back to the topic"
) -> HttpResponse:
    """The page a muted member sees instead of the action: until when, why, and a way back."""
    # The link to the decision that says why comes from community's `muted` context processor
    # (the forum does not import community).
    return render(
        request,
        "forum/paused.html",
        {
            "heading": "Posting is paused for you",
            "message": muted_message(user),
            "back": back,
            "back_label": back_label,
            "muted": True,
        },
        status=MUTED,
    )


def too_many(
    request: HttpRequest, refusal: Refusal, *, back: str, back_label: str = "Back to the topic"
) -> HttpResponse:
    """The page for an action without a form (encouragement): nothing happened, try later."""
    return render(
        request,
        "forum/paused.html",
        {
            "heading": "Let's take a short pause",
            "message": refusal.message,
            "back": back,
            "back_label": back_label,
        },
        status=TOO_MANY,
    )


CORNER_CLOSED = 403


def corner_closed(request: HttpRequest, *, back: str) -> HttpResponse:
    """The page a member who is not a verified peer specialist sees instead of starting a
    topic in Peer specialists' corner: who starts topics there, and how to be verified."""
    return render(request, "forum/corner_closed.html", {"back": back}, status=CORNER_CLOSED)
