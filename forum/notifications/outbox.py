"""Handing outbox rows to Celery, and the sweeper that hands over again what was not taken.

Every notification and email owed is already a row (`PostFanOut`, `EmailOutbox`) written in the
transaction that caused it; this module only tells the workers about rows. It names tasks through
`forum.dispatch`, never by importing them: the tasks module imports this one. If the broker is
down, a hand-off fails fast and is logged, the row stays pending and is released (no task holds
it), and `sweep_outbox` (beat, every 15 s) hands it over again on its first sweep after the broker
is back, not a redispatch period later.

Nothing is handed over with a countdown or an eta: a delayed message sits unacknowledged in a
worker, and a worker holding one does not survive its broker restarting. A row that must wait
(a coalescing window, a retry's backoff, a paused mail server) has a `send_after` and no
`dispatched_at`, and the sweep hands it over once it is due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from forum import dispatch

from . import mail_server
from .models import Delivery, EmailOutbox, FanOutStatus, OutboxStatus, PostFanOut

# Stable task names: queued messages and the beat schedule (config/settings/base.py) carry them.
FAN_OUT_POST = "forum.fan_out_post"
DELIVER_EMAIL = "forum.deliver_email"
SEND_DIGEST = "forum.send_digest"
SEND_DIGESTS = "forum.send_digests"
SWEEP_OUTBOX = "forum.sweep_outbox"


def _release_fan_outs(post_ids: list[int]) -> None:
    """Fan-outs whose hand-off failed are held by no task: dated a full redispatch period back,
    the next sweep takes them."""
    released = timezone.now() - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER + 1)
    PostFanOut.objects.filter(post_id__in=post_ids, status=FanOutStatus.PENDING).update(
        dispatched_at=released
    )


def _release_emails(outbox_ids: list[int]) -> None:
    """Email rows whose hand-off failed are held by no task: the next sweep takes them once due."""
    EmailOutbox.objects.filter(pk__in=outbox_ids, status=OutboxStatus.PENDING).update(
        dispatched_at=None
    )


def dispatch_fan_out(post_id: int) -> bool:
    """Post `post_id`'s fan-out is on the broker (True), or released for the sweeper."""
    if dispatch.publish(FAN_OUT_POST, [post_id]):
        return True
    _release_fan_outs([post_id])
    return False


def dispatch_emails(outbox_ids: list[int]) -> int:
    """Hand the rows to `forum.deliver_email` tasks, EMAIL_BATCH_SIZE rows a task (each task
    sends its batch over one connection); returns how many rows were accepted."""
    accepted = 0
    size = settings.EMAIL_BATCH_SIZE
    for start in range(0, len(outbox_ids), size):
        batch = outbox_ids[start : start + size]
        if not dispatch.publish(DELIVER_EMAIL, batch):
            # The broker is down: the rest would fail the same way, and the sweeper has them.
            _release_emails(outbox_ids[start:])
            break
        accepted += len(batch)
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
            EmailOutbox.objects.filter(
                recipient_id=uid, delivery=Delivery.DIGEST, status=OutboxStatus.PENDING
            ).update(dispatched_at=None)
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


def _not_held(stale: datetime) -> Q:
    """Rows no task holds: never handed over since they last had to wait, or handed over so
    long ago that the message or the worker must have been lost."""
    return Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale)


def sweep_outbox(*, now: datetime | None = None) -> dict[str, int]:
    """Fan-outs pending long after their hand-off, and email rows that are due and held by no
    task, are handed over (again)."""
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
        for index, post_id in enumerate(fan_outs):
            if not dispatch_fan_out(post_id):
                _release_fan_outs(fan_outs[index + 1 :])
                return counts
            counts["fan_outs"] += 1

    if mail_server.paused_until(now=now) is not None:
        # Every email would wait again; the first sweep after the pause sends the probe.
        return counts

    emails = list(
        EmailOutbox.objects.filter(
            _not_held(stale),
            status=OutboxStatus.PENDING,
            delivery=Delivery.IMMEDIATE,
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
            _not_held(stale),
            status=OutboxStatus.PENDING,
            delivery=Delivery.DIGEST,
            created_at__lt=latest_digest_moment(now),
            send_after__lte=now,
        )
        .values_list("recipient_id", flat=True)
        .distinct()[:5000]
    )
    counts["digests"] = dispatch_digests(digest_users, now=now)
    return counts
