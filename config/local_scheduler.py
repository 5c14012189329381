"""The beat schedule inside the `make run` process, for when there is no Redis.

Without REDIS_URL there is no broker, so no worker and no `celery beat`: tasks run eagerly, in
the process that asks for them (CELERY_TASK_ALWAYS_EAGER). Nothing would ever run
CELERY_BEAT_SCHEDULE, so emails held by the 15-minute grouping, digests, moderator re-alerts,
sanction expiry and every sweep would never happen. `start()` runs Celery's own beat service
(`celery.beat.EmbeddedService`, what `celery worker --beat` embeds) in a daemon thread of the
serving process, with the scheduler below: Celery decides when each entry is due, from the same
CELERY_BEAT_SCHEDULE production's beat reads (a new entry needs no second registration), and a
due entry runs right there, eagerly, by task name through the Celery app.

config/wsgi.py calls `start()` when the application loads. runserver loads it in the process
that serves, never in its autoreloader's parent, and again in each process a reload starts (the
old process, and its thread, are gone by then).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery, beat
from django.conf import settings
from django.db import connections

from config.celery_app import app as celery_app

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_running: threading.Thread | None = None


class LocalScheduler(beat.Scheduler):
    """Celery beat's in-memory scheduler, running each due entry in this thread instead of
    publishing it: each run on a database connection of its own, an error logged, never raised."""

    def install_default_entries(self, data: dict[str, Any]) -> None:
        # Only CELERY_BEAT_SCHEDULE: Celery's own result clean-up has no results to clean here.
        return None

    @property
    def producer(self) -> Any:
        # Nothing is published, so no broker connection is opened.
        return None

    def tick(self, *args: Any, **kwargs: Any) -> float:
        try:
            return super().tick(*args, **kwargs)
        except Exception as error:
            # The thread must outlive anything one pass meets; the next pass tries again.
            logger.error("the local scheduler's pass failed (%s)", type(error).__name__)
            return float(self.max_interval or 1)

    def apply_entry(self, entry: beat.ScheduleEntry, producer: Any = None) -> None:
        name = entry.task or ""
        try:
            task = self.app.tasks.get(name)
            if task is None:
                logger.error("scheduled entry %s names no known task %s", entry.name, name)
                return
            result = task.apply(args=entry.args or (), kwargs=entry.kwargs or {})
            if result.failed():
                # The exception class only: a task's error can quote what a member wrote.
                logger.error(
                    "scheduled task %s failed (%s); it runs again at its next time",
                    name,
                    type(result.result).__name__,
                )
        except Exception as error:
            logger.error(
                "scheduled task %s could not run (%s); it runs again at its next time",
                name,
                type(error).__name__,
            )
        finally:
            # Django keeps one connection per thread; closing it after each run means the next
            # run opens its own, and a connection broken by one run cannot fail the others.
            connections.close_all()


def enabled() -> bool:
    """Whether this process should run the beat schedule itself: local settings ask for it and
    there is no Redis (with REDIS_URL, `make worker` and `make beat` do the work)."""
    return (
        bool(getattr(settings, "LOCAL_SCHEDULER", False))
        and not settings.REDIS_URL
        and bool(celery_app.conf.task_always_eager)
    )


def in_thread(app: Celery) -> threading.Thread:
    """Celery's embedded beat for `app`, with `LocalScheduler`, as a daemon thread (not started)."""
    service = beat.EmbeddedService(app, thread=True, scheduler_cls=LocalScheduler)
    # With thread=True Celery returns its threaded service; the check keeps the types honest.
    assert isinstance(service, threading.Thread)
    service.name = "local-beat"
    return service


def start() -> threading.Thread | None:
    """If `enabled()`, the beat schedule runs in a daemon thread of this process (one, however
    often this is called); returns that thread, or None."""
    global _running
    if not enabled():
        return None
    with _lock:
        if _running is not None and _running.is_alive():
            return _running
        _running = in_thread(celery_app)
        _running.start()
    logger.info(
        "Scheduled jobs run in this process (no REDIS_URL, so no celery beat): %s",
        ", ".join(sorted(celery_app.conf.beat_schedule)),
    )
    return _running


def stop(service: threading.Thread) -> None:
    """`service` (from `in_thread`) has stopped, within a few seconds."""
    stop_service = getattr(service, "stop", None)
    if stop_service is not None:
        stop_service()
    service.join(timeout=10)
