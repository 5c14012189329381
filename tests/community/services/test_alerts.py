"""Moderator re-alerts and the queue summary (community/services/alerts.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from community import services
from community.models import (
    Report,
    ReviewItem,
)
from forum.models import NotificationKind
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
    assert len(notes_for(moderator, NotificationKind.MODERATOR_ALERT)) == 2

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
