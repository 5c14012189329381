"""Urgent alerts, their escalation, and the queue summary (community/services/alerts.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from community import services
from community.models import (
    DutyOverride,
    DutyRota,
    Report,
    ReviewItem,
)
from community.services import alerts
from forum.models import Notification, NotificationKind
from forum.services import create_reply
from tests.factories import UserFactory, make_topic

CRISIS_TEXT = "I can't do this any more. I keep thinking about ending it all."


def test_unclaimed_at_risk_items_alert_every_moderator_again(
    moderator, django_capture_on_commit_callbacks, notes_for
):
    with django_capture_on_commit_callbacks(execute=True):
        post = create_reply(author=UserFactory(), topic=make_topic(), body=CRISIS_TEXT)
    item = ReviewItem.objects.get(post=post)
    assert services.realert_unclaimed_at_risk() == 0
    later = timezone.now() + timedelta(minutes=16)
    assert services.realert_unclaimed_at_risk(now=later) == 1
    assert services.realert_unclaimed_at_risk(now=later) == 0
    assert len(notes_for(moderator, NotificationKind.URGENT_ALERT)) == 2

    services.claim_item(moderator=moderator, item=item)
    assert services.realert_unclaimed_at_risk(now=later + timedelta(minutes=16)) == 0


def test_the_queue_summary_goes_out_at_most_once_per_window(
    moderator, reported_post, file_report, notes_for
):
    assert services.send_queue_summary() == 0
    file_report(reported_post)
    services.fold_report(report_id=Report.objects.get().pk)
    now = timezone.now()
    assert services.send_queue_summary(now=now) == 1
    services.send_queue_summary(now=now)
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 1
    services.send_queue_summary(now=now + timedelta(minutes=15))
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 2


# --- escalation: on duty first, every moderator after 15 minutes, the admins after 30 --------


@pytest.fixture
def team(db):
    """A moderator on duty now, one off duty, and an admin."""
    on_duty = UserFactory(role=Role.MODERATOR)
    DutyRota.objects.create(
        moderator=on_duty,
        override=DutyOverride.ON,
        override_until=timezone.now() + timedelta(hours=12),
    )
    return {
        "on": on_duty,
        "off": UserFactory(role=Role.MODERATOR),
        "admin": UserFactory(role=Role.ADMIN),
    }


@pytest.fixture
def crisis_item(django_capture_on_commit_callbacks):
    """Write a crisis post now (tasks run on commit) and return its review item."""

    def crisis_item():
        with django_capture_on_commit_callbacks(execute=True):
            post = create_reply(author=UserFactory(), topic=make_topic(), body=CRISIS_TEXT)
        return ReviewItem.objects.get(post=post)

    return crisis_item


def urgent(user) -> int:
    return Notification.objects.filter(recipient=user, kind=NotificationKind.URGENT_ALERT).count()


def told(team) -> dict[str, int]:
    return {name: urgent(user) for name, user in team.items()}


def test_a_new_at_risk_item_alerts_only_the_moderators_on_duty(team, crisis_item):
    item = crisis_item()
    assert told(team) == {"on": 1, "off": 0, "admin": 0}
    assert item.alert_count == 1
    note = Notification.objects.get(recipient=team["on"])
    assert note.message.startswith("Urgent: a member may need support now.")
    assert CRISIS_TEXT not in note.message


def test_with_nobody_on_duty_every_moderator_is_alerted_at_once(team, crisis_item):
    DutyRota.objects.filter(moderator=team["on"]).update(override="", override_until=None)
    crisis_item()
    assert told(team) == {"on": 1, "off": 1, "admin": 0}


def test_unclaimed_after_15_minutes_every_moderator_after_30_the_admins(team, crisis_item):
    item = crisis_item()
    first = item.last_alerted_at
    assert services.realert_unclaimed_at_risk(now=first + timedelta(minutes=14, seconds=59)) == 0
    assert told(team) == {"on": 1, "off": 0, "admin": 0}

    # The beat sweep runs a little after the quarter hour; the stage is still due on the quarter.
    at_15 = first + timedelta(minutes=15, seconds=40)
    assert services.realert_unclaimed_at_risk(now=at_15) == 1
    assert services.realert_unclaimed_at_risk(now=at_15) == 0
    assert told(team) == {"on": 2, "off": 1, "admin": 0}
    item.refresh_from_db()
    assert item.alert_count == 2
    assert item.last_alerted_at == first + timedelta(minutes=15)
    note = Notification.objects.filter(recipient=team["off"]).get()
    assert note.message.endswith("Nobody has claimed it for 15 minutes.")

    assert services.realert_unclaimed_at_risk(now=first + timedelta(minutes=29, seconds=59)) == 0
    at_30 = first + timedelta(minutes=30)
    assert services.realert_unclaimed_at_risk(now=at_30) == 1
    assert told(team) == {"on": 3, "off": 2, "admin": 1}

    services.claim_item(moderator=team["off"], item=ReviewItem.objects.get(pk=item.pk))
    assert services.realert_unclaimed_at_risk(now=first + timedelta(minutes=60)) == 0
    assert told(team) == {"on": 3, "off": 2, "admin": 1}


def test_after_a_beat_outage_the_item_jumps_to_the_stage_now_due(team, crisis_item):
    item = crisis_item()
    # No sweep ran for 31 minutes: the admins hear at once, and nobody is told twice.
    later = item.last_alerted_at + timedelta(minutes=31)
    assert services.realert_unclaimed_at_risk(now=later) == 1
    assert services.realert_unclaimed_at_risk(now=later) == 0
    assert told(team) == {"on": 2, "off": 1, "admin": 1}
    item.refresh_from_db()
    assert item.alert_count == 3


def test_each_stage_has_its_own_event_key_so_a_repeat_tells_nobody_twice(team, crisis_item):
    item = crisis_item()
    later = item.last_alerted_at + timedelta(minutes=15)
    services.realert_unclaimed_at_risk(now=later)
    keys = set(
        Notification.objects.filter(kind=NotificationKind.URGENT_ALERT).values_list(
            "event_key", flat=True
        )
    )
    assert len(keys) == 2
    # The stage already sent, sent again (a redelivered task): nobody is told twice.
    item.refresh_from_db()
    alerts.alert_moderators(item=item, stage=2, now=later)
    assert told(team) == {"on": 2, "off": 1, "admin": 0}
