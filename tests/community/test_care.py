"""Care for the moderators (community/care.py and services.hand_back_claims)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from community import care, services
from community.models import CareBreak, ReviewItem, ReviewStatus
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def handled(decided, moderator, now):
    """`moderator` decided `n` items, at risk unless told otherwise, `ago` before now."""

    def handled(n, *, ago=timedelta(hours=1), at_risk=True, by=None):
        for _ in range(n):
            decided(
                opened_at=now - ago - timedelta(minutes=30),
                decided_at=now - ago,
                at_risk=at_risk,
                moderator=by or moderator,
            )

    return handled


def test_only_at_risk_items_this_moderator_decided_in_24_hours_count(handled, moderator, now):
    handled(3)
    handled(4, at_risk=False)
    handled(2, ago=timedelta(hours=25))
    handled(5, by=UserFactory(role=Role.MODERATOR))
    assert care.at_risk_handled(moderator, now=now) == 3


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=5)
def test_the_break_is_suggested_from_the_threshold_on(handled, moderator, now):
    handled(4)
    assert care.care_notice(moderator, now=now) is None
    handled(1)
    notice = care.care_notice(moderator, now=now)
    assert notice == care.CareNotice(at_risk_handled=5, open_claims=0)


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=1)
def test_members_never_get_a_notice(handled):
    member = UserFactory(role=Role.MEMBER)
    peer = UserFactory(role=Role.PEER_SPECIALIST)
    handled(3, by=member)
    assert care.care_notice(member, now=timezone.now()) is None
    assert care.care_notice(peer, now=timezone.now()) is None


@pytest.fixture
def claimed(moderator):
    """Two open items claimed by `moderator`, one by someone else, one resolved."""
    topic = make_topic()
    other = UserFactory(role=Role.MODERATOR)
    now = timezone.now()
    mine = [
        ReviewItem.objects.create(
            post=make_reply(topic=topic), claimed_by=moderator, claimed_at=now, at_risk=at_risk
        )
        for at_risk in (True, False)
    ]
    theirs = ReviewItem.objects.create(
        post=make_reply(topic=topic), claimed_by=other, claimed_at=now
    )
    done = ReviewItem.objects.create(
        post=make_reply(topic=topic),
        claimed_by=moderator,
        claimed_at=now,
        status=ReviewStatus.RESOLVED,
    )
    return mine, theirs, done


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=2)
def test_a_break_hands_back_open_claims_and_starts_the_count_again(
    handled, moderator, claimed, now
):
    mine, theirs, done = claimed
    handled(2)
    assert care.care_notice(moderator, now=now) == care.CareNotice(at_risk_handled=2, open_claims=2)

    rested = services.hand_back_claims(moderator=moderator, now=now)

    assert rested.claims_returned == 2
    assert CareBreak.objects.get() == rested
    for item in mine:
        item.refresh_from_db()
        assert (item.claimed_by_id, item.claimed_at) == (None, None)
    theirs.refresh_from_db()
    assert theirs.claimed_by_id is not None
    done.refresh_from_db()
    assert done.claimed_by_id == moderator.pk
    # Nothing handled since the break: no suggestion, though the day's count is unchanged.
    later = now + timedelta(minutes=5)
    assert care.at_risk_handled(moderator, now=later) == 0
    assert care.care_notice(moderator, now=later) is None
    assert care.recent_load(moderator, now=later).day.at_risk == 2


def test_a_break_with_nothing_claimed_is_still_recorded(moderator):
    rested = services.hand_back_claims(moderator=moderator)
    assert rested.claims_returned == 0
    assert CareBreak.objects.filter(moderator=moderator).count() == 1


def test_recent_load_counts_the_last_day_and_week(handled, moderator, now, claimed):
    handled(2)
    handled(3, at_risk=False, ago=timedelta(hours=3))
    handled(4, ago=timedelta(days=3))
    handled(1, ago=timedelta(days=8))
    handled(6, by=UserFactory(role=Role.MODERATOR))
    services.hand_back_claims(moderator=moderator, now=now - timedelta(days=2))

    load = care.recent_load(moderator, now=now)

    assert load.day == care.Load(decisions=5, at_risk=2)
    assert load.week == care.Load(decisions=9, at_risk=6)
    assert load.open_claims == 0  # the break two days ago handed them back
    assert load.last_break is not None
    assert load.last_break.claims_returned == 2
