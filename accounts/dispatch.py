"""Handing account work to Celery by task name, after the caller's transaction commits.

accounts sits below forum, so it cannot use forum.dispatch; this is the same door for the
account emails. What must not be lost is already a row (AccountMail): a failed hand-off is
logged (task name and id, never an address) and a beat sweeper hands the row over again.
"""

from __future__ import annotations

import logging

from celery import current_app

logger = logging.getLogger(__name__)


def publish(task_name: str, args: list[int]) -> bool:
    """The task `task_name(*args)` is on the broker (True), or the failure is logged (False)."""
    try:
        current_app.signature(task_name, args=args).apply_async(retry=False)
    except Exception as error:
        if current_app.conf.task_always_eager:
            raise
        logger.warning(
            "could not hand %s%s to the broker (%s); a sweeper will retry",
            task_name,
            tuple(args),
            type(error).__name__,
        )
        return False
    return True
