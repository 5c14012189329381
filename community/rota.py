"""Who is on duty, and who an urgent alert reaches at each stage of its escalation.

A moderator's weekly hours are kept in their own time zone and read against the wall clock
there, so a rota keeps its meaning across daylight-saving changes. An "on duty now" or "off
duty now" override wins until it ends by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from accounts.models import User

from .models import DutyOverride, DutyRota
from .selectors import moderators

# Escalation stages of an urgent alert (ReviewItem.alert_count): the first alert goes to whoever
# is on duty, the second (one re-alert period later) to every moderator, the third and every
# later one to everyone who moderates, admins included.
FIRST_ALERT = 1
EVERY_MODERATOR = 2
ADMINS_TOO = 3


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA time zone name this machine knows, sorted (the rota form's choices)."""
    return tuple(sorted(available_timezones()))


def scheduled_shift(rota: DutyRota, now: datetime) -> tuple[datetime, datetime] | None:
    """The weekly shift (start, end, in the rota's time zone) in force at `now`, if any."""
    if not rota.days or rota.starts is None or rota.ends is None:
        return None
    zone = ZoneInfo(rota.time_zone)
    local = now.astimezone(zone)
    # A shift may run past midnight: look at the one that began today and the one from yesterday.
    for days_back in (0, 1):
        day = local.date() - timedelta(days=days_back)
        if day.weekday() not in rota.days:
            continue
        end_day = day if rota.ends > rota.starts else day + timedelta(days=1)
        start = datetime.combine(day, rota.starts, tzinfo=zone)
        end = datetime.combine(end_day, rota.ends, tzinfo=zone)
        if start <= local < end:
            return start, end
    return None


def active_override(rota: DutyRota, now: datetime) -> str:
    """The override in force at `now` ("on", "off"), or "" once it has ended."""
    if rota.override and rota.override_until is not None and rota.override_until > now:
        return rota.override
    return ""


def is_on_duty(rota: DutyRota, now: datetime) -> bool:
    """Whether the rota's moderator is on duty at `now`: the override first, then the hours."""
    override = active_override(rota, now)
    if override:
        return override == DutyOverride.ON
    return scheduled_shift(rota, now) is not None


@dataclass(frozen=True)
class DutyStatus:
    """What the duty page says about one moderator right now."""

    on_duty: bool
    # When that changes by itself (an override's end, or the current shift's end), if known.
    until: datetime | None
    # "override" or "rota": why it is so.
    source: str
    time_zone: str


def duty_status(rota: DutyRota | None, now: datetime) -> DutyStatus:
    """Whether the moderator is on duty at `now`, until when, and why."""
    if rota is None:
        return DutyStatus(on_duty=False, until=None, source="rota", time_zone="UTC")
    override = active_override(rota, now)
    if override:
        return DutyStatus(
            on_duty=override == DutyOverride.ON,
            until=rota.override_until,
            source="override",
            time_zone=rota.time_zone,
        )
    shift = scheduled_shift(rota, now)
    return DutyStatus(
        on_duty=shift is not None,
        until=shift[1] if shift else None,
        source="rota",
        time_zone=rota.time_zone,
    )


def moderators_on_duty(*, now: datetime) -> list[User]:
    """Every moderator (admins included) on duty at `now`, in a stable order."""
    rotas = DutyRota.objects.filter(moderator__in=moderators()).select_related("moderator")
    on_duty = [rota.moderator for rota in rotas if is_on_duty(rota, now)]
    return sorted(on_duty, key=lambda user: user.pk)


def alert_recipients(*, stage: int, now: datetime) -> list[User]:
    """Who the urgent alert of escalation `stage` reaches at `now`: the moderators on duty
    (every moderator when nobody is), then every moderator, then admins as well."""
    everyone = list(moderators())
    team = [user for user in everyone if not user.is_admin]
    if stage >= ADMINS_TOO:
        return everyone
    on_duty = moderators_on_duty(now=now)
    if stage == FIRST_ALERT and on_duty:
        return on_duty
    chosen = {user.pk: user for user in [*on_duty, *team]}
    # A site moderated by admins alone still hears at once.
    return sorted(chosen.values(), key=lambda user: user.pk) or everyone
