"""Delivery: composing and sending notification emails from outbox rows.

Emails are discreet: the subject and sender are neutral and the body says only what kind of
activity happened, never post text, titles, categories or other members' names, unless the
member opted into a short excerpt. Each send happens under a row lock with a sent-at check,
so a task that runs twice sends once. A batch of rows goes over one connection to the mail
server; trouble with the server pauses the batch and every later one (`mail_server`), and a row
that must wait (coalescing, a retry, a pause) gets a `send_after` for the outbox sweeper: no
task ever waits in a worker or on the broker.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, InterfaceError, transaction
from django.db import connection as db_connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.message_ids import stable_message_id
from accounts.models import User
from forum import rendering
from forum.models import Status

from . import mail_server
from .models import POST_KINDS, Delivery, EmailOutbox, NotificationKind, OutboxStatus
from .preferences import preference_of
from .unsubscribe import DIGEST_TOKEN_KIND, unsubscribe_label, unsubscribe_token

logger = logging.getLogger(__name__)

SUBJECT = "You have new activity on Lantern"
# Says it is urgent and nothing else: no post text, title, category or names.
URGENT_SUBJECT = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Urgent: a member may need support now"
# Alerts for moderators go out one by one, never coalesced with a topic's activity.
ALERT_KINDS = (NotificationKind.MODERATOR_ALERT, NotificationKind.URGENT_ALERT)
EXCERPT_LENGTH = 160
MAX_EXCERPTS = 3

# (one, many): what happened, in words that reveal nothing about what was written.
PHRASES = {
    NotificationKind.TOPIC_REPLY: (
        "A new reply to a topic you started",
        "{n} new replies to a topic you started",
    ),
    NotificationKind.FOLLOWED_REPLY: (
        "A new post in a topic you follow",
        "{n} new replies in a topic you follow",
    ),
    NotificationKind.MENTION: ("A member mentioned you", "{n} mentions of you"),
    NotificationKind.ENCOURAGEMENT: (
        "A member sent you encouragement",
        "{n} members sent you encouragement",
    ),
    NotificationKind.MODERATION: (
        "A message from the moderators",
        "{n} messages from the moderators",
    ),
    NotificationKind.REPORT_CLOSED: (
        "An update on a report you made",
        "{n} updates on reports you made",
    ),
    NotificationKind.MODERATOR_ALERT: (
        "A post is waiting for a moderator",
        "{n} posts are waiting for a moderator",
    ),
    NotificationKind.URGENT_ALERT: (
        "A member may need support now",
        "{n} members may need support now",
    ),
    # Never who wrote it or what it says: only that something waits behind the login.
    NotificationKind.TEAM_MESSAGE: (
        "A private message is waiting for you",
        "{n} private messages are waiting for you",
    ),
}


def retry_delay(attempt: int) -> int:
    """Seconds before retry number `attempt` (1-based): 30 s, 60 s, 2 min, 4 min, ..."""
    # int ** int is typed Any (a negative power is a float); attempts start at 1, so it is an int.
    delay: int = 30 * 2 ** (attempt - 1)
    return min(delay, 3600)


def _phrase(kind: str, n: int) -> str:
    one, many = PHRASES[NotificationKind(kind)]
    return one if n == 1 else many.format(n=n)


def _absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


def _still_owed(row: EmailOutbox) -> bool:
    """Whether the activity behind `row` is still there to be told about."""
    if row.kind not in POST_KINDS:
        return True
    notification = row.notification
    topic = notification.topic
    # A group of replies is still owed while any of it is there: its first or its newest post.
    posts = (notification.post, notification.last_post)
    return any(post is not None and post.status == Status.PUBLISHED for post in posts) and (
        topic is None or topic.status == Status.PUBLISHED
    )


def _link(row: EmailOutbox) -> str:
    """The first post the email is about, or the newest if the first is no longer there."""
    notification = row.notification
    first, last = notification.post, notification.last_post
    if first is not None and first.status != Status.PUBLISHED and last is not None:
        return _absolute(reverse("forum:post", kwargs={"pk": last.pk}))
    return _absolute(notification.get_absolute_url())


def _can_receive(user: User) -> bool:
    """Only to an active member's verified address: mail must not reach a stranger's inbox."""
    return (
        user.is_active
        and bool(user.email)
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


def _excerpts(rows: list[EmailOutbox], recipient: User) -> list[str]:
    """Short plain-text previews, only for a member who asked for them."""
    preference = preference_of(recipient)
    if not preference.include_excerpt:
        return []
    found = []
    for row in rows:
        post = row.notification.post
        # A post with a content warning never reaches an inbox, even as an excerpt.
        warned = post is not None and (post.warning_flags or post.warning_note)
        if row.kind in POST_KINDS and post is not None and post.body and not warned:
            found.append(rendering.excerpt(post.body, length=EXCERPT_LENGTH))
        if len(found) >= MAX_EXCERPTS:
            break
    return found


def build_message(
    *,
    recipient: User,
    template: str,
    context: dict[str, Any],
    unsubscribe_kind: str | None,
    subject: str = SUBJECT,
    connection: BaseEmailBackend | None = None,
    outbox_ids: list[int] | None = None,
) -> EmailMultiAlternatives:
    """A plain-text + HTML email with a neutral subject and a one-click unsubscribe (none
    when `unsubscribe_kind` is None: urgent alerts). An email about `outbox_ids` has the same
    Message-ID on every attempt (accounts.message_ids)."""
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "preferences_url": _absolute(reverse("forum:notification_preferences")),
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if outbox_ids:
        headers["Message-ID"] = stable_message_id(kind="outbox", ids=outbox_ids)
    if unsubscribe_kind is not None:
        token = unsubscribe_token(user=recipient, kind=unsubscribe_kind)
        unsubscribe_url = _absolute(reverse("forum:unsubscribe", kwargs={"token": token}))
        context["unsubscribe_url"] = unsubscribe_url
        context["unsubscribe_label"] = unsubscribe_label(unsubscribe_kind)
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        connection=connection,
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def _lines(rows: list[EmailOutbox]) -> list[str]:
    # A row may tell about several replies: those that folded into its group while it waited.
    counts: Counter[str] = Counter()
    for row in rows:
        counts[row.kind] += row.count
    return [_phrase(kind, n) for kind, n in counts.items()]


def _send(message: EmailMultiAlternatives, connection: BaseEmailBackend | None) -> None:
    if connection is not None:
        # Opened on the first email of a batch and kept for the rest (a no-op once open).
        connection.open()
    message.send()


def deliver(*, outbox_id: int, connection: BaseEmailBackend | None = None) -> str:
    """The row is sent (with other due rows for the same member and topic), deferred because a
    recent email covered that topic, cancelled if no longer owed, or already done."""
    first = (
        EmailOutbox.objects.filter(pk=outbox_id)
        .values("recipient_id", "topic_id", "kind", "status", "delivery")
        .first()
    )
    if first is None or first["status"] != OutboxStatus.PENDING:
        return "done"
    if first["delivery"] != Delivery.IMMEDIATE:
        return "digest"
    coalesce = first["topic_id"] is not None and first["kind"] not in ALERT_KINDS
    window = timedelta(seconds=settings.NOTIFICATION_COALESCE_SECONDS)
    # Filled once the mail server has taken the email: if the database connection dies before
    # the rows are marked sent, they are marked on a fresh one instead of being sent again.
    sent: list[tuple[list[int], list[int], datetime]] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            due = EmailOutbox.objects.select_for_update().filter(
                status=OutboxStatus.PENDING, delivery=Delivery.IMMEDIATE
            )
            if coalesce:
                # Every task for this member and topic locks the same rows in the same order, so
                # concurrent workers queue up here instead of each sending an email.
                due = due.filter(
                    recipient_id=first["recipient_id"], topic_id=first["topic_id"]
                ).exclude(kind__in=ALERT_KINDS)
            else:
                due = due.filter(pk=outbox_id)
            locked = list(due.order_by("pk"))
            if not any(row.pk == outbox_id for row in locked):
                return "done"
            if coalesce:
                last_sent = (
                    EmailOutbox.objects.filter(
                        recipient_id=first["recipient_id"],
                        topic_id=first["topic_id"],
                        status=OutboxStatus.SENT,
                        sent_at__gt=now - window,
                    )
                    .exclude(kind__in=ALERT_KINDS)
                    .order_by("-sent_at")
                    .values_list("sent_at", flat=True)
                    .first()
                )
                if last_sent is not None:
                    # The sweeper hands the rows over when the window closes; later activity joins
                    # the email that goes out then.
                    defer_until = last_sent + window
                    EmailOutbox.objects.filter(pk__in=[r.pk for r in locked]).update(
                        send_after=defer_until, dispatched_at=None
                    )
                    return "deferred"
            rows = list(
                EmailOutbox.objects.filter(pk__in=[r.pk for r in locked])
                .select_related(
                    "recipient",
                    "notification__post",
                    "notification__last_post",
                    "notification__topic",
                )
                .order_by("pk")
            )
            owed = [row for row in rows if _still_owed(row)]
            recipient = rows[0].recipient
            if not owed or not _can_receive(recipient):
                EmailOutbox.objects.filter(pk__in=[r.pk for r in rows]).update(
                    status=OutboxStatus.CANCELLED
                )
                return "cancelled"
            lead = owed[0]
            if lead.kind == NotificationKind.URGENT_ALERT:
                message = build_message(
                    recipient=recipient,
                    template="urgent_alert",
                    context={
                        "link": _absolute(lead.notification.get_absolute_url()),
                        "realert_minutes": settings.AT_RISK_REALERT_MINUTES,
                    },
                    unsubscribe_kind=None,
                    subject=URGENT_SUBJECT,
                    connection=connection,
                    outbox_ids=[r.pk for r in owed],
                )
            else:
                message = build_message(
                    recipient=recipient,
                    template="notification",
                    context={
                        "lines": _lines(owed),
                        "link": _link(lead),
                        "excerpts": _excerpts(owed, recipient),
                    },
                    unsubscribe_kind=lead.kind,
                    connection=connection,
                    outbox_ids=[r.pk for r in owed],
                )
            _send(message, connection)
            sent.append(([r.pk for r in owed], [r.pk for r in rows if r not in owed], now))
            # Inside the lock: if the worker dies before this commits, the row stays pending
            # and is sent again (at least once), never silently dropped.
            EmailOutbox.objects.filter(pk__in=[r.pk for r in owed]).update(
                status=OutboxStatus.SENT, sent_at=now, attempts=F("attempts") + 1
            )
            EmailOutbox.objects.filter(pk__in=[r.pk for r in rows if r not in owed]).update(
                status=OutboxStatus.CANCELLED
            )
            return "sent"
    # A connection killed mid-commit can surface as InterfaceError ("connection already
    # closed"), which is not a DatabaseError: missing it would send the same email again.
    except (DatabaseError, InterfaceError):
        if not sent:
            raise
        owed_ids, cancelled_ids, sent_at = sent[0]
        _mark_sent_after_lost_connection(
            owed_ids=owed_ids, cancelled_ids=cancelled_ids, sent_at=sent_at
        )
        return "sent"


def _mark_sent_after_lost_connection(
    *, owed_ids: list[int], cancelled_ids: list[int], sent_at: datetime
) -> None:
    """Rows whose email went out are marked sent even though the connection that held their
    lock died: without this the sweep would send the same email again."""
    for attempt in range(5):
        db_connection.close()
        try:
            with transaction.atomic():
                EmailOutbox.objects.filter(pk__in=owed_ids, status=OutboxStatus.PENDING).update(
                    status=OutboxStatus.SENT, sent_at=sent_at, attempts=F("attempts") + 1
                )
                EmailOutbox.objects.filter(
                    pk__in=cancelled_ids, status=OutboxStatus.PENDING
                ).update(status=OutboxStatus.CANCELLED)
            logger.warning("marked %d outbox rows sent after losing the database", len(owed_ids))
            return
        except (DatabaseError, InterfaceError):
            time.sleep(0.2 * 2**attempt)
    raise DatabaseError("the database stayed unreachable after an email was sent")


def record_failure(*, outbox_ids: list[int], error: Exception) -> tuple[int, bool]:
    """The rows count one more failed attempt and wait out a backoff (30 s, 1 min, 2 min, ...);
    after the last attempt, or at once for a permanent refusal, they are "failed".
    Returns (attempts so far, whether they are now failed)."""
    permanent = mail_server.is_permanent(error)
    with transaction.atomic():
        rows = list(
            EmailOutbox.objects.select_for_update()
            .filter(pk__in=outbox_ids, status=OutboxStatus.PENDING)
            .order_by("pk")
        )
        if not rows:
            return 0, True
        attempt = max(row.attempts for row in rows) + 1
        final = permanent or attempt >= settings.EMAIL_MAX_ATTEMPTS
        EmailOutbox.objects.filter(pk__in=[r.pk for r in rows]).update(
            attempts=attempt,
            last_error=mail_server.describe(error)[:200],
            status=OutboxStatus.FAILED if final else OutboxStatus.PENDING,
            # No task holds the rows any more: the sweeper hands them over once they are due.
            send_after=timezone.now() + timedelta(seconds=retry_delay(attempt)),
            dispatched_at=None,
        )
    # Exception class and reply code only: SMTP replies can quote the recipient's address back.
    logger.warning(
        "notification email %s attempt %s failed with %s%s",
        outbox_ids,
        attempt,
        mail_server.describe(error),
        ("; refused for good, " if permanent else "; ") + "marked failed" if final else "",
    )
    return attempt, final


def postpone(*, outbox_ids: list[int], until: datetime) -> int:
    """Pending rows wait until `until` (the mail server is paused); attempts are not counted,
    since nothing was tried. Returns how many rows wait."""
    return EmailOutbox.objects.filter(pk__in=outbox_ids, status=OutboxStatus.PENDING).update(
        send_after=until, dispatched_at=None
    )


def deliver_batch(*, outbox_ids: list[int]) -> dict[str, int]:
    """Each row is sent, deferred, cancelled, failed or left waiting for the mail server, over
    one connection; returns how many rows ended each way."""
    outcomes: Counter[str] = Counter()
    paused = mail_server.paused_until()
    if paused is not None:
        return {"paused": postpone(outbox_ids=outbox_ids, until=paused)}
    connection = get_connection()
    try:
        for index, outbox_id in enumerate(outbox_ids):
            try:
                outcomes[deliver(outbox_id=outbox_id, connection=connection)] += 1
            except mail_server.MAIL_ERRORS as error:
                _, final = record_failure(outbox_ids=[outbox_id], error=error)
                outcomes["failed" if final else "retry"] += 1
                if mail_server.is_server_trouble(error):
                    until = mail_server.pause(error=error)
                    rest = outbox_ids[index + 1 :]
                    outcomes["paused"] += postpone(outbox_ids=rest, until=until)
                    break
    finally:
        connection.close()
    if outcomes["sent"]:
        mail_server.resume()
    return {outcome: n for outcome, n in outcomes.items() if n}


def send_digest(*, user_id: int) -> str:
    """The member's pending digest rows went out as one email grouped by topic, were cancelled
    if nothing in them is still owed, or wait for a paused mail server or a retry."""
    paused = mail_server.paused_until()
    if paused is not None:
        ids = _pending_digest_ids(user_id)
        postpone(outbox_ids=ids, until=paused)
        return "paused"
    try:
        outcome = _send_digest(user_id=user_id)
    except mail_server.MAIL_ERRORS as error:
        _, final = record_failure(outbox_ids=_pending_digest_ids(user_id), error=error)
        if mail_server.is_server_trouble(error):
            mail_server.pause(error=error)
        return "failed" if final else "retry"
    if outcome == "sent":
        mail_server.resume()
    return outcome


def _pending_digest_ids(user_id: int) -> list[int]:
    return list(
        EmailOutbox.objects.filter(
            recipient_id=user_id, delivery=Delivery.DIGEST, status=OutboxStatus.PENDING
        ).values_list("pk", flat=True)
    )


def _send_digest(*, user_id: int) -> str:
    with transaction.atomic():
        rows = list(
            EmailOutbox.objects.select_for_update()
            .filter(recipient_id=user_id, delivery=Delivery.DIGEST, status=OutboxStatus.PENDING)
            .order_by("pk")
        )
        if not rows:
            return "done"
        rows = list(
            EmailOutbox.objects.filter(pk__in=[r.pk for r in rows])
            .select_related(
                "recipient",
                "notification__post",
                "notification__last_post",
                "notification__topic",
            )
            .order_by("pk")
        )
        owed = [row for row in rows if _still_owed(row)]
        recipient = rows[0].recipient
        skipped = [r.pk for r in rows if r not in owed]
        if not owed or not _can_receive(recipient):
            EmailOutbox.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=OutboxStatus.CANCELLED
            )
            return "cancelled"
        by_topic: dict[int | None, list[EmailOutbox]] = {}
        for row in owed:
            by_topic.setdefault(row.topic_id, []).append(row)
        groups = [
            {
                "lines": _lines(group),
                "link": _link(group[0]),
            }
            for group in by_topic.values()
        ]
        build_message(
            recipient=recipient,
            template="digest",
            context={"groups": groups, "excerpts": _excerpts(owed, recipient)},
            unsubscribe_kind=DIGEST_TOKEN_KIND,
            outbox_ids=[r.pk for r in owed],
        ).send()
        now = timezone.now()
        EmailOutbox.objects.filter(pk__in=[r.pk for r in owed]).update(
            status=OutboxStatus.SENT, sent_at=now, attempts=F("attempts") + 1
        )
        EmailOutbox.objects.filter(pk__in=skipped).update(status=OutboxStatus.CANCELLED)
        return "sent"
