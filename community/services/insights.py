"""What the insights page and the weekly summary read: each decision's timings, kept when it
is made, and the weekly email to admins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import automatic_email, has_verified_email, queue_account_mail
from community.insights import DECIDING_ACTIONS, insights, zone_of
from community.models import DecisionTiming, ModerationLog, ReviewItem, WeeklySummary

SUMMARY_SUBJECT = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your weekly summary"
SUMMARY_DAYS = 7


def first_alert_at(item: ReviewItem) -> datetime | None:
    """When the first urgent alert of the item's current opening went out: later stages are
    due on a fixed clock from it (services.alerts), so it is the last stage less its periods."""
    if not item.alert_count or item.last_alerted_at is None:
        return None
    period = timedelta(minutes=settings.AT_RISK_REALERT_MINUTES)
    return max(item.opened_at, item.last_alerted_at - (item.alert_count - 1) * period)


def record_decision_timing(*, log: ModerationLog, item: ReviewItem) -> DecisionTiming | None:
    """A moderator's decision on `item` has its timings and lanes kept, read from the item as
    it stood before the decision resolved it (resolving clears the claim and the lanes).
    Other log rows (the system's, lifting a sanction, taking an item over) keep nothing."""
    if log.actor_id is None or log.action not in DECIDING_ACTIONS:
        return None
    return DecisionTiming.objects.create(
        log=log,
        review_item=item,
        moderator_id=log.actor_id,
        opened_at=item.opened_at,
        alerted_at=first_alert_at(item),
        claimed_at=item.claimed_at,
        decided_at=log.created_at,
        at_risk=item.at_risk,
        reported=item.report_count > 0,
        new_member=item.needs_approval,
    )


def summary_recipients() -> list[User]:
    """Active admins with a verified address: the summary must not reach a stranger's inbox."""
    return list(
        User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .filter(has_verified_email())
        .order_by("pk")
    )


def _summary_message(*, recipient: User, context: dict[str, object]) -> EmailMultiAlternatives:
    return automatic_email(
        to=recipient.email,
        subject=SUMMARY_SUBJECT,
        template="community/email/weekly_summary",
        context={**context, "zone": zone_of(recipient)},
    )


def send_weekly_summary(*, now: datetime | None = None) -> int:
    """Every admin has one email this week (Monday to Sunday, UTC) with the last seven days'
    queue figures: counts and waiting times only, no post text, titles or names. The email is
    an outbox row (accounts' mail outbox), so a broker outage delays it without losing it.
    Returns how many admins were written to; running it again in the same week writes none."""
    now = now or timezone.now()
    today = now.astimezone(UTC).date()
    week_starting = today - timedelta(days=today.weekday())
    figures = insights(now=now, days=SUMMARY_DAYS, zone=UTC)
    context = {
        "figures": figures,
        "link": settings.SITE_URL + reverse("community:insights") + f"?days={SUMMARY_DAYS}",
    }
    told = 0
    for recipient in summary_recipients():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    WeeklySummary.objects.create(recipient=recipient, week_starting=week_starting)
            except IntegrityError:
                # Already written this week (a second beat, a redelivered task).
                continue
            queue_account_mail(message=_summary_message(recipient=recipient, context=context))
            told += 1
    return told
