"""The beat schedule under `make run` without Redis: Celery's own beat in a thread of the server,
running each due entry in place. The last test runs the server as `make run` does."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celery import Celery
from celery.schedules import crontab
from django.conf import settings
from django.db import connections
from django.utils import timezone

from config import local_scheduler
from config.celery_app import app as project_app
from forum.models import EmailOutbox, OutboxStatus
from tests.factories import UserFactory, make_reply, make_topic
from tests.harness import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent


class Clock:
    """Celery asks its app what time it is; this app's time moves only when told."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_app(schedule: dict, clock: Clock | None = None) -> Celery:
    app = Celery("local-scheduler-test", set_as_current=False)
    app.conf.update(
        broker_url="memory://",
        task_always_eager=True,
        timezone="UTC",
        enable_utc=True,
        beat_schedule=schedule,
    )
    if clock is not None:
        app.now = clock
    return app


def run_due(scheduler: local_scheduler.LocalScheduler) -> None:
    """One pass of beat's loop at this moment: every entry due now runs (tick runs one a call)."""
    for _ in range(50):
        if scheduler.tick() > 0:
            return
    pytest.fail("the scheduler kept finding due entries")


# --- when entries run --------------------------------------------------------------------------


def test_an_interval_entry_runs_every_n_seconds_and_a_crontab_one_at_its_time():
    clock = Clock(datetime(2026, 12, 1, 17, 59, 50, tzinfo=UTC))
    app = make_app(
        {
            "sweep": {"task": "t.sweep", "schedule": 15},
            "digest": {"task": "t.digest", "schedule": crontab(hour=18, minute=0)},
        },
        clock,
    )
    ran: dict[str, list[datetime]] = {"sweep": [], "digest": []}

    @app.task(name="t.sweep")
    def sweep():
        ran["sweep"].append(clock())

    @app.task(name="t.digest")
    def digest():
        ran["digest"].append(clock())

    scheduler = local_scheduler.LocalScheduler(app)
    start = clock()
    for _ in range(70):
        clock.advance(1)
        run_due(scheduler)

    # Every 15 s from when the schedule was read; the daily entry once, at 18:00 sharp.
    assert ran["sweep"] == [start + timedelta(seconds=15 * n) for n in range(1, 5)]
    assert ran["digest"] == [datetime(2026, 12, 1, 18, 0, 0, tzinfo=UTC)]

    # A day later the daily entry runs again, at its time and not before.
    clock.now = datetime(2026, 12, 2, 17, 59, 59, tzinfo=UTC)
    run_due(scheduler)
    assert len(ran["digest"]) == 1
    clock.advance(1)
    run_due(scheduler)
    assert ran["digest"][-1] == datetime(2026, 12, 2, 18, 0, 0, tzinfo=UTC)


def test_the_project_schedule_is_read_whole_and_names_only_known_tasks():
    scheduler = local_scheduler.LocalScheduler(project_app)
    assert set(scheduler.schedule) == set(settings.CELERY_BEAT_SCHEDULE)
    for name, entry in scheduler.schedule.items():
        assert entry.task == settings.CELERY_BEAT_SCHEDULE[name]["task"]
        assert entry.task in project_app.tasks, f"{name} names no registered task"


# Committed rows, read from another thread; serialized_rollback like every transactional test
# here, so the data migrations' rows are put back for the next.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_due_project_entry_runs_its_real_task_here(mailoutbox):
    # An email held by the 15-minute grouping, now due; the project's own sweep entry runs (in
    # a thread, as under runserver) and the email leaves, with no broker anywhere.
    author, replier = UserFactory(), UserFactory()
    topic = make_topic(author=author)
    make_reply(topic=topic, author=replier)
    make_reply(topic=topic, author=replier)
    rows = EmailOutbox.objects.filter(recipient=author)
    assert len(mailoutbox) == 1 and rows.filter(status=OutboxStatus.PENDING).count() == 1
    now = timezone.now()
    rows.filter(status=OutboxStatus.SENT).update(sent_at=now - timedelta(minutes=16))
    rows.filter(status=OutboxStatus.PENDING).update(send_after=now)

    scheduler = local_scheduler.LocalScheduler(project_app)
    entry = scheduler.schedule["forum-sweep-outbox"]
    runner = threading.Thread(target=scheduler.apply_entry, args=(entry,))
    runner.start()
    runner.join(timeout=10)

    assert not rows.filter(status=OutboxStatus.PENDING).exists()
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [author.email]


# --- the thread --------------------------------------------------------------------------------


def test_a_failing_task_is_logged_and_the_thread_keeps_running(caplog):
    app = make_app(
        {
            "boom": {"task": "t.boom", "schedule": 1},
            "fine": {"task": "t.fine", "schedule": 1},
            "gone": {"task": "t.renamed_away", "schedule": 1},
        }
    )
    fine_runs = []

    @app.task(name="t.boom")
    def boom():
        raise ValueError("words a member wrote")

    @app.task(name="t.fine")
    def fine():
        fine_runs.append(time.monotonic())

    caplog.set_level(logging.ERROR, logger="config.local_scheduler")
    thread = local_scheduler.in_thread(app)
    assert thread.daemon
    thread.start()
    try:
        wait_until(lambda: len(fine_runs) >= 3, timeout=8, what="three runs of the fine entry")
        assert thread.is_alive()
    finally:
        local_scheduler.stop(thread)
    assert not thread.is_alive()
    failures = [r.getMessage() for r in caplog.records if r.name == "config.local_scheduler"]
    boom_lines = [line for line in failures if "t.boom" in line]
    assert len(boom_lines) >= 2
    assert all("t.boom failed (ValueError)" in line for line in boom_lines)
    assert "scheduled entry gone names no known task t.renamed_away" in failures
    assert not any("words a member wrote" in line for line in failures)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_run_has_a_database_connection_of_its_own():
    connection = connections["default"]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database lives in its one connection, never closed")
    app = make_app({"query": {"task": "t.query", "schedule": 1}})
    open_at_start = []

    @app.task(name="t.query")
    def query():
        mine = connections["default"]
        open_at_start.append(mine.connection is not None)
        mine.ensure_connection()

    thread = local_scheduler.in_thread(app)
    thread.start()
    try:
        wait_until(lambda: len(open_at_start) >= 2, timeout=8, what="two runs")
    finally:
        local_scheduler.stop(thread)
    assert open_at_start[:2] == [False, False]


