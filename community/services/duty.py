"""Moderators setting when they are on duty: weekly hours, and "on duty now" / "off duty now"."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.models import DutyOverride, DutyRota
from community.rota import active_override, scheduled_shift

from .errors import ModerationError

# How long "on duty now" lasts when the moderator does not say.
DEFAULT_ON_DUTY_HOURS = 12
MAX_ON_DUTY_HOURS = 12


def _locked_rota(moderator: User) -> DutyRota:
    rota, _ = DutyRota.objects.get_or_create(moderator=moderator)
    return DutyRota.objects.select_for_update().get(pk=rota.pk)


@transaction.atomic
def save_rota(
    *, moderator: User, days: list[int], starts: time | None, ends: time | None, time_zone: str
) -> DutyRota:
    """`moderator` is on duty each of `days` from `starts` to `ends` in `time_zone` (past
    midnight when `ends` is not after `starts`); no days means no weekly hours."""
    if days and (starts is None or ends is None):
        raise ModerationError("Please choose the time your shift starts and ends.")
    rota = _locked_rota(moderator)
    rota.days = sorted(set(days))
    rota.starts = starts if days else None
    rota.ends = ends if days else None
    rota.time_zone = time_zone
    rota.updated_at = timezone.now()
    rota.save()
    return rota


@transaction.atomic
def go_on_duty(*, moderator: User, hours: int, now: datetime | None = None) -> DutyRota:
    """`moderator` is on duty from `now` for `hours`, whatever their weekly hours say."""
    if not 1 <= hours <= MAX_ON_DUTY_HOURS:
        raise ModerationError(f"Please choose between 1 and {MAX_ON_DUTY_HOURS} hours.")
    now = now or timezone.now()
    rota = _locked_rota(moderator)
    rota.override = DutyOverride.ON
    rota.override_until = now + timedelta(hours=hours)
    rota.updated_at = now
    rota.save()
    return rota


@transaction.atomic
def go_off_duty(*, moderator: User, now: datetime | None = None) -> DutyRota:
    """`moderator` is off duty from `now`: until the end of the weekly shift they are in, or,
    outside their hours, simply back to their weekly hours (an "on duty now" is ended)."""
    now = now or timezone.now()
    rota = _locked_rota(moderator)
    shift = scheduled_shift(rota, now)
    if shift is not None:
        rota.override = DutyOverride.OFF
        rota.override_until = shift[1]
    elif active_override(rota, now) or rota.override:
        rota.override = ""
        rota.override_until = None
    rota.updated_at = now
    rota.save()
    return rota
