"""How each member wants to hear about each kind of notification, and changing that."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from accounts.models import User

from .models import Delivery, EmailOutbox, NotificationKind, NotificationPreference, OutboxStatus

# Kinds a member chooses delivery for on the preferences page.
MEMBER_KINDS = (
    NotificationKind.TOPIC_REPLY,
    NotificationKind.FOLLOWED_REPLY,
    NotificationKind.MENTION,
    NotificationKind.ENCOURAGEMENT,
    NotificationKind.MODERATION,
    NotificationKind.REPORT_CLOSED,
    NotificationKind.TEAM_MESSAGE,
)

# Fallback for members who never saved preferences; field defaults are the single source.
_DEFAULTS = NotificationPreference()


def preferences_for(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    """Each member's preferences (the defaults where none were saved), in one query."""
    ids = list(user_ids)
    found = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=ids)}
    return {uid: found.get(uid, _DEFAULTS) for uid in ids}


def preference_of(user: User) -> NotificationPreference:
    """`user`'s saved preferences, or an unsaved row holding the defaults."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


def delivery_for(preference: NotificationPreference, kind: str) -> str:
    """How `kind` is emailed under `preference`; moderator alerts are never digested, and
    urgent alerts always go at once (no preference holds them)."""
    if kind == NotificationKind.URGENT_ALERT:
        return Delivery.IMMEDIATE
    chosen = preference.delivery_for(kind)
    if kind == NotificationKind.MODERATOR_ALERT:
        return Delivery.NEVER if chosen == Delivery.NEVER else Delivery.IMMEDIATE
    return chosen


def preference_kinds(user: User) -> list[tuple[str, str]]:
    """(kind, label) for each kind `user` chooses delivery for; moderators also choose alerts."""
    kinds = [(k.value, k.label) for k in MEMBER_KINDS]
    if user.is_moderator:
        kinds.append(
            (NotificationKind.MODERATOR_ALERT.value, NotificationKind.MODERATOR_ALERT.label)
        )
    return kinds


@transaction.atomic
def save_preferences(*, user: User, values: dict[str, Any]) -> NotificationPreference:
    """`user`'s preferences hold `values`; pending emails of kinds now off are cancelled."""
    allowed = {*(kind for kind, _ in preference_kinds(user)), "include_excerpt"}
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in values.items():
        if name in allowed:
            setattr(preference, name, value)
    preference.save()
    reroute_pending(user=user, preference=preference)
    return preference


def reroute_pending(*, user: User, preference: NotificationPreference) -> None:
    """`user`'s pending email rows go by the channel `preference` now chooses, or are
    cancelled where it chooses none."""
    for kind in NotificationKind.values:
        wanted = delivery_for(preference, kind)
        rows = EmailOutbox.objects.filter(recipient=user, kind=kind, status=OutboxStatus.PENDING)
        if wanted == Delivery.NEVER:
            rows.update(status=OutboxStatus.CANCELLED)
        else:
            rows.exclude(delivery=wanted).update(delivery=wanted)
