"""Celery tasks for notifications: ids in, rows re-read, safe to run twice.

Names are stable (queued messages and the beat schedule carry them) and come from
forum.notifications.outbox, which dispatches them by name without importing this module.
Nothing here retries itself or waits with a countdown: a row that must wait gets a
`send_after`, and the outbox sweep (beat) hands it over once it is due. Mail tasks run on the
`mail` queue, so a slow mail server never holds up in-site notifications or moderation.
"""

from __future__ import annotations

from celery import shared_task

from . import delivery, fan_out, outbox


@shared_task(name=outbox.FAN_OUT_POST)
def fan_out_post(post_id: int) -> int:
    """Everyone owed a notification about the post has one (and an outbox row)."""
    return fan_out.fan_out_reply(post_id=post_id).recipients


@shared_task(name=outbox.DELIVER_EMAIL)
def deliver_email(*outbox_ids: int) -> dict[str, int]:
    """Each outbox row is sent (with any coalesced rows), deferred, cancelled, failed, or waits
    for the mail server; one connection for the whole batch."""
    return delivery.deliver_batch(outbox_ids=list(outbox_ids))


@shared_task(name=outbox.SEND_DIGEST)
def send_digest(user_id: int) -> str:
    """The member's pending digest rows are sent in one email grouped by topic, or wait."""
    return delivery.send_digest(user_id=user_id)


@shared_task(name=outbox.SEND_DIGESTS)
def send_digests() -> int:
    """Every member with digest rows pending has a digest on its way."""
    return outbox.start_digests()


@shared_task(name=outbox.SWEEP_OUTBOX)
def sweep_outbox() -> dict[str, int]:
    """Outbox rows that are due and held by no task (waiting out a window, a retry or a mail
    pause, or lost with a broker or worker) are handed over."""
    return outbox.sweep_outbox()