# --- when it runs at all -----------------------------------------------------------------------


def test_not_started_under_the_test_settings():
    assert not getattr(settings, "LOCAL_SCHEDULER", False)
    assert local_scheduler.enabled() is False
    assert local_scheduler.start() is None


def test_not_started_when_redis_is_configured(settings):
    settings.LOCAL_SCHEDULER = True
    settings.REDIS_URL = ""
    assert local_scheduler.enabled() is True
    settings.REDIS_URL = "redis://127.0.0.1:6379/7"
    assert local_scheduler.enabled() is False
    assert local_scheduler.start() is None


# --- make run ----------------------------------------------------------------------------------

# Run in the database the server uses, by `manage.py shell`: a topic whose author was emailed
# about one reply 14 min 55 s ago, so a second reply's email is held by the 15-minute grouping
# for five more seconds.
SETUP = textwrap.dedent(
    """
    import json
    from datetime import timedelta
    from django.utils import timezone
    from forum.models import EmailOutbox, OutboxStatus
    from tests.factories import UserFactory, make_reply, make_topic

    author = UserFactory(username="held_author", email="held.author@example.test")
    replier = UserFactory(username="kind_replier", email="kind.replier@example.test")
    topic = make_topic(author=author)
    make_reply(topic=topic, author=replier)
    make_reply(topic=topic, author=replier)
    rows = EmailOutbox.objects.filter(recipient=author)
    assert rows.filter(status=OutboxStatus.SENT).count() == 1
    held = rows.filter(status=OutboxStatus.PENDING)
    assert held.count() == 1 and held.get().send_after > timezone.now() + timedelta(minutes=14)
    now = timezone.now()
    rows.filter(status=OutboxStatus.SENT).update(sent_at=now - timedelta(seconds=895))
    held.update(send_after=now + timedelta(seconds=5))
    print("SETUP " + json.dumps({"send_after": now.timestamp() + 5, "id": held.get().pk}))
    """
)


def _local_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "EMAIL_BACKEND", "LOCAL_SCHEDULER", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'lantern.sqlite3'}",
        REDIS_URL="",
        PORT=str(port),
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def local_server(tmp_path):
    """`make run`'s commands: migrate, then runserver (with its autoreloader) on a free port."""
    port = free_port()
    env = _local_env(tmp_path, port)
    manage = [sys.executable, "manage.py"]
    migrate = subprocess.run(
        [*manage, "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert migrate.returncode == 0, migrate.stderr
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield {"port": port, "env": env, "log": log, "server": server, "db": tmp_path}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def test_make_run_sends_a_held_email_on_schedule_without_redis(local_server):
    log: Path = local_server["log"]
    port = local_server["port"]

    def output() -> str:
        return log.read_text(errors="replace")

    def serving() -> bool:
        if local_server["server"].poll() is not None:
            pytest.fail(f"runserver exited:\n{output()[-3000:]}")
        # Django 5.2 says "Starting development server at", 6.x "Starting WSGI development
        # server at"; both end the banner with this line.
        return "Quit the server with" in output()

    wait_until(serving, timeout=30, interval=0.2, what="runserver to start")
    assert "Scheduled jobs run in this process" in output()

    setup = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=local_server["env"],
        capture_output=True,
        text=True,
    )
    assert setup.returncode == 0, setup.stderr
    facts = json.loads(setup.stdout.split("SETUP ", 1)[1].splitlines()[0])
    assert "held.author@example.test" not in output()

    def block() -> str | None:
        text = output()
        start = text.find("To: held.author@example.test")
        return text[start:] if start >= 0 else None

    found = wait_until(block, timeout=35, interval=0.1, what="the held email on the console")
    seen_at = time.time()
    # Not before its time, and by the next outbox sweep (every 15 s) after it.
    assert seen_at >= facts["send_after"]
    assert seen_at <= facts["send_after"] + 15 + 3

    email = found.split("-" * 79, 1)[0]
    assert "Subject: You have new activity on Lantern" in email
    assert "A new reply to a topic you started" in email
    assert f"http://127.0.0.1:{port}/" in email
    assert "http://127.0.0.1:8000/" not in email
    assert "(This email has an HTML part too, not shown here.)" in email
    for mime in ("Content-Type", "Content-Transfer-Encoding", "MIME-Version", "=3D"):
        assert mime not in email

    def marked_sent() -> bool:
        with sqlite3.connect(local_server["db"] / "lantern.sqlite3") as db:
            status = db.execute(
                "select status from forum_emailoutbox where id = ?", (facts["id"],)
            ).fetchone()
        return status == ("sent",)

    # The row is marked sent once the email is out, so the console shows it a moment before the
    # row says so.
    wait_until(marked_sent, timeout=10, interval=0.1, what="the held email's row to be sent")
    # One scheduler, in the serving process; runserver's autoreloader parent starts none.
    assert output().count("Scheduled jobs run in this process") == 1
