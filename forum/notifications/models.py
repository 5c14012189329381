"""Notification models: following, preferences, in-site notifications and the two outboxes.

They belong to the `forum` app (app_label "forum", the tables and migrations they always had)
but live here, beside the code that uses them. `forum.models` imports this module so Django
registers them while loading apps; this module imports nothing from the project and names the
forum's models by string ("forum.Topic"), so that import cannot loop back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class TopicSubscription(models.Model):
    """A member follows a topic: replies in it notify them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_subscriptions"
    )
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "forum"
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="topic_subscription_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows topic {self.topic_id}"


class CategorySubscription(models.Model):
    """A member watches a category: new topics and replies in it notify them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_subscriptions"
    )
    category = models.ForeignKey(
        "forum.Category", on_delete=models.CASCADE, related_name="watchers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "forum"
        constraints = [
            models.UniqueConstraint(fields=["category", "user"], name="category_subscription_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches category {self.category_id}"


class TopicMute(models.Model):
    """A member hears nothing from members about a topic until they unmute it (the team still
    reaches them: HEARD_THROUGH_MUTES)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_mutes"
    )
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="mutes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "forum"
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="topic_mute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} muted topic {self.topic_id}"


class NotificationKind(models.TextChoices):
    TOPIC_REPLY = "topic_reply", "Replies to my topics"
    FOLLOWED_REPLY = "followed_reply", "Replies in topics I follow"
    MENTION = "mention", "Mentions of me"
    ENCOURAGEMENT = "encouragement", "Encouragement I receive"
    MODERATION = "moderation", "Messages from moderators"
    REPORT_CLOSED = "report_closed", "Updates on my reports"
    MODERATOR_ALERT = "moderator_alert", "Moderator alerts"
    # A member may need support now: always emailed at once, never digested, no one-click
    # unsubscribe and no preference (moderators choose when they are on duty instead).
    URGENT_ALERT = "urgent_alert", "Urgent alerts: a member may need support now"
    # A private conversation with the moderation team (community's conversations).
    TEAM_MESSAGE = "team_message", "Private messages with the Lantern team"


# A mute quiets members' activity, never the team: an urgent alert, a moderator's decision about
# the member's own post, and a message from the team reach them whatever they muted.
HEARD_THROUGH_MUTES = frozenset(
    {NotificationKind.URGENT_ALERT, NotificationKind.MODERATION, NotificationKind.TEAM_MESSAGE}
)


# Kinds about a member's post: not shown, and not emailed, once that post is hidden or removed.
POST_KINDS = frozenset(
    {
        NotificationKind.TOPIC_REPLY,
        NotificationKind.FOLLOWED_REPLY,
        NotificationKind.MENTION,
        NotificationKind.ENCOURAGEMENT,
    }
)


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me right away"
    DIGEST = "digest", "Once a day, in a digest"
    NEVER = "never", "Don't email me"


class NotificationPreference(models.Model):
    """How one member wants each kind of notification emailed. No row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    topic_reply = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    followed_reply = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.DIGEST
    )
    mention = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    encouragement = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.NEVER
    )
    moderation = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    report_closed = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    # Moderators may turn alerts off by one-click unsubscribe only; never digested.
    moderator_alert = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    team_message = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    # Off by default: an excerpt is the one thing that lets an email say what a post was about.
    include_excerpt = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "forum"

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"

    def delivery_for(self, kind: str) -> str:
        # One Delivery field per kind, named for it; getattr by name is typed Any.
        delivery: str = getattr(self, kind)
        return delivery


class Notification(models.Model):
    """Something a member hears about in the site; idempotent per (event, recipient, kind).

    Replies in one topic, and encouragement on one post, fold into one unread row per member
    (`group_key`): `count` says how many, `post` is the first unread one (where opening it
    goes) and `last_post` the newest. Once read, the next one starts a new row.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    event_key = models.CharField(max_length=80)
    topic = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "forum.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "replies:<topic id>" or "encouragement:<post id>"; empty for what never folds.
    group_key = models.CharField(max_length=80, blank=True, default="")
    count = models.PositiveIntegerField(default=1)
    last_post = models.ForeignKey(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who caused it, shown in the site only (grouping encouragement counts distinct members).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The newest activity folded in: the inbox lists by it, so a group that grew comes first.
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "forum"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "kind"], name="notification_once"
            ),
            # Two workers folding into the same group at once cannot both create it: the second
            # insert conflicts, and it folds into the first one's row instead.
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                name="notification_one_unread_group",
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-updated_at", "-id"], name="notification_inbox_recent"
            ),
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    def get_absolute_url(self) -> str:
        if self.url:
            return self.url
        if self.post_id:
            return reverse("forum:post", kwargs={"pk": self.post_id})
        if self.topic_id:
            return reverse("forum:topic", kwargs={"pk": self.topic_id})
        return reverse("forum:notifications")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed after every retry"
    CANCELLED = "cancelled", "Not sent: no longer owed"


class EmailOutbox(models.Model):
    """One email owed to one member for one event, written in the transaction that caused it."""

    # A group that is still unread may owe a second email once its first one went out.
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="emails")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    event_key = models.CharField(max_length=80)
    # How many replies (or members' encouragement) this email tells about: activity folding
    # into a group whose email is still pending counts here instead of owing another email.
    count = models.PositiveIntegerField(default=1)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    topic = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Last hand-off to the broker; the sweeper re-dispatches rows pending long after it. Empty
    # while no task holds the row: it waits for `send_after`, and the sweeper hands it over then.
    dispatched_at = models.DateTimeField(default=timezone.now, null=True, blank=True)
    # Not before this moment: the end of a coalescing window (a recent email about the same
    # topic went out), the backoff after a temporary mail error, or a mail-server pause.
    send_after = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The exception class and SMTP reply code only: the server's words can echo addresses back.
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "forum"
        verbose_name = "outbox email"
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "kind"], name="email_outbox_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["delivery", "dispatched_at"],
                name="email_outbox_pending",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["recipient", "topic", "-sent_at"], name="email_outbox_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} email to {self.recipient_id} ({self.status})"


class FanOutStatus(models.TextChoices):
    PENDING = "pending", "Waiting to notify"
    HELD = "held", "Held until the post is published"
    DONE = "done", "Notified"


class PostFanOut(models.Model):
    """The outbox row for "tell everyone owed a notification about this post"."""

    post = models.OneToOneField("forum.Post", on_delete=models.CASCADE, related_name="fan_out")
    status = models.CharField(
        max_length=10, choices=FanOutStatus.choices, default=FanOutStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "forum"
        indexes = [
            models.Index(
                fields=["dispatched_at"], name="post_fanout_pending", condition=Q(status="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"Fan-out for post {self.post_id} ({self.status})"


class MailServerPause(models.Model):
    """A mail server that failed: nothing is sent through it before `paused_until`.

    One failing connection pauses every email for a while (a circuit breaker), instead of each
    pending row trying, failing and retrying on its own. The first send after the pause is the
    probe: it succeeds and the row is deleted, or it fails and the pause doubles.
    """

    server = models.CharField(max_length=200, unique=True)
    paused_until = models.DateTimeField()
    # Failures in a row; each one doubles the pause, up to MAIL_PAUSE_MAX_SECONDS.
    failures = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "forum"
        verbose_name = "mail server pause"

    def __str__(self) -> str:
        return f"Mail to {self.server} paused until {self.paused_until:%H:%M:%S}"
