"""Handing outbox rows to Celery, and the sweeper that hands over again what was not taken."""

from __future__ import annotations

import inspect
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from config.celery_app import app
from forum import dispatch
from forum.models import EmailOutbox, OutboxStatus
from forum.notifications import delivery, outbox
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


def test_sweeper_redispatches_only_rows_pending_for_over_a_minute(
    run_on_commit, held_tasks, outbox_rows
):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    with held_tasks("forum.deliver_email"):
        run_on_commit(make_reply, topic=topic)
    row = outbox_rows(author).get()
    assert row.status == OutboxStatus.PENDING
    assert outbox.sweep_outbox()["emails"] == 0
    EmailOutbox.objects.filter(pk=row.pk).update(
        dispatched_at=timezone.now() - timedelta(seconds=61)
    )
    assert outbox.sweep_outbox()["emails"] == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_broker_failure_after_commit_is_logged_without_post_text(run_on_commit, caplog):
    app.conf.task_always_eager = False
    try:
        with mock.patch(
            "celery.app.task.Task.apply_async", side_effect=ConnectionError("broker down")
        ):
            topic = run_on_commit(make_topic, title="Secret title zq", body="secret body zq")
            run_on_commit(make_reply, topic=topic, body="secret reply zq")
    finally:
        app.conf.task_always_eager = True
    assert "could not hand forum.fan_out_post" in caplog.text
    assert "zq" not in caplog.text


def test_broker_outage_stops_the_hand_off_and_leaves_the_rest_pending(caplog, settings):
    settings.EMAIL_BATCH_SIZE = 1
    app.conf.task_always_eager = False
    try:
        with mock.patch(
            "celery.app.task.Task.apply_async", side_effect=ConnectionError("broker down")
        ) as apply_async:
            assert outbox.dispatch_emails([11, 12, 13]) == 0
    finally:
        app.conf.task_always_eager = True
    # One failed attempt, not one per row: the rest would fail the same way.
    assert apply_async.call_count == 1
    assert "could not hand forum.deliver_email(11,)" in caplog.text


def test_rows_are_handed_over_in_batches_of_email_batch_size(held_tasks, settings):
    settings.EMAIL_BATCH_SIZE = 2
    with held_tasks("forum.deliver_email") as broker:
        assert outbox.dispatch_emails([5, 6, 7]) == 3
    assert broker.args == [[5, 6], [7]]


def test_a_deferred_email_is_handed_over_by_the_sweep_once_due_never_with_a_countdown(
    run_on_commit, held_tasks, outbox_rows
):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    run_on_commit(make_reply, topic=topic)
    with held_tasks("forum.deliver_email") as broker:
        run_on_commit(make_reply, topic=topic)
        handed_over = broker.ids
        broker.args.clear()
        for outbox_id in handed_over:
            assert delivery.deliver(outbox_id=outbox_id) == "deferred"
        waiting = outbox_rows(author).get(status=OutboxStatus.PENDING)
        # Deferring hands nothing over (no delayed message anywhere) and no task holds the row.
        assert broker.ids == []
        assert waiting.dispatched_at is None
        assert outbox.sweep_outbox()["emails"] == 0
        # The window closes: the next sweep hands it over.
        assert outbox.sweep_outbox(now=waiting.send_after + timedelta(seconds=1))["emails"] == 1
        assert broker.ids == [waiting.pk]


def test_publish_takes_no_countdown_or_eta():
    # A delayed message sits unacknowledged in a worker; kombu's Redis transport kills a worker
    # holding one when Redis drops. Work that must wait is a row the sweep hands over.
    assert list(inspect.signature(dispatch.publish).parameters) == ["task_name", "args"]


def test_a_failed_hand_off_is_taken_by_the_first_sweep_after_the_broker_is_back(
    run_on_commit, outbox_rows
):
    # A hand-off that failed leaves nothing on the broker: waiting a redispatch period (60 s)
    # before the next try would only delay every member's notification after an outage.
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    app.conf.task_always_eager = False
    try:
        with mock.patch(
            "celery.app.task.Task.apply_async", side_effect=ConnectionError("broker down")
        ):
            run_on_commit(make_reply, topic=topic)
    finally:
        app.conf.task_always_eager = True
    assert not outbox_rows(author).exists()
    # The fan-out runs on the first sweep, and its email goes out with it.
    assert run_on_commit(outbox.sweep_outbox)["fan_outs"] == 1
    assert outbox_rows(author).get().status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_email_rows_whose_hand_off_failed_are_taken_by_the_next_sweep(run_on_commit, outbox_rows):
    author = UserFactory()
    topic = run_on_commit(make_topic, author=author)
    publish = dispatch.publish

    def mail_broker_down(task_name, args):
        return False if task_name == outbox.DELIVER_EMAIL else publish(task_name, args)

    with mock.patch.object(dispatch, "publish", side_effect=mail_broker_down):
        run_on_commit(make_reply, topic=topic)
    row = outbox_rows(author).get()
    assert row.status == OutboxStatus.PENDING
    assert outbox.sweep_outbox()["emails"] == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
