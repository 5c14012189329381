"""Celery tasks for moderation: ids in, rows re-read, safe to run twice.

Services never import this module: they hand work over by task name through
`forum.dispatch.publish_after_commit`, so the names below are part of the contract.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import services
from .services import first_replies, leaving

# A lock timeout or a dropped connection is worth another try; anything else must surface.
RETRYABLE = (OperationalError,)


@shared_task(
    name="community.fold_report",
    autoretry_for=RETRYABLE,
    retry_backoff=2,
    max_retries=5,
)
def fold_report(report_id: int) -> int | None:
    """The report is part of its post's one review item (auto-hide and alerts included)."""
    item = services.fold_report(report_id=report_id)
    return item.pk if item else None


@shared_task(
    name="community.review_new_post",
    autoretry_for=RETRYABLE,
    retry_backoff=2,
    max_retries=5,
)
def review_new_post(post_id: int) -> int | None:
    """A waiting or at-risk post has an open review item; at-risk ones alerted moderators."""
    item = services.review_new_post(post_id=post_id)
    return item.pk if item else None


@shared_task(name="community.sweep_unreviewed_posts")
def sweep_unreviewed_posts() -> int:
    """Waiting or at-risk posts whose review task was lost now have their review item."""
    return services.sweep_unreviewed_posts()


@shared_task(name="community.sweep_unfolded_reports")
def sweep_unfolded_reports() -> int:
    """Reports and appeals whose fold task was lost are in their post's review item."""
    return services.sweep_unfolded_reports()


@shared_task(name="community.realert_unclaimed_at_risk")
def realert_unclaimed_at_risk() -> int:
    """Unclaimed at-risk items moved an escalation stage on: every moderator after 15 minutes,
    the admins too after 30."""
    return services.realert_unclaimed_at_risk()


@shared_task(name="community.send_queue_summary")
def send_queue_summary() -> int:
    """While the queue is not empty, moderators have one summary per 15-minute window."""
    return services.send_queue_summary()


@shared_task(name="community.lift_expired_sanctions")
def lift_expired_sanctions() -> int:
    """Mutes and suspensions whose time has ended are lifted and logged."""
    return services.lift_expired_sanctions()


@shared_task(
    name="community.close_items_for_post",
    autoretry_for=RETRYABLE,
    retry_backoff=2,
    max_retries=5,
)
def close_items_for_post(post_id: int) -> int | None:
    """The post's open review item is closed and logged if the post is deleted or removed."""
    item = services.close_items_for_post(post_id=post_id)
    return item.pk if item else None


@shared_task(name="community.sweep_items_of_gone_posts")
def sweep_items_of_gone_posts() -> int:
    """Items whose post is gone and whose closing task was lost are closed and logged."""
    return services.sweep_items_of_gone_posts()


@shared_task(name="community.send_weekly_summary")
def send_weekly_summary() -> int:
    """Every admin has this week's queue summary email (figures only), once."""
    return services.send_weekly_summary()


@shared_task(name="community.tell_volunteers_about_waiting_stories")
def tell_volunteers_about_waiting_stories() -> int:
    """Every volunteer hears once a day how many stories wait for a first reply."""
    return first_replies.tell_volunteers()


@shared_task(name="community.remind_and_expire_peer_credentials")
def remind_and_expire_peer_credentials() -> dict[str, int]:
    """Peer specialists whose certificate expires within 30 days have been told once to renew;
    badges past their expiry date are removed and their members told, once."""
    reminded, expired = services.remind_and_expire_peer_credentials()
    return {"reminded": reminded, "expired": expired}


@shared_task(name="community.build_export")
def build_export(export_id: int) -> str:
    """The member's export zip is written and ready to download (once)."""
    return leaving.build_export(export_id=export_id)


@shared_task(name="community.sweep_exports")
def sweep_exports() -> tuple[int, int]:
    """Queued exports are on the broker again and expired ones have no file left."""
    return leaving.sweep_exports()


@shared_task(name="community.finalise_deletions")
def finalise_deletions() -> int:
    """Every account whose deletion grace period has passed is pseudonymised and emptied."""
    return leaving.finalise_due_deletions()
