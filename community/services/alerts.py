"""Telling moderators what waits for them: urgent at-risk alerts, their escalation and the
queue summary.

An at-risk item alerts whoever is on duty at once (every moderator when nobody is). While nobody
claims it, each AT_RISK_REALERT_MINUTES the beat sweep moves it one stage on: every moderator,
then the admins too, then everyone again each period. Each stage has its own event key, so a
sweep that runs twice, or a redelivered task, tells nobody twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.models import ReviewItem, ReviewStatus
from community.rota import alert_recipients
from community.selectors import moderators
from forum.models import NotificationKind
from forum.notifications.api import notify

AT_RISK_ALERT_MESSAGE = (
    "Urgent: a member may need support now. An item is waiting at the top of the review "
    "queue. Please claim it so others know someone is with them."
)
UNCLAIMED_NOTE = " Nobody has claimed it for {minutes} minutes."
SUMMARY_WINDOW_SECONDS = 15 * 60


def _alert_key(item: ReviewItem) -> str:
    # One key per stage per opening of the item: a reopened item alerts afresh.
    return f"at-risk:{item.pk}:{int(item.opened_at.timestamp())}:{item.alert_count}"


def alert_moderators(
    *,
    item: ReviewItem,
    now: datetime | None = None,
    stage: int | None = None,
    due_at: datetime | None = None,
) -> int:
    """The moderators escalation `stage` reaches (by default the item's next stage) have an
    urgent alert about at-risk `item` (never with its text); the item records the stage and
    when it was due (`due_at`, default `now`), and the caller saves it. Returns how many
    moderators were told."""
    now = now or timezone.now()
    item.alert_count = stage if stage is not None else item.alert_count + 1
    item.last_alerted_at = due_at or now
    key = _alert_key(item)
    message = AT_RISK_ALERT_MESSAGE
    if item.alert_count > 1:
        waited = (item.alert_count - 1) * settings.AT_RISK_REALERT_MINUTES
        message += UNCLAIMED_NOTE.format(minutes=waited)
    sent = 0
    for moderator in alert_recipients(stage=item.alert_count, now=now):
        if notify(
            recipient=moderator,
            kind=NotificationKind.URGENT_ALERT,
            event_key=key,
            message=message,
            url=item.get_absolute_url(),
        ):
            sent += 1
    return sent


def alert_if_at_risk(*, item: ReviewItem) -> None:
    """An open at-risk `item` has alerted the moderators on duty (every moderator when nobody
    is) once; later stages are the sweep's."""
    if item.at_risk and item.status == ReviewStatus.OPEN and item.alert_count == 0:
        alert_moderators(item=item)


def realert_unclaimed_at_risk(*, now: datetime | None = None) -> int:
    """Each at-risk item nobody claimed has moved one escalation stage on for every
    AT_RISK_REALERT_MINUTES since its last stage: every moderator after 15 minutes, the admins
    too after 30, everyone again each period after that. Returns how many items alerted."""
    now = now or timezone.now()
    period = timedelta(minutes=settings.AT_RISK_REALERT_MINUTES)
    cutoff = now - period
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
            if item is None or item.last_alerted_at is None:
                continue
            # Stages are due on a fixed clock from the first alert, not from when a sweep
            # happened to run; after an outage the item jumps to the stage now due, whose
            # recipients include every earlier stage's.
            periods = (now - item.last_alerted_at) // period
            alert_moderators(
                item=item,
                now=now,
                stage=item.alert_count + periods,
                due_at=item.last_alerted_at + periods * period,
            )
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
