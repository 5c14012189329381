from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from forum.refusals import until

from . import permissions
from .selectors import current_guidelines, mute_decision_for


def guidelines(request: HttpRequest) -> dict[str, object]:
    # Lazy: a page that never shows the banner pays nothing; one that does, one cache read.
    return {"current_guidelines": SimpleLazyObject(current_guidelines)}


def moderation(request: HttpRequest) -> dict[str, object]:
    """`can_moderate`: whether the layout links to the review queue, decided by the rule."""
    user = getattr(request, "user", None)
    return {"can_moderate": user is not None and permissions.can_moderate(user)}


@dataclass(frozen=True)
class MutedNotice:
    """What the muted banner says: until when, and where the decision explains why."""

    until: str
    decision_url: str


def muted(request: HttpRequest) -> dict[str, object]:
    """`muted_notice` for a member whose posting is paused; nothing for everyone else."""
    user = getattr(request, "user", None)
    # muted_until is on the member the layout loads anyway, so a member who is not muted
    # costs no query; the decision is looked up only for one who is.
    if user is None or not user.is_authenticated or not user.is_muted():
        return {}
    decision = mute_decision_for(user)
    return {
        "muted_notice": MutedNotice(
            until=until(user),
            decision_url=reverse("community:decision", kwargs={"pk": decision.pk})
            if decision is not None
            else "",
        )
    }
