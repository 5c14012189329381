"""Leaving with dignity, the work that reaches across the site: building a member's export and
finalising an account deletion once its grace period has passed.

accounts.leaving writes the rows (ExportRequest, AccountDeletion) and hands these steps over by
task name; they live here because only community may read the forum and community together.
"""

from __future__ import annotations

import json
import secrets
import zipfile
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import leaving, profile_version
from accounts.models import (
    FORMER_MEMBER,
    FORMER_USERNAME,
    AccountDeletion,
    ExportRequest,
    ExportState,
    Role,
    User,
)
from community.models import ModerationLog, SafetyPlan, StoryTake
from forum import content_warnings
from forum import services as forum_services
from forum.models import MilestoneCounter, Post, Reaction
from forum.notifications.models import (
    CategorySubscription,
    Notification,
    NotificationPreference,
    TopicMute,
    TopicSubscription,
)

# Far longer than any member's export takes to build.
EXPORT_BUILD_TIMEOUT = timedelta(minutes=30)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_contents(member: User) -> dict[str, Any]:
    """Everything the member wrote and chose, as plain data: their own words and settings, and
    nothing another member keeps private (no names of who reacted, no other members' posts)."""
    profile = {
        "username": member.username,
        "display_name": member.display_name,
        "pronouns": member.pronouns,
        "bio": member.bio,
        "email": member.email,
        "region": member.region,
        "role": member.role,
        "joined": _when(member.date_joined),
        "guidelines_version": member.guidelines_version,
        "guidelines_accepted_at": _when(member.guidelines_accepted_at),
        "first_reply_volunteer": member.first_reply_volunteer,
        "content_warnings_shown": list(content_warnings.labels_of(member.content_warnings_shown)),
        "content_warnings_hidden": list(content_warnings.labels_of(member.content_warnings_hidden)),
        "email_addresses": list(
            EmailAddress.objects.filter(user=member).values_list("email", flat=True)
        ),
    }
    posts = [
        {
            "id": post.pk,
            "topic": post.topic_id,
            "topic_title": post.topic.title if post.is_opening_post else None,
            "position": post.position,
            "status": post.status,
            "created_at": _when(post.created_at),
            "edited_at": _when(post.edited_at),
            "text": post.body,
            "content_warnings": list(content_warnings.labels_of(post.warning_flags)),
            "content_warning_note": post.warning_note,
            "milestone": {"label": post.milestone.label, "days": post.milestone.days}
            if hasattr(post, "milestone")
            else None,
            "history": [
                {
                    "title": revision.title,
                    "text": revision.body,
                    "reason": revision.reason,
                    "replaced_at": _when(revision.created_at),
                }
                # Only the member's own edits: a moderator's edit note is theirs to keep.
                for revision in post.revisions.all()
                if revision.editor_id == member.pk
            ],
        }
        for post in Post.objects.filter(author=member)
        .select_related("topic", "milestone")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
    ]
    reactions = [
        {"post": post_id, "kind": kind, "sent_at": _when(sent_at)}
        for post_id, kind, sent_at in Reaction.objects.filter(user=member)
        .order_by("created_at")
        .values_list("post_id", "kind", "created_at")
    ]
    notifications = [
        {
            "kind": note.kind,
            "message": note.message,
            "url": note.url,
            "created_at": _when(note.created_at),
            "read_at": _when(note.read_at),
        }
        for note in Notification.objects.filter(recipient=member).order_by("created_at")
    ]
    preference = NotificationPreference.objects.filter(user=member).first()
    preferences: dict[str, Any] = {
        "delivery": (
            {
                field.name: getattr(preference, field.name)
                for field in NotificationPreference._meta.concrete_fields
                if field.name not in ("id", "user", "updated_at")
            }
            if preference
            else {}
        ),
        "following_topics": list(
            TopicSubscription.objects.filter(user=member).values_list("topic_id", flat=True)
        ),
        "watching_categories": list(
            CategorySubscription.objects.filter(user=member).values_list("category_id", flat=True)
        ),
    }
    plan = SafetyPlan.objects.filter(owner=member).first()
    safety_plan = {field: getattr(plan, field) for field, _heading in plan.SECTIONS} if plan else {}
    decisions = [
        # What the member is told about a decision; who took it is the team's, not theirs.
        {
            "action": log.action,
            "reason": log.reason,
            "explanation": log.explanation,
            "until": _when(log.until),
            "post": log.post_id,
            "created_at": _when(log.created_at),
        }
        for log in ModerationLog.objects.filter(target_user=member).order_by("created_at")
    ]
    counters = [
        {"label": counter.label, "started_on": counter.started_on.isoformat()}
        for counter in MilestoneCounter.objects.owned_by(member).order_by("created_at")
    ]
    credentials = [
        {
            "issuing_body": credential.issuing_body,
            "certificate_number": credential.certificate_number,
            "expires_on": credential.expires_on.isoformat(),
            "status": credential.status,
            "requested_at": _when(credential.requested_at),
            "decline_reason": credential.decline_reason,
        }
        for credential in member.peer_credentials.all()
    ]
    return {
        "profile": profile,
        "posts": posts,
        "reactions_given": reactions,
        "notifications": notifications,
        "notification_preferences": preferences,
        "safety_plan": safety_plan,
        "milestone_counters": counters,
        "moderation_decisions": decisions,
        "peer_specialist_requests": credentials,
    }


