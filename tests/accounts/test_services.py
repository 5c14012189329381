"""Account emails: queued as rows, handed over by id, sent once, retried, swept, then erased."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from accounts import dispatch, services, tasks
from accounts.models import AccountMail

pytestmark = pytest.mark.django_db


def message(to: str = "river@example.test") -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        "Lantern: Please confirm", "Open https://x/confirm/KEY/", "no-reply@x", [to]
    )
    msg.attach_alternative("<a href='https://x/confirm/KEY/'>confirm</a>", "text/html")
    return msg


def test_a_queued_mail_is_handed_over_by_id_only(monkeypatch, django_capture_on_commit_callbacks):
    handed: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(dispatch, "publish", lambda name, args: handed.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        row = services.queue_account_mail(message=message())
    assert handed == [(services.SEND_ACCOUNT_MAIL, [row.pk])]
    assert mail.outbox == []


def test_delivering_twice_sends_once_and_erases_the_link():
    row = services.queue_account_mail(message=message())
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "sent"
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "already sent"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["river@example.test"] and "KEY" in sent.body
    assert sent.alternatives[0][1] == "text/html"
    row.refresh_from_db()
    assert row.sent_at is not None and row.body == "" and row.html == ""


def test_an_account_mail_sent_again_after_a_lost_reply_has_the_same_message_id():
    # The worker died after the mail server took the email and before sent_at was committed:
    # the second copy is recognisable as the same email (accounts.message_ids).
    row = services.queue_account_mail(message=message())
    other = services.queue_account_mail(message=message("sam@example.test"))
    saved = AccountMail.objects.filter(pk=row.pk).values("body", "html").get()
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "sent"
    AccountMail.objects.filter(pk=row.pk).update(sent_at=None, **saved)
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "sent"
    assert tasks.send_account_mail.apply(args=[other.pk]).get() == "sent"
    first, again, third = (sent.message()["Message-ID"] for sent in mail.outbox)
    assert first == again != third


def test_a_mail_server_failure_is_counted_and_the_last_attempt_marks_it_failed(
    monkeypatch, settings
):
    settings.EMAIL_MAX_ATTEMPTS = 2

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    row = services.queue_account_mail(message=message())
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "pending"
    row.refresh_from_db()
    assert row.attempts == 1 and row.failed_at is None and "KEY" in row.body
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "failed"
    row.refresh_from_db()
    assert row.failed_at is not None and row.body == ""


def test_the_sweeper_hands_over_rows_left_pending():
    row = services.queue_account_mail(message=message())
    AccountMail.objects.filter(pk=row.pk).update(
        dispatched_at=timezone.now() - timedelta(minutes=5)
    )
    fresh = services.queue_account_mail(message=message("fresh@example.test"))
    assert services.sweep_account_mail() == 1
    assert [m.to for m in mail.outbox] == [["river@example.test"]]
    fresh.refresh_from_db()
    assert fresh.sent_at is None


def test_a_failed_attempt_waits_for_the_sweep_instead_of_a_delayed_task(monkeypatch, settings):
    # A countdown retry would sit in the worker and be lost when Redis restarts empty.
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    row = services.queue_account_mail(message=message())
    assert tasks.send_account_mail.apply(args=[row.pk]).get() == "pending"
    row.refresh_from_db()
    assert row.dispatched_at > timezone.now() + timedelta(seconds=20)
    # Not handed over while its backoff runs, and handed over once it has passed.
    assert services.sweep_account_mail() == 0
    monkeypatch.undo()
    later = row.dispatched_at + timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER + 1)
    assert services.sweep_account_mail(now=later) == 1
    assert [m.to for m in mail.outbox] == [["river@example.test"]]


def test_account_mail_goes_to_the_mail_queue():
    from django.conf import settings as django_settings

    assert django_settings.CELERY_TASK_ROUTES[services.SEND_ACCOUNT_MAIL] == {"queue": "mail"}


def test_an_account_email_whose_hand_off_failed_goes_with_the_next_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    # A confirmation link asked for during a broker outage should not wait a redispatch period
    # more once the broker is back.
    monkeypatch.setattr(dispatch, "publish", lambda task_name, args: False)
    with django_capture_on_commit_callbacks(execute=True):
        row = services.queue_account_mail(message=message())
    monkeypatch.undo()
    assert mail.outbox == []
    assert services.sweep_account_mail() == 1
    assert [m.to for m in mail.outbox] == [["river@example.test"]]
    row.refresh_from_db()
    assert row.sent_at is not None
