"""Who is on duty and who each stage of an urgent alert reaches (community/rota.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from accounts.models import Role
from community import rota
from community.models import DutyOverride, DutyRota, Weekday
from tests.factories import UserFactory

WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def new_york_office_hours() -> DutyRota:
    return DutyRota(days=WEEKDAYS, starts=time(9), ends=time(17), time_zone="America/New_York")


def kolkata_sunday_night() -> DutyRota:
    # Sunday 22:00 to Monday 06:00, India Standard Time (UTC+05:30, no summer time).
    return DutyRota(days=[Weekday.SUNDAY], starts=time(22), ends=time(6), time_zone="Asia/Kolkata")


@pytest.mark.parametrize(
    ("moment", "on_duty"),
    [
        ("2026-11-30T14:30", True),  # Monday 09:30 in New York (EST, UTC-5)
        ("2026-11-30T13:30", False),  # Monday 08:30: not started yet
        ("2026-11-30T22:00", False),  # Monday 17:00: the shift has ended
        ("2026-11-28T15:00", False),  # Saturday 10:00: not a rota day
        ("2026-07-06T13:30", True),  # Monday 09:30 in summer (EDT, UTC-4): the wall clock wins
        ("2026-07-06T21:30", False),  # Monday 17:30 in summer
    ],
)
def test_a_new_york_rota_is_read_on_new_york_clocks(moment, on_duty):
    assert rota.is_on_duty(new_york_office_hours(), at(moment)) is on_duty


@pytest.mark.parametrize(
    ("moment", "on_duty"),
    [
        ("2026-11-29T16:30", True),  # Sunday 22:00 in Kolkata: the shift starts
        ("2026-11-29T16:29", False),  # Sunday 21:59
        ("2026-11-30T00:29", True),  # Monday 05:59: a shift that began on Sunday runs on
        ("2026-11-30T00:30", False),  # Monday 06:00: it has ended
        ("2026-11-28T17:00", False),  # Saturday 22:30: no shift starts on Saturdays
        ("2026-11-30T17:00", False),  # Monday 22:30: no shift starts on Mondays
    ],
)
def test_a_kolkata_rota_runs_past_midnight(moment, on_duty):
    assert rota.is_on_duty(kolkata_sunday_night(), at(moment)) is on_duty


def test_the_shift_in_force_ends_on_the_local_clock():
    start, end = rota.scheduled_shift(kolkata_sunday_night(), at("2026-11-29T20:00"))
    assert start == at("2026-11-29T16:30")
    assert end == at("2026-11-30T00:30")


def test_an_override_wins_until_it_ends():
    hours = new_york_office_hours()
    monday_morning = at("2026-11-30T14:30")
    hours.override = DutyOverride.OFF
    hours.override_until = monday_morning + timedelta(hours=1)
    assert not rota.is_on_duty(hours, monday_morning)
    assert rota.is_on_duty(hours, monday_morning + timedelta(hours=1))

    saturday = at("2026-11-28T15:00")
    hours.override = DutyOverride.ON
    hours.override_until = saturday + timedelta(hours=12)
    assert rota.is_on_duty(hours, saturday)
    assert not rota.is_on_duty(hours, saturday + timedelta(hours=12))


def test_no_rota_means_off_duty_and_no_hours_means_overrides_only():
    assert rota.duty_status(None, at("2026-11-30T14:30")).on_duty is False
    empty = DutyRota(time_zone="Asia/Kolkata")
    assert rota.scheduled_shift(empty, at("2026-11-30T14:30")) is None


@pytest.fixture
def team(db):
    """Two moderators (one on duty in New York hours), an admin and a superuser."""
    on_duty = UserFactory(role=Role.MODERATOR)
    DutyRota.objects.create(
        moderator=on_duty,
        days=WEEKDAYS,
        starts=time(9),
        ends=time(17),
        time_zone="America/New_York",
    )
    off_duty = UserFactory(role=Role.MODERATOR)
    DutyRota.objects.create(
        moderator=off_duty,
        days=[Weekday.SUNDAY],
        starts=time(22),
        ends=time(6),
        time_zone="Asia/Kolkata",
    )
    admin = UserFactory(role=Role.ADMIN)
    superuser = UserFactory(is_superuser=True)
    UserFactory(role=Role.PEER_SPECIALIST)
    return {"on": on_duty, "off": off_duty, "admin": admin, "superuser": superuser}


def test_the_first_alert_reaches_only_the_moderators_on_duty(team):
    monday_morning = at("2026-11-30T14:30")
    assert rota.moderators_on_duty(now=monday_morning) == [team["on"]]
    assert rota.alert_recipients(stage=1, now=monday_morning) == [team["on"]]


def test_with_nobody_on_duty_the_first_alert_reaches_every_moderator(team):
    saturday = at("2026-11-28T15:00")
    assert rota.moderators_on_duty(now=saturday) == []
    assert rota.alert_recipients(stage=1, now=saturday) == [team["on"], team["off"]]


def test_the_second_stage_reaches_every_moderator_and_the_third_the_admins_too(team):
    monday_morning = at("2026-11-30T14:30")
    assert rota.alert_recipients(stage=2, now=monday_morning) == [team["on"], team["off"]]
    assert rota.alert_recipients(stage=3, now=monday_morning) == [
        team["on"],
        team["off"],
        team["admin"],
        team["superuser"],
    ]
    assert rota.alert_recipients(stage=5, now=monday_morning) == rota.alert_recipients(
        stage=3, now=monday_morning
    )


def test_an_admin_on_duty_is_alerted_first(team):
    DutyRota.objects.create(
        moderator=team["admin"],
        override=DutyOverride.ON,
        override_until=at("2026-11-28T20:00"),
    )
    saturday = at("2026-11-28T15:00")
    assert rota.alert_recipients(stage=1, now=saturday) == [team["admin"]]
    assert rota.alert_recipients(stage=2, now=saturday) == [
        team["on"],
        team["off"],
        team["admin"],
    ]


def test_a_site_moderated_by_admins_alone_still_hears_at_once(db):
    admin = UserFactory(role=Role.ADMIN)
    assert rota.alert_recipients(stage=1, now=at("2026-11-28T15:00")) == [admin]
