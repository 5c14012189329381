"""Leaving with dignity, the account's side: asking for an export, signing its download link,
asking for deletion and changing one's mind.

What the export holds and what deletion erases reach into the forum and community, which this
app may not import: those steps are tasks in community.leaving, handed over here by name.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from . import dispatch
from .models import AccountDeletion, ExportRequest, ExportState, User

# Task names, stable: queued messages and the beat schedule carry them (community/tasks.py).
BUILD_EXPORT = "community.build_export"
SWEEP_EXPORTS = "community.sweep_exports"
FINALISE_DELETIONS = "community.finalise_deletions"

_LINK_SALT = "accounts.leaving.export-link"


def current_export(*, member: User) -> ExportRequest | None:
    """The member's latest export that is still of use (not expired), if any."""
    return member.exports.exclude(state=ExportState.EXPIRED).first()


@transaction.atomic
def request_export(*, member: User) -> ExportRequest:
    """An export is queued for the member (or the one already on its way is returned)."""
    # One at a time: a second click, or a second tab, waits for the same zip.
    User.objects.select_for_update().filter(pk=member.pk).first()
    pending = member.exports.filter(state__in=[ExportState.QUEUED, ExportState.BUILDING]).first()
    if pending is not None:
        return pending
    export = ExportRequest.objects.create(member=member, dispatched_at=timezone.now())
    transaction.on_commit(lambda: hand_over_export(export.pk))
    return export


def hand_over_export(export_id: int) -> bool:
    """The export is on its way to a worker (True), or released for the next sweep."""
    if dispatch.publish(BUILD_EXPORT, [export_id]):
        return True
    # Dated a redispatch period back, so the first sweep after the broker is back takes it.
    released = timezone.now() - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER + 1)
    ExportRequest.objects.filter(pk=export_id, state=ExportState.QUEUED).update(
        dispatched_at=released
    )
    return False


def export_path(export: ExportRequest) -> Path:
    return Path(settings.EXPORT_ROOT) / export.file_name


def download_token(export: ExportRequest) -> str:
    """A signed token naming the export; the download view also checks who is signed in."""
    return signing.TimestampSigner(salt=_LINK_SALT).sign(str(export.pk))


def export_for_download(*, member: User, token: str) -> ExportRequest | None:
    """The member's own ready export the token names, unless the link is forged or expired."""
    try:
        export_id = signing.TimestampSigner(salt=_LINK_SALT).unsign(
            token, max_age=timedelta(days=settings.EXPORT_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    export = ExportRequest.objects.filter(
        pk=int(export_id), member=member, state=ExportState.READY, expires_at__gt=timezone.now()
    ).first()
    if export is None or not export_path(export).is_file():
        return None
    return export


def pending_deletion(*, member: User) -> AccountDeletion | None:
    """The member's deletion still in its grace period, if they asked for one."""
    return AccountDeletion.objects.filter(member=member, finalised_at__isnull=True).first()


@transaction.atomic
def request_deletion(
    *, member: User, erase_posts: bool, now: datetime | None = None
) -> AccountDeletion:
    """The member's account is set to be deleted after the grace period, their profile is
    hidden from others meanwhile, and they are told how to change their mind."""
    now = now or timezone.now()
    deletion, _ = AccountDeletion.objects.update_or_create(
        member=member,
        finalised_at=None,
        defaults={
            "erase_posts": erase_posts,
            "requested_at": now,
            "delete_after": now + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS),
        },
    )
    return deletion


@transaction.atomic
def cancel_deletion(*, member: User) -> bool:
    """The member keeps their account (True), or there was no deletion to cancel."""
    deleted, _ = AccountDeletion.objects.filter(member=member, finalised_at__isnull=True).delete()
    return bool(deleted)
