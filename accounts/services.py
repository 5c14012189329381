"""Changes to a member's account."""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from . import dispatch, profile_version
from .message_ids import stable_message_id
from .models import AccountMail, Role, User


def record_guidelines_acceptance(*, user: User, version: int) -> User:
    """The member is recorded as having read guidelines `version`, now."""
    user.guidelines_version = version
    user.guidelines_accepted_at = timezone.now()
    user.save(update_fields=["guidelines_version", "guidelines_accepted_at"])
    return user


@transaction.atomic
def update_profile(
    *, user: User, display_name: str, bio: str, pronouns: str, region: str | None = None
) -> User:
    """The member's public profile shows the given name, bio and pronouns; their private
    region (when given) orders the crisis resources they see."""
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.pronouns = pronouns.strip()
    fields = ["display_name", "bio", "pronouns"]
    if region is not None:
        user.region = region
        fields.append("region")
    user.save(update_fields=fields)
    profile_version.bump_after_commit()
    return user


@transaction.atomic
def set_role(*, user: User, role: str) -> tuple[str, str]:
    """The member holds `role`; returns (old role, new role). Staff access follows the role."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.")
    old = user.role
    user.role = role
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    # Post cards show a badge for peer specialists and moderators.
    profile_version.bump_after_commit()
    return old, role


# Task names, stable: queued messages and the beat schedule carry them (accounts/tasks.py).
SEND_ACCOUNT_MAIL = "accounts.send_account_mail"
SWEEP_ACCOUNT_MAIL = "accounts.sweep_account_mail"


def has_verified_email() -> Exists:
    """For a User queryset: the member's address is one they confirmed. Emails the site sends
    by itself go only to such addresses, never to one a stranger could have typed in."""
    return Exists(
        EmailAddress.objects.filter(
            user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
        )
    )


def automatic_email(
    *, to: str, subject: str, template: str, context: dict[str, object]
) -> EmailMultiAlternatives:
    """An email the site sends by itself (a summary, a daily count): the text and HTML parts
    from `template`.txt and `template`.html, marked Auto-Submitted so no one auto-replies."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


@transaction.atomic
def queue_account_mail(*, message: EmailMessage) -> AccountMail:
    """The rendered message is an AccountMail row, handed to Celery once this commits."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((str(body) for body, kind in message.alternatives if kind == "text/html"), "")
    elif message.content_subtype == "html":
        html = str(message.body)
    mail = AccountMail.objects.create(
        to=message.to[0],
        subject=str(message.subject),
        body="" if message.content_subtype == "html" else str(message.body),
        html=html,
        dispatched_at=timezone.now(),
    )
    transaction.on_commit(lambda: _hand_over(mail.pk))
    return mail


def _hand_over(mail_id: int) -> bool:
    """The row is on its way to a worker (True), or released for the next sweep."""
    if dispatch.publish(SEND_ACCOUNT_MAIL, [mail_id]):
        return True
    # No task holds it: dated a full redispatch period back, the first sweep after the broker is
    # back takes it, instead of the member waiting a redispatch period more for their link.
    released = timezone.now() - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER + 1)
    AccountMail.objects.filter(pk=mail_id, sent_at__isnull=True).update(dispatched_at=released)
    return False


def deliver_account_mail(*, mail_id: int) -> str:
    """The account email has gone out once ("sent"), or had already ("already sent")."""
    with transaction.atomic():
        mail = AccountMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.sent_at is not None or mail.failed_at is not None:
            return "already sent"
        message = EmailMultiAlternatives(
            mail.subject,
            mail.body,
            settings.DEFAULT_FROM_EMAIL,
            [mail.to],
            # A resend after a lost reply from the mail server is recognisable as the same email.
            headers={"Message-ID": stable_message_id(kind="account-mail", ids=[mail.pk])},
        )
        if mail.html and mail.body:
            message.attach_alternative(mail.html, "text/html")
        elif mail.html:
            message.body = mail.html
            message.content_subtype = "html"
        # Sent inside the row lock, so a second delivery of the task waits and then sees sent_at.
        message.send()
        # The link in the body is a credential: once the mail is out, the copy here goes.
        AccountMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), body="", html="")
    return "sent"


def record_account_mail_failure(*, mail_id: int) -> tuple[int, bool]:
    """One more failed attempt is counted; returns (attempts, whether that was the last)."""
    with transaction.atomic():
        mail = AccountMail.objects.select_for_update().get(pk=mail_id)
        mail.attempts += 1
        final = mail.attempts >= settings.EMAIL_MAX_ATTEMPTS
        if final:
            # Visible in the admin as failed, and the link is erased.
            mail.failed_at = timezone.now()
            mail.body = mail.html = ""
        else:
            # The sweep hands the row over again once this backoff (30 s, 1 min, 2 min, ... up
            # to an hour) and its usual grace have passed.
            backoff = min(30 * 2 ** (mail.attempts - 1), 3600)
            mail.dispatched_at = timezone.now() + timedelta(seconds=backoff)
        mail.save(update_fields=["attempts", "failed_at", "body", "html", "dispatched_at"])
    return mail.attempts, final


def sweep_account_mail(*, now: datetime | None = None) -> int:
    """Account emails left pending (broker down, worker lost) are handed to Celery again."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_REDISPATCH_AFTER)
    pending = list(
        AccountMail.objects.filter(
            sent_at__isnull=True, failed_at__isnull=True, dispatched_at__lt=stale
        ).values_list("pk", flat=True)[:500]
    )
    AccountMail.objects.filter(pk__in=pending).update(dispatched_at=now)
    return sum(_hand_over(pk) for pk in pending)
