"""What the mail server's trouble means: which errors are worth retrying, and the pause.

A temporary error (a 4xx reply, a refused, reset or timed-out connection) is retried later; a
permanent one (a 5xx reply about this message or recipient) will never succeed, so the row fails
at once and shows in the admin. Trouble with the server itself (it cannot be reached, hangs, or
says "try later" to everything) pauses all sending to it, doubling each time it fails again,
so a two-minute outage costs a handful of connection attempts rather than one per email.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import MailServerPause

logger = logging.getLogger(__name__)

# Everything a mail backend raises when the server misbehaves; anything else is a bug.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def server_name() -> str:
    """The mail server this process sends through, as "host:port"."""
    return f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"


def reply_code(error: Exception) -> int | None:
    """The SMTP reply code behind `error`, or None when the server never answered."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        # Several recipients: the mildest answer decides (one 4xx means "try again").
        return min(codes) if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return int(error.smtp_code)
    return None


def is_permanent(error: Exception) -> bool:
    """A 5xx reply about this message or recipient: sending it again cannot succeed."""
    if isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPHeloError):
        # Our credentials or name, not the message: every email would fail, so pause instead.
        return False
    code = reply_code(error)
    return code is not None and 500 <= code < 600


def is_server_trouble(error: Exception) -> bool:
    """Whether `error` says the server (not this one recipient) cannot take mail right now."""
    # A 4xx for one recipient (a full mailbox, greylisting) is that member's row's business.
    return not isinstance(error, smtplib.SMTPRecipientsRefused) and not is_permanent(error)


def describe(error: Exception) -> str:
    """The exception class and reply code only: the server's words can quote addresses back."""
    code = reply_code(error)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def paused_until(*, now: datetime | None = None) -> datetime | None:
    """When sending to the mail server may resume, or None if it is not paused."""
    now = now or timezone.now()
    return (
        MailServerPause.objects.filter(server=server_name(), paused_until__gt=now)
        .values_list("paused_until", flat=True)
        .first()
    )


def pause(*, error: Exception) -> datetime:
    """Sending to the mail server is paused; returns until when."""
    now = timezone.now()
    with transaction.atomic():
        row, _ = MailServerPause.objects.select_for_update().get_or_create(
            server=server_name(), defaults={"paused_until": now}
        )
        if row.paused_until > now:
            # Another process already paused it for this failure: one trip, not one per worker.
            return row.paused_until
        row.failures += 1
        seconds = min(
            settings.MAIL_PAUSE_SECONDS * 2 ** (row.failures - 1), settings.MAIL_PAUSE_MAX_SECONDS
        )
        row.paused_until = now + timedelta(seconds=seconds)
        row.last_error = describe(error)[:200]
        row.updated_at = now
        row.save()
    logger.warning(
        "mail server %s failed (%s); sending paused for %s s",
        server_name(),
        describe(error),
        seconds,
    )
    return row.paused_until


def resume() -> None:
    """The mail server took an email: the next failure starts the pause afresh."""
    if MailServerPause.objects.filter(server=server_name()).delete()[0]:
        logger.info("mail server %s accepts mail again; sending resumed", server_name())
