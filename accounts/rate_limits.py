"""How often a member may publish or change things: per-member limits, tighter for new members.

Counting is django-ratelimit's (fixed windows in the shared cache). The rates live in
settings.MEMBER_RATE_LIMITS, one pair per action: (members, new members). A member is new for
NEW_MEMBER_DAYS after joining. A limit that cannot be counted (Redis down) lets the action
through (RATELIMIT_FAIL_OPEN): an outage must not stop members writing.

Every module that limits an action calls consume() once per attempt and, on a Refusal, shows
its message with the form still filled in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import get_usage

from .models import User

# What the member was doing, for the refusal ("You have <done> several times in a short time").
ACTIONS: dict[str, str] = {
    "topic": "started several topics",
    "reply": "posted several replies",
    "edit": "edited posts several times",
    "reaction": "sent a lot of encouragement",
    "follow": "followed or unfollowed several times",
    "mute": "muted or unmuted topics several times",
    "report": "sent several reports",
    "profile": "changed your profile several times",
    "message": "sent several messages",
    "take": "taken or let go of several stories",
}

# Actions whose refused form comes back with the member's words in it.
WRITTEN = frozenset({"topic", "reply", "edit", "report", "profile", "message"})


@dataclass(frozen=True)
class Refusal:
    """An attempt over the limit: what it was and how long until the member may try again."""

    action: str
    retry_after: int

    @property
    def wait(self) -> str:
        if self.retry_after < 60:
            return "a minute"
        minutes = math.ceil(self.retry_after / 60)
        if minutes < 60:
            return f"{minutes} minutes"
        hours = math.ceil(minutes / 60)
        return "an hour" if hours == 1 else f"{hours} hours"

    @property
    def message(self) -> str:
        message = (
            f"You have {ACTIONS[self.action]} in a short time, so we have paused this for a "
            f"moment. You can try again in about {self.wait}."
        )
        if self.action in WRITTEN:
            message += " Anything you wrote is still here."
        return message


def is_new_member(user: User, *, now=None) -> bool:
    now = now or timezone.now()
    return user.date_joined > now - timedelta(days=settings.NEW_MEMBER_DAYS)


def rate_for(user: User, action: str) -> str | None:
    """The rate that applies to this member for this action, or None when limits are off."""
    limits = settings.MEMBER_RATE_LIMITS
    if not isinstance(limits, dict):
        return None
    members, new_members = limits[action]
    return new_members if is_new_member(user) else members


def consume(request: HttpRequest, *, action: str) -> Refusal | None:
    """Counts one attempt by the signed-in member; a Refusal when it goes over the limit."""
    if action not in ACTIONS:
        raise ValueError(f"unknown rate-limited action {action!r}")
    user = request.user
    assert isinstance(user, User)
    rate = rate_for(user, action)
    if rate is None:
        return None
    usage = get_usage(
        request,
        group=f"lantern.{action}",
        key=lambda _group, _request: str(user.pk),
        rate=rate,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    return Refusal(action=action, retry_after=max(1, int(usage["time_left"])))
