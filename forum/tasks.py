"""Celery tasks for the forum: ids in, rows re-read, safe to run twice."""

from __future__ import annotations

import smtplib
import socket

from celery import shared_task

from . import emails, notifications

# Mail-server trouble is worth retrying; anything else is a bug and must surface.
MAIL_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


@shared_task(name="forum.fan_out_post")
def fan_out_post(post_id: int) -> int:
    """Everyone owed a notification about the post has one (and an outbox row)."""
    return notifications.fan_out_reply(post_id=post_id).recipients


@shared_task(name="forum.deliver_email", bind=True, max_retries=None)
def deliver_email(self, outbox_id: int) -> str:
    """The outbox row is sent (with any coalesced rows), deferred, cancelled or failed."""
    try:
        return emails.deliver(outbox_id=outbox_id)
    except MAIL_ERRORS as error:
        attempt, final = emails.record_failure(outbox_ids=[outbox_id], error=error)
        if final:
            return "failed"
        if self.request.is_eager:
            # No broker to schedule a retry on: the row stays pending for the sweeper.
            return "pending"
        raise self.retry(countdown=emails.retry_delay(attempt), exc=error) from error


@shared_task(name="forum.send_digest", bind=True, max_retries=None)
def send_digest(self, user_id: int) -> str:
    """The member's pending digest rows are sent in one email, grouped by topic."""
    try:
        return emails.send_digest(user_id=user_id)
    except MAIL_ERRORS as error:
        attempt, final = emails.record_digest_failure(user_id=user_id, error=error)
        if final:
            return "failed"
        if self.request.is_eager:
            return "pending"
        raise self.retry(countdown=emails.retry_delay(attempt), exc=error) from error


@shared_task(name="forum.send_digests")
def send_digests() -> int:
    """Every member with digest rows pending has a digest on its way."""
    return notifications.start_digests()


@shared_task(name="forum.sweep_outbox")
def sweep_outbox() -> dict:
    """Outbox rows left pending after a broker or worker failure are handed over again."""
    return notifications.sweep_outbox()


BY_NAME = {
    task.name: task
    for task in (fan_out_post, deliver_email, send_digest, send_digests, sweep_outbox)
}
