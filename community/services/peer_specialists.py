"""Verifying Certified Peer Specialists: an admin's decision on a request, and the daily run
that reminds members 30 days before their certificate's expiry date and removes badges after it.

Every step is a row of the append-only accounts.PeerCredentialLog, and the member is told in
the site and, per their preferences, by email (a MODERATION notification: the email says only
that a message waits on Lantern). What a message says names the issuing body and dates only to
the member it is for; the certificate number is never in a message, a log line or a task.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import profile_version
from accounts import services as account_services
from accounts.models import (
    CredentialStatus,
    PeerCredential,
    PeerCredentialLog,
    PeerDecision,
    Role,
    User,
)
from accounts.peer_verification import day
from forum.notifications.api import NotificationKind, notify

from .errors import ModerationError

HOW_TO_RENEW = (
    "To renew, send your renewed certificate from your settings (Peer specialist verification) "
    "and an admin will check it."
)


def _tell(*, log: PeerCredentialLog, message: str) -> None:
    """The member the logged step is about has a message on the site (and maybe an email)."""
    notify(
        recipient=log.credential.member,
        kind=NotificationKind.MODERATION,
        event_key=f"peer-credential:{log.pk}",
        message=message,
        url=reverse("accounts:peer_specialist"),
    )


def _pending(credential: PeerCredential) -> PeerCredential:
    locked = (
        PeerCredential.objects.select_for_update().select_related("member").get(pk=credential.pk)
    )
    if locked.status != CredentialStatus.PENDING:
        raise ModerationError("This request has already been decided; nothing was changed.")
    return locked


def _check_admin(admin: User) -> None:
    if not admin.is_admin:
        raise ModerationError("Only an admin can decide on peer specialist verification.")


@transaction.atomic
def approve_peer_credential(*, credential: PeerCredential, admin: User) -> PeerCredential:
    """The member is a verified Certified Peer Specialist until the certificate's expiry date:
    their badge names its issuing body, a member's role becomes peer specialist, any earlier
    certificate is replaced, the approval is logged and the member told."""
    _check_admin(admin)
    credential = _pending(credential)
    if credential.expires_on < timezone.localdate():
        raise ModerationError(
            "This certificate's expiry date has passed. Decline it and say why, so the member "
            "can send their renewed one."
        )
    now = timezone.now()
    member = credential.member
    PeerCredential.objects.filter(member=member, status=CredentialStatus.APPROVED).update(
        status=CredentialStatus.REPLACED, ended_at=now
    )
    credential.status = CredentialStatus.APPROVED
    credential.decided_at = now
    credential.decided_by = admin
    credential.save(update_fields=["status", "decided_at", "decided_by"])
    member.certified_by = credential.issuing_body
    member.save(update_fields=["certified_by"])
    if member.role == Role.MEMBER:
        account_services.set_role(user=member, role=Role.PEER_SPECIALIST)
    # Post cards and profiles show the badge.
    profile_version.bump_after_commit()
    log = PeerCredentialLog.objects.create(
        credential=credential, actor=admin, decision=PeerDecision.APPROVE
    )
    _tell(
        log=log,
        message=(
            "An admin checked your certificate: you are verified as a Certified Peer Specialist "
            f"until {day(credential.expires_on)}. Your badge now shows beside your name, and "
            "you can start topics in Peer specialists' corner. Thank you for the work you do."
        ),
    )
    return credential


@transaction.atomic
def decline_peer_credential(
    *, credential: PeerCredential, admin: User, reason: str
) -> PeerCredential:
    """The request is declined with the admin's reason, logged, and the member told why and
    that they may ask again."""
    _check_admin(admin)
    reason = reason.strip()
    if not reason:
        raise ModerationError("Please write the reason: the member reads it.")
    credential = _pending(credential)
    credential.status = CredentialStatus.DECLINED
    credential.decided_at = timezone.now()
    credential.decided_by = admin
    credential.decline_reason = reason
    credential.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
    log = PeerCredentialLog.objects.create(
        credential=credential, actor=admin, decision=PeerDecision.DECLINE, reason=reason
    )
    _tell(
        log=log,
        message=(
            "An admin looked at your request to be verified as a Certified Peer Specialist "
            f"and could not approve it. The reason: {reason}\n\nYou are welcome to send a new "
            "request from your settings (Peer specialist verification) at any time."
        ),
    )
    return credential


def _remind(credential_id: int) -> bool:
    with transaction.atomic():
        credential = (
            PeerCredential.objects.select_for_update()
            .select_related("member")
            .filter(pk=credential_id, status=CredentialStatus.APPROVED, reminded_at=None)
            .first()
        )
        if credential is None:
            return False
        credential.reminded_at = timezone.now()
        credential.save(update_fields=["reminded_at"])
        log = PeerCredentialLog.objects.create(credential=credential, decision=PeerDecision.REMIND)
        _tell(
            log=log,
            message=(
                "It's time to renew: your Certified Peer Specialist badge shows until "
                f"{day(credential.expires_on)}, the expiry date of your certificate. "
                f"{HOW_TO_RENEW}"
            ),
        )
    return True


def _expire(credential_id: int, today: date) -> bool:
    with transaction.atomic():
        credential = (
            PeerCredential.objects.select_for_update()
            .select_related("member")
            .filter(pk=credential_id, status=CredentialStatus.APPROVED, expires_on__lt=today)
            .first()
        )
        if credential is None:
            return False
        credential.status = CredentialStatus.EXPIRED
        credential.ended_at = timezone.now()
        credential.save(update_fields=["status", "ended_at"])
        member = credential.member
        member.certified_by = ""
        member.save(update_fields=["certified_by"])
        if member.role == Role.PEER_SPECIALIST:
            account_services.set_role(user=member, role=Role.MEMBER)
        profile_version.bump_after_commit()
        log = PeerCredentialLog.objects.create(credential=credential, decision=PeerDecision.EXPIRE)
        _tell(
            log=log,
            message=(
                f"Your certificate's expiry date, {day(credential.expires_on)}, has passed, so "
                "the Certified Peer Specialist badge was removed from your name. "
                f"{HOW_TO_RENEW} Everything you wrote stays as it is."
            ),
        )
    return True


def remind_and_expire_peer_credentials(*, today: date | None = None) -> tuple[int, int]:
    """Members whose certificate expires within PEER_RENEWAL_NOTICE_DAYS have been told once
    to renew; badges whose expiry date has passed are removed, once, and their members told.
    Returns (reminded, expired). Safe to run twice: each step is taken from its row's state."""
    today = today or timezone.localdate()
    approved = PeerCredential.objects.filter(status=CredentialStatus.APPROVED)
    due = today + timedelta(days=settings.PEER_RENEWAL_NOTICE_DAYS)
    ended = list(approved.filter(expires_on__lt=today).values_list("pk", flat=True))
    expired = sum(_expire(pk, today) for pk in ended)
    soon = list(
        approved.filter(reminded_at=None, expires_on__lte=due, expires_on__gte=today).values_list(
            "pk", flat=True
        )
    )
    reminded = sum(_remind(pk) for pk in soon)
    return reminded, expired
