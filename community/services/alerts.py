"""Telling moderators what waits for them: at-risk alerts, re-alerts and the queue summary."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.models import ReviewItem, ReviewStatus
from community.selectors import moderators
from forum.models import NotificationKind
from forum.notifications.api import notify

AT_RISK_ALERT_MESSAGE = (
    "Someone may be at risk: an item is waiting at the top of the review queue. Please claim "
    "it so others know it is being looked after."
)
SUMMARY_WINDOW_SECONDS = 15 * 60


def _alert_key(item: ReviewItem) -> str:
    # One key per alert per opening of the item: a reopened item alerts afresh.
    return f"at-risk:{item.pk}:{int(item.opened_at.timestamp())}:{item.alert_count}"


def alert_moderators(*, item: ReviewItem, now: datetime | None = None) -> int:
    """Every moderator has an immediate alert about at-risk `item` (never with its text); the
    item counts the alert, and the caller saves it. Returns how many moderators were told."""
    item.alert_count += 1
    item.last_alerted_at = now or timezone.now()
    key = _alert_key(item)
    sent = 0
    for moderator in moderators():
        if notify(
            recipient=moderator,
            kind=NotificationKind.MODERATOR_ALERT,
            event_key=key,
            message=AT_RISK_ALERT_MESSAGE,
            url=item.get_absolute_url(),
        ):
            sent += 1
    return sent


def alert_if_at_risk(*, item: ReviewItem) -> None:
    """An open at-risk `item` has alerted every moderator once (later alerts are re-alerts)."""
    if item.at_risk and item.status == ReviewStatus.OPEN and item.alert_count == 0:
        alert_moderators(item=item)


def realert_unclaimed_at_risk(*, now: datetime | None = None) -> int:
    """At-risk items nobody claimed within AT_RISK_REALERT_MINUTES have alerted every
    moderator again (and again each period until someone claims them)."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.AT_RISK_REALERT_MINUTES)
    realerted = 0
    for item_id in ReviewItem.objects.unclaimed_at_risk(alerted_before=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # Re-checked under the lock: someone may have claimed it since the list was read.
            item = (
                ReviewItem.objects.unclaimed_at_risk(alerted_before=cutoff)
                .select_for_update(skip_locked=True)
                .filter(pk=item_id)
                .first()
            )
            if item is None:
                continue
            alert_moderators(item=item, now=now)
            item.save(update_fields=["alert_count", "last_alerted_at"])
            realerted += 1
    return realerted


def send_queue_summary(*, now: datetime | None = None) -> int:
    """While the queue is not empty, every moderator has one summary alert per 15-minute
    window (at-risk items alert on their own); returns how many moderators were told."""
    now = now or timezone.now()
    waiting = ReviewItem.objects.open().count()
    if not waiting:
        return 0
    # The window is part of the key, so a redelivered or doubled beat run tells nobody twice.
    window = int(now.timestamp()) // SUMMARY_WINDOW_SECONDS
    told = 0
    with transaction.atomic():
        for moderator in moderators():
            if notify(
                recipient=moderator,
                kind=NotificationKind.MODERATOR_ALERT,
                event_key=f"queue-summary:{window}",
                message=f"{waiting} item{'s' if waiting != 1 else ''} waiting in the review queue.",
                url=reverse("community:queue"),
            ):
                told += 1
    return told
