"""Moderators setting when they are on duty (community/services/duty.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from community import rota, services
from community.models import DutyOverride, DutyRota, Weekday
from community.services import ModerationError

# Monday 30 Nov 2026, 09:30 in New York.
MONDAY_MORNING = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)


@pytest.fixture
def weekday_mornings(moderator):
    return services.save_rota(
        moderator=moderator,
        days=[Weekday.MONDAY, Weekday.FRIDAY, Weekday.MONDAY],
        starts=time(9),
        ends=time(12),
        time_zone="America/New_York",
    )


def test_saving_hours_keeps_each_day_once(weekday_mornings):
    assert weekday_mornings.days == [Weekday.MONDAY, Weekday.FRIDAY]
    assert DutyRota.objects.get().time_zone == "America/New_York"


def test_days_without_times_are_refused(moderator):
    with pytest.raises(ModerationError):
        services.save_rota(
            moderator=moderator, days=[1], starts=None, ends=time(5), time_zone="UTC"
        )
    assert not DutyRota.objects.exists()


def test_no_days_clears_the_hours(weekday_mornings, moderator):
    saved = services.save_rota(
        moderator=moderator, days=[], starts=time(9), ends=time(12), time_zone="UTC"
    )
    assert (saved.days, saved.starts, saved.ends) == ([], None, None)


def test_on_duty_now_lasts_the_hours_chosen(moderator):
    saved = services.go_on_duty(moderator=moderator, hours=12, now=MONDAY_MORNING)
    assert saved.override == DutyOverride.ON
    assert saved.override_until == MONDAY_MORNING + timedelta(hours=12)
    assert rota.is_on_duty(saved, MONDAY_MORNING + timedelta(hours=11, minutes=59))
    assert not rota.is_on_duty(saved, MONDAY_MORNING + timedelta(hours=12))
    for hours in (0, 13):
        with pytest.raises(ModerationError):
            services.go_on_duty(moderator=moderator, hours=hours, now=MONDAY_MORNING)


def test_off_duty_now_lasts_until_the_end_of_the_current_shift(weekday_mornings, moderator):
    assert rota.is_on_duty(weekday_mornings, MONDAY_MORNING)
    saved = services.go_off_duty(moderator=moderator, now=MONDAY_MORNING)
    assert saved.override == DutyOverride.OFF
    # 12:00 in New York is 17:00 UTC.
    assert saved.override_until == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert not rota.is_on_duty(saved, MONDAY_MORNING)
    # Friday's shift is on again, untouched.
    assert rota.is_on_duty(saved, datetime(2026, 12, 4, 14, 30, tzinfo=UTC))


def test_off_duty_now_outside_ones_hours_ends_on_duty_now(weekday_mornings, moderator):
    saturday = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    services.go_on_duty(moderator=moderator, hours=4, now=saturday)
    saved = services.go_off_duty(moderator=moderator, now=saturday + timedelta(hours=1))
    assert (saved.override, saved.override_until) == ("", None)
    assert not rota.is_on_duty(saved, saturday + timedelta(hours=1))
    assert saved.days == [Weekday.MONDAY, Weekday.FRIDAY]
