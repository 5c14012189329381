"""Asking to be verified as a Certified Peer Specialist, and what the member reads about it.

An admin reviews each request in the Django admin (community.admin), and the decisions and the
daily expiry live in community.services.peer_specialists, which can tell the member in the
site; this module holds what the member does and sees, and the words both sides use.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import dateformat

from .models import CredentialStatus, PeerCredential, PeerCredentialLog, PeerDecision, User


class RequestWaiting(Exception):
    """The member already has a request waiting for an admin."""


WAITING = (
    "We're reviewing your request. We'll tell you here and by email once an admin has looked at it."
)


def day(value: date) -> str:
    """A date as the site writes it in sentences: "1 Mar 2027"."""
    return dateformat.format(value, "j M Y")


def status_of(credential: PeerCredential) -> str:
    """Where `credential` stands, in the words its member reads."""
    if credential.status == CredentialStatus.PENDING:
        return WAITING
    if credential.status == CredentialStatus.APPROVED:
        return f"Approved until {day(credential.expires_on)}."
    if credential.status == CredentialStatus.DECLINED:
        return f"Declined: {credential.decline_reason}"
    if credential.status == CredentialStatus.EXPIRED:
        return (
            f"Your certificate's expiry date, {day(credential.expires_on)}, has passed, so "
            "the badge was removed. Send your renewed certificate below to have it back."
        )
    return "Replaced by your renewed certificate."


def requests_of(member: User) -> list[PeerCredential]:
    """The member's requests, newest first (a handful at most: one can wait at a time)."""
    return list(PeerCredential.objects.filter(member=member).order_by("-requested_at", "-pk"))


def may_ask(requests: list[PeerCredential]) -> bool:
    """A member may ask while none of their requests waits for review."""
    return all(credential.status != CredentialStatus.PENDING for credential in requests)


@transaction.atomic
def request_verification(
    *, member: User, issuing_body: str, certificate_number: str, expires_on: date
) -> PeerCredential:
    """The member has one request waiting for an admin, and the log says they asked."""
    # Two tabs sending at once: the second waits here, then finds the first request.
    User.objects.select_for_update().filter(pk=member.pk).first()
    if PeerCredential.objects.filter(member=member, status=CredentialStatus.PENDING).exists():
        raise RequestWaiting
    credential = PeerCredential.objects.create(
        member=member,
        issuing_body=issuing_body.strip(),
        certificate_number=certificate_number.strip(),
        expires_on=expires_on,
    )
    PeerCredentialLog.objects.create(
        credential=credential, actor=member, decision=PeerDecision.REQUEST
    )
    return credential
