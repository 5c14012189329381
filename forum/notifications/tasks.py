"""Celery tasks for notifications: ids in, rows re-read, safe to run twice.

Names are stable (queued messages and the beat schedule carry them) and come from
forum.notifications.outbox, which dispatches them by name without importing this module.
"""

from __future__ import annotations

import smtplib
import socket

from celery import Task, shared_task

from . import delivery, fan_out, outbox

# Mail-server trouble is worth retrying; anything else is a bug and must surface.
MAIL_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


@shared_task(name=outbox.FAN_OUT_POST)
def fan_out_post(post_id: int) -> int:
    """Everyone owed a notification about the post has one (and an outbox row)."""
    return fan_out.fan_out_reply(post_id=post_id).recipients


@shared_task(name=outbox.DELIVER_EMAIL, bind=True, max_retries=None)
def deliver_email(self: Task[[int], str], outbox_id: int) -> str:
    """The outbox row is sent (with any coalesced rows), deferred, cancelled or failed."""
    try:
        return delivery.deliver(outbox_id=outbox_id)
    except MAIL_ERRORS as error:
        attempt, final = delivery.record_failure(outbox_ids=[outbox_id], error=error)
        if final:
            return "failed"
        if self.request.is_eager:
            # No broker to schedule a retry on: the row stays pending for the sweeper.
            return "pending"
        raise self.retry(countdown=delivery.retry_delay(attempt), exc=error) from error


@shared_task(name=outbox.SEND_DIGEST, bind=True, max_retries=None)
def send_digest(self: Task[[int], str], user_id: int) -> str:
    """The member's pending digest rows are sent in one email, grouped by topic."""
    try:
        return delivery.send_digest(user_id=user_id)
    except MAIL_ERRORS as error:
        attempt, final = delivery.record_digest_failure(user_id=user_id, error=error)
        if final:
            return "failed"
        if self.request.is_eager:
            return "pending"
        raise self.retry(countdown=delivery.retry_delay(attempt), exc=error) from error


@shared_task(name=outbox.SEND_DIGESTS)
def send_digests() -> int:
    """Every member with digest rows pending has a digest on its way."""
    return outbox.start_digests()


@shared_task(name=outbox.SWEEP_OUTBOX)
def sweep_outbox() -> dict[str, int]:
    """Outbox rows left pending after a broker or worker failure are handed over again."""
    return outbox.sweep_outbox()
