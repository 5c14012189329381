"""What mail-server errors mean, and the pause that stops every email trying on its own."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from forum.notifications import mail_server
from forum.notifications.models import MailServerPause


@pytest.mark.parametrize(
    ("error", "permanent", "server_trouble", "described"),
    [
        (ConnectionRefusedError(111, "refused"), False, True, "ConnectionRefusedError"),
        (TimeoutError("timed out"), False, True, "TimeoutError"),
        (smtplib.SMTPServerDisconnected("closed"), False, True, "SMTPServerDisconnected"),
        (smtplib.SMTPConnectError(421, b"busy"), False, True, "SMTPConnectError 421"),
        (smtplib.SMTPDataError(451, b"later"), False, True, "SMTPDataError 451"),
        (smtplib.SMTPDataError(550, b"no"), True, False, "SMTPDataError 550"),
        (smtplib.SMTPSenderRefused(553, b"no", "a@b"), True, False, "SMTPSenderRefused 553"),
        (
            smtplib.SMTPRecipientsRefused({"a@b": (550, b"unknown")}),
            True,
            False,
            "SMTPRecipientsRefused 550",
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@b": (452, b"full")}),
            False,
            False,
            "SMTPRecipientsRefused 452",
        ),
        # Our own credentials: every email would fail, so it pauses rather than failing rows.
        (smtplib.SMTPAuthenticationError(535, b"bad"), False, True, "SMTPAuthenticationError 535"),
    ],
)
def test_errors_are_told_apart(error, permanent, server_trouble, described):
    assert mail_server.is_permanent(error) is permanent
    assert mail_server.is_server_trouble(error) is server_trouble
    assert mail_server.describe(error) == described


def test_described_errors_never_carry_the_servers_words():
    error = smtplib.SMTPRecipientsRefused({"member@example.test": (550, b"member@example.test")})
    assert "example" not in mail_server.describe(error)


@pytest.mark.django_db
def test_the_pause_doubles_while_the_server_keeps_failing_and_ends_when_it_takes_mail(settings):
    settings.MAIL_PAUSE_SECONDS, settings.MAIL_PAUSE_MAX_SECONDS = 15, 50
    error = ConnectionRefusedError(111, "refused")
    start = timezone.now()
    lengths = []
    moment = start
    for _ in range(4):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            until = mail_server.pause(error=error)
            # A second worker failing on the same outage does not lengthen the pause.
            assert mail_server.pause(error=error) == until
            assert mail_server.paused_until() == until
        lengths.append(round((until - moment).total_seconds()))
        moment = until
    assert lengths == [15, 30, 50, 50]
    with mock.patch("django.utils.timezone.now", return_value=moment + timedelta(seconds=1)):
        assert mail_server.paused_until() is None
    mail_server.resume()
    assert not MailServerPause.objects.exists()
