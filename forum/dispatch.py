"""Handing work to Celery by task name: the one door every service uses.

Services never import the tasks modules (those import the services), so they name the task.
What must not be lost is already a row written in the caller's transaction (an outbox row, a
flag on a post, a report); a broker that is down only delays it, because a beat sweeper hands
the row over again. So a failed hand-off is logged (task name, ids and the exception class,
never text a member wrote) and reported to the caller, never raised.
"""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task_name: str, args: list[int]) -> bool:
    """The task `task_name(*args)` is on the broker (True), or the failure is logged (False)."""
    # Never a countdown or an eta: a delayed message waits unacknowledged inside a worker, and
    # kombu's Redis transport kills a worker holding one when the broker drops. Work that must
    # wait is a row with a due time that a beat sweep hands over.
    try:
        current_app.signature(task_name, args=args).apply_async(retry=False)
    except Exception as error:
        if current_app.conf.task_always_eager:
            # Eager runs are the task itself failing, not the broker: tests must see it.
            raise
        logger.warning(
            "could not hand %s%s to the broker (%s); a sweeper will retry",
            task_name,
            tuple(args),
            type(error).__name__,
        )
        return False
    return True


def publish_after_commit(task_name: str, *args: int) -> None:
    """Once the current transaction commits, `task_name(*args)` is handed to the broker."""
    transaction.on_commit(lambda: publish(task_name, list(args)))