def build_export(*, export_id: int) -> str:
    """The export's zip is written and its row is ready ("ready"), or it already was."""
    with transaction.atomic():
        export = (
            ExportRequest.objects.select_for_update()
            .select_related("member")
            .filter(pk=export_id)
            .first()
        )
        if export is None or export.state != ExportState.QUEUED:
            return "already built"
        export.state = ExportState.BUILDING
        # From now on dispatched_at says when building started (the sweep's clock for it).
        export.dispatched_at = timezone.now()
        export.save(update_fields=["state", "dispatched_at"])
    try:
        contents = export_contents(export.member)
        file_name = f"{secrets.token_hex(16)}.zip"
        root = settings.EXPORT_ROOT
        root.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(root / file_name, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, part in contents.items():
                archive.writestr(f"{name}.json", json.dumps(part, indent=2, ensure_ascii=False))
            # The template escapes every value: the member's words are text here, never markup.
            archive.writestr("index.html", render_to_string("accounts/export_index.html", contents))
    except Exception:
        ExportRequest.objects.filter(pk=export.pk).update(
            state=ExportState.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    ExportRequest.objects.filter(pk=export.pk).update(
        state=ExportState.READY,
        file_name=file_name,
        finished_at=now,
        expires_at=now + timedelta(days=settings.EXPORT_LINK_DAYS),
    )
    # One zip per member on disk: a new export replaces the one before.
    for older in export.member.exports.filter(pk__lt=export.pk).exclude(file_name=""):
        leaving.export_path(older).unlink(missing_ok=True)
        ExportRequest.objects.filter(pk=older.pk).update(state=ExportState.EXPIRED, file_name="")
    return "ready"


def sweep_exports(*, now: datetime | None = None) -> tuple[int, int]:
    """Exports left queued (broker down, worker lost) are handed over again, and expired ones
    have no file left; returns (handed over, expired)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER)
    # A worker lost while building (killed, restarted) leaves the row building: after a
    # generous while it is queued again, so the member is not left waiting for ever.
    ExportRequest.objects.filter(
        state=ExportState.BUILDING, dispatched_at__lt=now - EXPORT_BUILD_TIMEOUT
    ).update(state=ExportState.QUEUED, dispatched_at=stale - timedelta(seconds=1))
    queued = list(
        ExportRequest.objects.filter(state=ExportState.QUEUED, dispatched_at__lt=stale).values_list(
            "pk", flat=True
        )[:500]
    )
    ExportRequest.objects.filter(pk__in=queued).update(dispatched_at=now)
    handed = sum(leaving.hand_over_export(pk) for pk in queued)
    expired = 0
    for export in ExportRequest.objects.filter(state=ExportState.READY, expires_at__lte=now):
        if export.file_name:
            leaving.export_path(export).unlink(missing_ok=True)
        ExportRequest.objects.filter(pk=export.pk).update(state=ExportState.EXPIRED, file_name="")
        expired += 1
    return handed, expired


def former_member_username(member: User) -> str:
    """A stable pseudonym: the same member always gets the same one, and it cannot be turned
    back into their id without the site's secret key."""
    tag = salted_hmac("community.leaving.former-member", str(member.pk)).hexdigest()[:12]
    return f"{FORMER_USERNAME}{tag}"


def finalise_deletion(*, deletion_id: int, now: datetime | None = None) -> str:
    """The member's account is gone ("finalised"): personal rows deleted, the user row kept as
    a pseudonymous placeholder so posts and the moderation log still point somewhere. Running
    it again, or before the grace period ends, changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        deletion = (
            AccountDeletion.objects.select_for_update()
            .select_related("member")
            .filter(pk=deletion_id)
            .first()
        )
        if deletion is None or deletion.finalised_at is not None:
            return "already finalised"
        if deletion.delete_after > now:
            return "waiting"
        member = deletion.member
        if deletion.erase_posts:
            forum_services.erase_posts_of(author=member)
        for export in member.exports.exclude(file_name=""):
            leaving.export_path(export).unlink(missing_ok=True)
        member.exports.all().delete()
        for session in UserSession.objects.filter(user=member):
            session.end()
        EmailAddress.objects.filter(user=member).delete()
        Authenticator.objects.filter(user=member).delete()
        SafetyPlan.objects.filter(owner=member).delete()
        MilestoneCounter.objects.filter(owner=member).delete()
        Notification.objects.filter(recipient=member).delete()
        NotificationPreference.objects.filter(user=member).delete()
        TopicSubscription.objects.filter(user=member).delete()
        CategorySubscription.objects.filter(user=member).delete()
        TopicMute.objects.filter(user=member).delete()
        StoryTake.objects.filter(volunteer=member).delete()
        # Certificate numbers are theirs; the steps' log goes with each request (cascade).
        member.peer_credentials.all().delete()
        member.username = former_member_username(member)
        member.display_name = FORMER_MEMBER
        member.email = ""
        member.first_name = member.last_name = ""
        member.bio = member.pronouns = member.region = member.certified_by = ""
        member.role = Role.MEMBER
        member.is_staff = member.is_superuser = False
        member.first_reply_volunteer = False
        member.is_active = False
        member.last_login = None
        member.set_unusable_password()
        member.save()
        deletion.finalised_at = now
        deletion.save(update_fields=["finalised_at"])
        # Post cards and topic lists name the member: they are rendered again.
        profile_version.bump_after_commit()
    return "finalised"


def finalise_due_deletions(*, now: datetime | None = None) -> int:
    """Every deletion whose grace period has passed is finalised; returns how many."""
    now = now or timezone.now()
    due = AccountDeletion.objects.filter(finalised_at__isnull=True, delete_after__lte=now)
    return sum(
        finalise_deletion(deletion_id=pk, now=now) == "finalised"
        for pk in due.values_list("pk", flat=True)[:200]
    )
