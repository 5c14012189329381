"""Celery tasks for account emails: ids in, rows re-read, safe to run twice.

Names are stable (queued messages and the beat schedule carry them) and come from
accounts.services, which dispatches them by name without importing this module.
"""

from __future__ import annotations

import smtplib
import socket

from celery import Task, shared_task

from . import services

# Mail-server trouble is worth retrying; anything else is a bug and must surface.
MAIL_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


@shared_task(name=services.SEND_ACCOUNT_MAIL, bind=True, max_retries=None)
def send_account_mail(self: Task[[int], str], mail_id: int) -> str:
    """The account email has been sent once, or is failed after the last attempt."""
    try:
        return services.deliver_account_mail(mail_id=mail_id)
    except MAIL_ERRORS as error:
        attempts, final = services.record_account_mail_failure(mail_id=mail_id)
        if final:
            return "failed"
        if self.request.is_eager:
            # No broker to schedule a retry on: the row stays pending for the sweeper.
            return "pending"
        raise self.retry(countdown=min(30 * 2**attempts, 3600), exc=error) from error


@shared_task(name=services.SWEEP_ACCOUNT_MAIL)
def sweep_account_mail() -> int:
    """Account emails left pending are on the broker again."""
    return services.sweep_account_mail()
