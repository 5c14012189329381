"""Handing outbox rows to Celery, and the sweeper that hands over again what was not taken.

Every notification and email owed is already a row (`PostFanOut`, `EmailOutbox`) written in the
transaction that caused it; this module only tells the workers about rows. It names tasks through
`forum.dispatch`, never by importing them: the tasks module imports this one. If the broker is
down, a hand-off fails fast and is logged, the row stays pending, and `sweep_outbox` (beat, every
30 s) hands it over again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.utils import timezone

from forum import dispatch

from .models import Delivery, EmailOutbox, FanOutStatus, OutboxStatus, PostFanOut

# Stable task names: queued messages and the beat schedule (config/settings/base.py) carry them.
FAN_OUT_POST = "forum.fan_out_post"
DELIVER_EMAIL = "forum.deliver_email"
SEND_DIGEST = "forum.send_digest"
SEND_DIGESTS = "forum.send_digests"
SWEEP_OUTBOX = "forum.sweep_outbox"


def dispatch_fan_out(post_id: int) -> bool:
    """Post `post_id`'s fan-out is on the broker (True), or left pending for the sweeper."""
    return dispatch.publish(FAN_OUT_POST, [post_id])


def dispatch_emails(outbox_ids: list[int], *, countdown: float | None = None) -> int:
    """Hand each outbox row to a `forum.deliver_email` task; returns how many were accepted."""
    if countdown and current_app.conf.task_always_eager:
        # Eager runs cannot wait: the row keeps its send_after and the sweeper hands it over
        # once it is due.
        return 0
    accepted = 0
    for outbox_id in outbox_ids:
        if not dispatch.publish(DELIVER_EMAIL, [outbox_id], countdown=countdown):
            # The broker is down: the rest would fail the same way, and the sweeper has them.
            break
        accepted += 1
    return accepted


def dispatch_digests(user_ids: list[int], *, now: datetime | None = None) -> int:
    """Hand each member's digest to a `forum.send_digest` task; returns how many were accepted."""
    now = now or timezone.now()
    accepted = 0
    for uid in user_ids:
        EmailOutbox.objects.filter(
            recipient_id=uid, delivery=Delivery.DIGEST, status=OutboxStatus.PENDING
        ).update(dispatched_at=now)
        if not dispatch.publish(SEND_DIGEST, [uid]):
            break
        accepted += 1
    return accepted


def start_digests(*, now: datetime | None = None) -> int:
    """Every member with digest rows pending has a `forum.send_digest` task on its way."""
    users = list(
        EmailOutbox.objects.filter(status=OutboxStatus.PENDING, delivery=Delivery.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return dispatch_digests(users, now=now)


def latest_digest_moment(now: datetime | None = None) -> datetime:
    """The most recent time the daily digest was due."""
    now = now or timezone.now()
    moment = now.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)


def sweep_outbox(*, now: datetime | None = None) -> dict[str, int]:
    """Rows still pending long after their last hand-off to the broker are handed over again."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER)
    counts = {"fan_outs": 0, "emails": 0, "digests": 0}

    fan_outs = list(
        PostFanOut.objects.filter(status=FanOutStatus.PENDING, dispatched_at__lt=stale)
        .order_by("pk")
        .values_list("post_id", flat=True)[:1000]
    )
    if fan_outs:
        PostFanOut.objects.filter(post_id__in=fan_outs).update(dispatched_at=now)
        for post_id in fan_outs:
            if not dispatch_fan_out(post_id):
                return counts
            counts["fan_outs"] += 1

    emails = list(
        EmailOutbox.objects.filter(
            status=OutboxStatus.PENDING,
            delivery=Delivery.IMMEDIATE,
            dispatched_at__lt=stale,
            send_after__lte=now,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    if emails:
        EmailOutbox.objects.filter(pk__in=emails).update(dispatched_at=now)
        counts["emails"] = dispatch_emails(emails)
        if counts["emails"] < len(emails):
            return counts

    digest_users = list(
        EmailOutbox.objects.filter(
            status=OutboxStatus.PENDING,
            delivery=Delivery.DIGEST,
            created_at__lt=latest_digest_moment(now),
            dispatched_at__lt=stale,
        )
        .values_list("recipient_id", flat=True)
        .distinct()[:5000]
    )
    counts["digests"] = dispatch_digests(digest_users, now=now)
    return counts
