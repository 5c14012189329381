"""The rota's escalation driven by a real `celery beat` with the production schedule and real
workers: the moderator on duty hears first, then (nobody claiming) every moderator, then the
admins, each exactly once per stage."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.models import Role
from community.models import DutyOverride, DutyRota, ReviewItem
from forum import dispatch
from forum.services import create_reply
from tests.factories import UserFactory, make_topic
from tests.harness import (  # noqa: F401
    celery_beat,
    celery_worker,
    private_redis,
    smtp_sink,
    wait_until,
)

CRISIS_TEXT = "I have been planning how to end my life and I think tonight is the night."
URGENT_SUBJECT = "Lantern: Urgent: a member may need support now"
REALERT = "community-realert-at-risk"
# Beat sends the sweep every 60 s; a stage is due within one period plus delivery.
TICK_SECONDS = 90


def urgent_to(messages, address: str) -> int:
    return sum(
        1
        for m in messages
        if m["Subject"] == URGENT_SUBJECT and any(a.addr_spec == address for a in m["To"].addresses)
    )


def move_clock_back(item_id: int, minutes: int) -> None:
    """The item opened and was last alerted `minutes` earlier, as the sweep reads them."""
    ReviewItem.objects.filter(pk=item_id).update(
        opened_at=F("opened_at") - timedelta(minutes=minutes),
        last_alerted_at=F("last_alerted_at") - timedelta(minutes=minutes),
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_beat_escalates_an_unclaimed_item_to_every_moderator_then_the_admins(
    celery_worker,  # noqa: F811
    celery_beat,  # noqa: F811
    smtp_sink,  # noqa: F811
    capsys,
):
    on_duty = UserFactory(role=Role.MODERATOR, email="on-duty@example.test")
    DutyRota.objects.create(
        moderator=on_duty,
        days=[],
        time_zone="Asia/Kolkata",
        override=DutyOverride.ON,
        override_until=timezone.now() + timedelta(hours=12),
    )
    off_duty = UserFactory(role=Role.MODERATOR, email="off-duty@example.test")
    admin = UserFactory(role=Role.ADMIN, email="admin@example.test")
    topic = make_topic(title="A title that must stay out of email")
    started = time.monotonic()
    post = create_reply(author=UserFactory(), topic=topic, body=CRISIS_TEXT)

    # Stage 1: the moderator on duty alone, at once.
    smtp_sink.wait_for_recipient(on_duty.email, timeout=30)
    smtp_sink.settle()
    mail = smtp_sink.received()
    assert (urgent_to(mail, off_duty.email), urgent_to(mail, admin.email)) == (0, 0)
    item = ReviewItem.objects.get(post=post)
    assert item.alert_count == 1

    # Nobody claims it; 16 minutes pass for the item, and beat's next minute comes round.
    move_clock_back(item.pk, 16)
    celery_beat.start()
    smtp_sink.wait_for_recipient(off_duty.email, timeout=TICK_SECONDS)
    assert celery_beat.sent(REALERT) == 1
    mail = smtp_sink.settle()
    assert urgent_to(mail, on_duty.email) == 2
    assert urgent_to(mail, off_duty.email) == 1
    assert urgent_to(mail, admin.email) == 0
    assert ReviewItem.objects.get(pk=item.pk).alert_count == 2

    # 31 minutes: the next beat minute reaches the admins too.
    move_clock_back(item.pk, 15)
    smtp_sink.wait_for_recipient(admin.email, timeout=TICK_SECONDS)
    assert celery_beat.sent(REALERT) == 2
    # A doubled sweep in the same minute (a redelivery) tells nobody again.
    assert dispatch.publish("community.realert_unclaimed_at_risk", [])
    mail = smtp_sink.settle(quiet=3)
    counts = {a: urgent_to(mail, a) for a in (on_duty.email, off_duty.email, admin.email)}
    assert counts == {on_duty.email: 3, off_duty.email: 2, admin.email: 1}
    assert ReviewItem.objects.get(pk=item.pk).alert_count == 3
    for message in mail:
        raw = message.as_string()
        if message["Subject"] == URGENT_SUBJECT:
            assert "end my life" not in raw and topic.title not in raw
    with capsys.disabled():
        print(f"\nrota escalation through beat, three stages: {time.monotonic() - started:.1f} s")
