"""Moderation tasks through a real Celery worker process and a real Redis broker."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from accounts import leaving
from accounts.models import ExportState, Role
from community import tasks
from community.models import DutyOverride, DutyRota, Report, ReportReason, ReviewItem
from forum.services import create_reply
from tests.factories import UserFactory, make_reply, make_topic
from tests.harness import celery_worker, private_redis, smtp_sink, wait_until  # noqa: F401

CRISIS_TEXT = "I have been planning how to end my life and I think tonight is the night."
# Issue 11: the urgent email reaches the moderator within 30 s of the crisis post.
ALERT_DEADLINE_SECONDS = 30
URGENT_SUBJECT = "Lantern: Urgent: a member may need support now"


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_at_risk_post_alerts_moderators_by_email_within_30_seconds(
    celery_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
    capsys,
):
    moderator = UserFactory(role=Role.MODERATOR, email="moderator@example.test")
    topic = make_topic(title="A title that must stay out of email")
    author = UserFactory()
    start = time.monotonic()
    post = create_reply(author=author, topic=topic, body=CRISIS_TEXT)

    def alerts_arrived():
        return [m for m in smtp_sink.received() if moderator.email in m["To"]]

    # The topic's author is emailed about the reply too; only the moderator's alert counts.
    alerts = wait_until(
        alerts_arrived, timeout=ALERT_DEADLINE_SECONDS, interval=0.01, what="the moderator alert"
    )
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\nat-risk post -> moderator alert email: {elapsed:.2f} s")
    assert elapsed < ALERT_DEADLINE_SECONDS
    assert ReviewItem.objects.get(post=post).at_risk
    assert alerts[0]["Subject"] == URGENT_SUBJECT
    assert alerts[0]["List-Unsubscribe"] is None
    raw = alerts[0].as_string()
    assert "end my life" not in raw
    assert topic.title not in raw
    assert author.username not in raw


def test_beat_sweeps_lost_reports_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["community-sweep-unfolded-reports"]
    assert entry == {"task": "community.sweep_unfolded_reports", "schedule": 60}
    assert tasks.sweep_unfolded_reports.name == "community.sweep_unfolded_reports"


def test_the_report_sweep_task_folds_a_report_older_than_a_minute(db, moderator):
    post = make_reply(topic=make_topic())
    report = Report.objects.create(
        post=post,
        reporter=UserFactory(),
        reason=ReportReason.AT_RISK,
        created_at=timezone.now() - timedelta(minutes=2),
    )
    assert tasks.sweep_unfolded_reports.apply().get() == 1
    assert tasks.sweep_unfolded_reports.apply().get() == 0
    report.refresh_from_db()
    assert report.review_item == ReviewItem.objects.get(post=post)


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_queued_across_a_redis_restart_is_folded_by_the_sweep(
    celery_worker,  # noqa: F811
    private_redis,  # noqa: F811
    smtp_sink,  # noqa: F811
):
    from community import services
    from forum import dispatch
    from tests.harness import use_broker

    moderator = UserFactory(role=Role.MODERATOR, email="moderator@example.test")
    post = make_reply(topic=make_topic())
    celery_worker.stop()
    # The worker is down; the fold message waits in Redis, and Redis restarts without it.
    report = services.report_post(
        reporter=UserFactory(), post=post, reason=ReportReason.AT_RISK, note="Goodbye, all."
    )
    private_redis.restart()
    use_broker(private_redis.url)  # this process's connections died with the old server
    celery_worker.start()
    time.sleep(2)
    assert not ReviewItem.objects.filter(post=post).exists()
    # An hour later, as far as the grace is concerned; then beat's minute comes round.
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert dispatch.publish("community.sweep_unfolded_reports", [])
    alerts = smtp_sink.wait_for_recipient(moderator.email, timeout=60)
    item = ReviewItem.objects.get(post=post)
    assert item.at_risk and item.alert_count == 1
    # A second sweep (two beats, a redelivery) folds nothing again and alerts nobody twice.
    assert dispatch.publish("community.sweep_unfolded_reports", [])
    smtp_sink.settle()
    assert len(smtp_sink.wait_for_recipient(moderator.email)) == len(alerts) == 1
    assert ReviewItem.objects.get(post=post).alert_count == 1
    assert "Goodbye" not in alerts[0].as_string()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_on_duty_moderator_hears_first_then_everyone_then_the_admins(
    celery_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
    capsys,
):
    from forum import dispatch

    on_duty = UserFactory(role=Role.MODERATOR, email="on-duty@example.test")
    DutyRota.objects.create(
        moderator=on_duty,
        days=[],
        time_zone="Asia/Kolkata",
        override=DutyOverride.ON,
        override_until=timezone.now() + timedelta(hours=12),
    )
    off_duty = UserFactory(role=Role.MODERATOR, email="off-duty@example.test")
    admin = UserFactory(role=Role.ADMIN, email="admin@example.test")
    topic = make_topic(title="A title that must stay out of email")
    author = UserFactory()
    start = time.monotonic()
    post = create_reply(author=author, topic=topic, body=CRISIS_TEXT)
    first = smtp_sink.wait_for_recipient(on_duty.email, timeout=ALERT_DEADLINE_SECONDS)
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\ncrisis post -> on-duty moderator's urgent email: {elapsed:.2f} s")
    assert elapsed <= ALERT_DEADLINE_SECONDS
    assert first[0]["Subject"] == URGENT_SUBJECT
    smtp_sink.settle()
    to = {a.addr_spec for m in smtp_sink.received() for a in m["To"].addresses}
    assert off_duty.email not in to and admin.email not in to

    def escalate_by(minutes: int) -> None:
        # Time moves on for the item (its last stage was due `minutes` earlier); then beat's
        # minute comes round and a worker runs the sweep.
        item = ReviewItem.objects.get(post=post)
        ReviewItem.objects.filter(pk=item.pk).update(
            last_alerted_at=item.last_alerted_at - timedelta(minutes=minutes)
        )
        assert dispatch.publish("community.realert_unclaimed_at_risk", [])

    escalate_by(15)
    smtp_sink.wait_for_recipient(off_duty.email)
    smtp_sink.settle()
    assert not [m for m in smtp_sink.received() if admin.email in m["To"]]
    escalate_by(15)
    smtp_sink.wait_for_recipient(admin.email)
    # A second sweep in the same minute tells nobody again.
    assert dispatch.publish("community.realert_unclaimed_at_risk", [])
    everything = smtp_sink.settle()
    counts = {
        address: sum(address in m["To"] for m in everything)
        for address in (on_duty.email, off_duty.email, admin.email)
    }
    assert counts == {on_duty.email: 3, off_duty.email: 2, admin.email: 1}
    assert ReviewItem.objects.get(post=post).alert_count == 3
    for message in everything:
        if message["Subject"] != URGENT_SUBJECT:
            continue  # the topic's author hears about the reply
        raw = message.as_string()
        assert "end my life" not in raw and topic.title not in raw
        assert author.username not in raw


def test_beat_sends_the_weekly_summary_on_monday_mornings(settings, db):
    entry = settings.CELERY_BEAT_SCHEDULE["community-weekly-summary"]
    assert entry["task"] == tasks.send_weekly_summary.name == "community.send_weekly_summary"
    schedule = entry["schedule"]
    assert (schedule.day_of_week, schedule.hour, schedule.minute) == ({1}, {7}, {0})
    assert tasks.send_weekly_summary.apply().get() == 0  # no admins, nobody written to


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_builds_an_export_the_member_asked_for(celery_worker):  # noqa: F811

    member = UserFactory()
    make_topic(author=member, body="Words only I should be able to download.")
    export = leaving.request_export(member=member)

    def built():
        export.refresh_from_db()
        return export.state == ExportState.READY

    wait_until(built, timeout=30, interval=0.1, what="the export zip")
    assert leaving.export_path(export).is_file()


def test_exports_are_built_outside_the_moderation_queue(settings):
    route = current_app.amqp.router.route({}, "community.build_export")
    assert route["queue"].name == "default"
    assert settings.CELERY_BEAT_SCHEDULE["community-finalise-deletions"]["task"] == (
        "community.finalise_deletions"
    )
