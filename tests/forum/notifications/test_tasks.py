"""The Celery tasks: mail-server errors retry, then end failed and visible in the admin."""

from __future__ import annotations

import smtplib

import pytest
from django.conf import settings as project_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.celery_app import app
from forum.models import OutboxStatus
from forum.notifications import tasks
from forum.notifications.models import MailServerPause
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")


def end_the_mail_pause():
    MailServerPause.objects.update(paused_until=timezone.now())


def test_mail_server_errors_retry_and_end_failed_visible_in_admin(
    run_on_commit, outbox_rows, settings
):
    settings.EMAIL_BACKEND = "tests.forum.notifications.test_tasks.RefusingBackend"
    settings.EMAIL_MAX_ATTEMPTS = 3
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic)
    row = outbox_rows(author).get()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    # No task holds the row: the sweep hands it over after the backoff.
    assert row.send_after > timezone.now()
    assert row.dispatched_at is None
    # While the mail server is paused, nothing is tried and no attempt is counted.
    assert tasks.deliver_email.apply(args=[row.pk]).result == {"paused": 1}
    end_the_mail_pause()
    assert tasks.deliver_email.apply(args=[row.pk]).result == {"retry": 1}
    end_the_mail_pause()
    assert tasks.deliver_email.apply(args=[row.pk]).result == {"failed": 1}
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 3
    assert mail.outbox == []
    assert row.last_error == "SMTPServerDisconnected"
    assert MailServerPause.objects.get().failures == 3

    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("admin:forum_emailoutbox_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert "Failed after every retry" in page.content.decode()


def test_every_task_is_registered_under_its_stable_name():
    # Queued messages and the beat schedule name these; renaming one strands its messages.
    names = {
        "forum.fan_out_post",
        "forum.deliver_email",
        "forum.send_digest",
        "forum.send_digests",
        "forum.sweep_outbox",
    }
    assert names <= set(app.tasks)
    scheduled = {entry["task"] for entry in project_settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"forum.sweep_outbox", "forum.send_digests"} <= scheduled


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("forum.deliver_email", "mail"),
        ("forum.send_digest", "mail"),
        ("forum.fan_out_post", "default"),
        ("forum.sweep_outbox", "default"),
        ("forum.send_digests", "default"),
        ("community.fold_report", "moderation"),
        ("community.review_new_post", "moderation"),
        ("community.realert_unclaimed_at_risk", "moderation"),
    ],
)
def test_mail_has_its_own_queue_so_nothing_else_waits_behind_it(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue
