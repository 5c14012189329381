"""Celery tasks for account emails: ids in, rows re-read, safe to run twice.

Names are stable (queued messages and the beat schedule carry them) and come from
accounts.services, which dispatches them by name without importing this module.
"""

from __future__ import annotations

import smtplib
import socket

from celery import shared_task

from . import services

# Mail-server trouble is worth retrying; anything else is a bug and must surface.
MAIL_ERRORS = (smtplib.SMTPException, socket.timeout, ConnectionError, OSError)


@shared_task(name=services.SEND_ACCOUNT_MAIL)
def send_account_mail(mail_id: int) -> str:
    """The account email has been sent once, waits for the sweep to try again, or is failed
    after the last attempt. No retry waits in the worker: a delayed task held there is lost
    when the broker restarts (docs/operations.md, "Worker: queues, restarts...")."""
    try:
        return services.deliver_account_mail(mail_id=mail_id)
    except MAIL_ERRORS:
        _attempts, final = services.record_account_mail_failure(mail_id=mail_id)
        return "failed" if final else "pending"


@shared_task(name=services.SWEEP_ACCOUNT_MAIL)
def sweep_account_mail() -> int:
    """Account emails left pending are on the broker again."""
    return services.sweep_account_mail()
