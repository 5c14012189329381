"""How we care for each other: the guidelines and where to find help right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region

if TYPE_CHECKING:
    from accounts.models import User


class GuidelinesQuerySet(models.QuerySet["Guidelines"]):
    def current(self) -> Guidelines | None:
        """The newest published version, if any."""
        return self.filter(published_at__lte=timezone.now()).order_by("-version").first()


class Guidelines(models.Model):
    """One published version of the community guidelines. Older versions are kept."""

    version = models.PositiveIntegerField(unique=True)
    # One short principle per line: shown in the banner on every page.
    principles = models.TextField(help_text="One short principle per line.")
    body = models.TextField(help_text="The full guidelines, in Markdown.")
    body_html = models.TextField(editable=False)
    published_at = models.DateTimeField(default=timezone.now)

    objects = GuidelinesQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "guidelines"

    def __str__(self) -> str:
        return f"Guidelines v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("community:guidelines")

    @property
    def principle_list(self) -> list[str]:
        return [line.strip() for line in self.principles.splitlines() if line.strip()]

    @property
    def principle_headlines(self) -> list[str]:
        """The part of each principle before its colon: the banner's one-line summary."""
        return [line.split(":", 1)[0] for line in self.principle_list]


def _validate_region_codes(value: str) -> None:
    unknown = [code for code in value.split() if code not in Region.values]
    if unknown:
        raise ValidationError(
            f"Unknown region code {', '.join(unknown)}: use {', '.join(Region.values)}."
        )


@dataclass(frozen=True, slots=True)
class Dial:
    """One number to tap: what the link says and where it goes."""

    label: str
    href: str


def _dialable(number: str) -> str:
    # tel: and sms: take digits (and a leading +); spaces and dashes are for reading.
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"+{digits}" if number.strip().startswith("+") else digits


def tap_to_call(phone: str) -> list[Dial]:
    """A tap-to-call link per number in `phone` ("911 / 999 / 112" gives three)."""
    return [
        Dial(label=number.strip(), href=f"tel:{_dialable(number)}")
        for number in phone.split("/")
        if _dialable(number)
    ]


def tap_to_text(sms_number: str, *, keyword: str = "") -> Dial | None:
    """A tap-to-text link, with `keyword` already typed where the service uses one."""
    number = _dialable(sms_number)
    if not number:
        return None
    keyword = keyword.strip()
    if not keyword:
        return Dial(label=f"Text {sms_number.strip()}", href=f"sms:{number}")
    # "?&body=" is the form both iOS and Android read.
    return Dial(
        label=f"Text {keyword} to {sms_number.strip()}",
        href=f"sms:{number}?&body={quote(keyword)}",
    )


class CrisisResourceQuerySet(models.QuerySet["CrisisResource"]):
    def for_region(self, region: str) -> list[CrisisResource]:
        """Every resource: the ones serving `region` first, then those serving everywhere
        (the international directory among them), then the rest, each in admin order."""

        def rank(resource: CrisisResource) -> int:
            if resource.serves(region):
                return 0
            return 1 if not resource.region_codes.strip() else 2

        return sorted(self.order_by("position", "name"), key=rank)

    def nearest(self, region: str) -> list[CrisisResource]:
        """The resources serving `region` and those serving everywhere (the directory among
        them): what the crisis panel lists. Where no resource serves the region (or it is
        not known), every resource, so nobody is left with a directory alone."""
        ordered = self.for_region(region)
        if not any(resource.serves(region) for resource in ordered):
            return ordered
        return [r for r in ordered if r.serves(region) or not r.region_codes.strip()]


class CrisisResource(models.Model):
    """A service people can reach right now. This community is peer support, not a crisis line."""

    name = models.CharField(max_length=120)
    region = models.CharField(
        max_length=80, help_text="Where it serves, in words, e.g. “United States”."
    )
    # db_default on the new columns: the previous release, serving while a deploy rolls over,
    # inserts rows without them.
    region_codes = models.CharField(
        "region codes",
        max_length=60,
        blank=True,
        default="",
        db_default="",
        validators=[_validate_region_codes],
        help_text="The member regions it serves, separated by spaces (e.g. “GB IE”); members "
        "there see it first. Leave empty for a service that serves everywhere.",
    )
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="Numbers to call, as people read them; separate several with “/”.",
    )
    sms_number = models.CharField(
        "text number",
        max_length=20,
        blank=True,
        default="",
        db_default="",
        help_text="The number to text, if any.",
    )
    sms_keyword = models.CharField(
        "text keyword",
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text="The word the service asks people to text first (e.g. HOME); prefilled.",
    )
    url = models.URLField(blank=True)
    description = models.CharField(max_length=300, blank=True)
    # Replaced by sms_number and sms_keyword; nothing reads it. Kept one release so the
    # previous release, which selects it, still works while a deploy rolls over.
    legacy_text = models.CharField(max_length=80, blank=True, db_column="text", editable=False)
    position = models.PositiveSmallIntegerField(
        "order", default=0, help_text="Lower comes first within a region."
    )

    objects = CrisisResourceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"

    def serves(self, region: str) -> bool:
        """Whether this service names `region` among the regions it serves."""
        return region in self.region_codes.split()

    @property
    def calls(self) -> list[Dial]:
        """A tap-to-call link per number."""
        return tap_to_call(self.phone)

    @property
    def text_link(self) -> Dial | None:
        """A tap-to-text link, with the keyword already typed where the service uses one."""
        return tap_to_text(self.sms_number, keyword=self.sms_keyword)


# --- Reports, the review queue, moderation actions and sanctions ----------------------------


class ReportReason(models.TextChoices):
    UNSUPPORTIVE = "unsupportive", "Unsupportive or harmful"
    AT_RISK = "at_risk", "Someone may be at risk"
    SPAM = "spam", "Spam or advertising"
    PRIVATE_DETAILS = "private_details", "Shares private or identifying details"
    OTHER = "other", "Something else"
    # Not offered on the report form: the author asking moderators to look at a decision again.
    APPEAL = "appeal", "The author asks for a review"


# Reasons a member can choose when reporting someone else's post.
MEMBER_REPORT_REASONS = [c for c in ReportReason.choices if c[0] != ReportReason.APPEAL]

# How much each reason weighs in an item's score; at-risk items sort first whatever the score.
# Keyed by str: reasons come back from the database as plain strings, and a TextChoices member
# hashes and compares equal to its value.
REASON_WEIGHTS: dict[str, int] = {
    ReportReason.AT_RISK: 5,
    ReportReason.PRIVATE_DETAILS: 3,
    ReportReason.UNSUPPORTIVE: 2,
    ReportReason.SPAM: 2,
    ReportReason.OTHER: 1,
    ReportReason.APPEAL: 2,
}


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        """Reports no moderator has acted on yet (they count towards the item's score)."""
        return self.filter(closed_at__isnull=True)

    def sent_by(self, user: User) -> ReportQuerySet:
        """What `user` reported about other members' posts, newest first (not their appeals)."""
        return (
            self.filter(reporter=user)
            .exclude(reason=ReportReason.APPEAL)
            .order_by("-created_at", "-id")
        )


class Report(models.Model):
    """One member asking moderators to look at one post. Never shown to the post's author."""

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    review_item = models.ForeignKey(
        "ReviewItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    # Set when a moderator acted on the item; the reporter got a closure note then.
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="report_once_per_member"),
        ]
        indexes = [
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_recent"),
            # The sweeper's question (selectors.unfolded_report_ids): reports not yet folded.
            models.Index(
                fields=["created_at"],
                name="report_unfolded",
                condition=models.Q(review_item__isnull=True, closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on post {self.post_id}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    RESOLVED = "resolved", "Resolved"


class ReviewItemQuerySet(models.QuerySet["ReviewItem"]):
    def open(self) -> ReviewItemQuerySet:
        return self.filter(status=ReviewStatus.OPEN)

    def at_risk(self) -> ReviewItemQuerySet:
        return self.filter(at_risk=True)

    def awaiting_approval(self) -> ReviewItemQuerySet:
        """Items for a new member's post that waits to be published."""
        return self.filter(needs_approval=True)

    def reported(self) -> ReviewItemQuerySet:
        return self.filter(report_count__gt=0)

    def unclaimed_at_risk(self, *, alerted_before: datetime) -> ReviewItemQuerySet:
        """Open at-risk items nobody claimed, last alerted at or before `alerted_before`."""
        return (
            self.open()
            .at_risk()
            .filter(claimed_by__isnull=True, last_alerted_at__lte=alerted_before)
        )

    def by_priority(self) -> ReviewItemQuerySet:
        """At-risk first, then the highest score, then the oldest."""
        return self.order_by("-at_risk", "-score", "opened_at", "id")


class ReviewItem(models.Model):
    """Everything moderators need to decide about one post: one item per post, ever."""

    post = models.OneToOneField("forum.Post", on_delete=models.CASCADE, related_name="review_item")
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    # Distinct open report reasons, in ReportReason order.
    reasons = models.JSONField(default=list, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    score = models.PositiveIntegerField(default=0)
    at_risk = models.BooleanField(default=False)
    crisis_language = models.BooleanField(default=False)
    needs_approval = models.BooleanField(default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    auto_hidden_at = models.DateTimeField(null=True, blank=True)
    # Moderator alerts sent for this at-risk item, and when the last one went out.
    alert_count = models.PositiveIntegerField(default=0)
    last_alerted_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["-at_risk", "-score", "opened_at", "id"]
        indexes = [
            models.Index(
                fields=["-at_risk", "-score", "opened_at", "id"],
                name="review_queue_priority",
                condition=models.Q(status=ReviewStatus.OPEN),
            ),
        ]

    def __str__(self) -> str:
        return f"Review of post {self.post_id}"

    def get_absolute_url(self) -> str:
        return reverse("community:review_item", kwargs={"pk": self.pk})

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(ReportReason.choices)
        return [labels.get(reason, reason) for reason in self.reasons]

    @property
    def why_here(self) -> list[str]:
        """Every reason this item is in the queue: screening and first posts, then reports."""
        why = []
        if self.crisis_language:
            why.append("Crisis language")
        if self.needs_approval:
            why.append("First posts")
        return why + self.reason_labels


class ModerationReason(models.TextChoices):
    """Why a moderator acted: each names the guideline concerned."""

    OWN_STORY = "own_story", "Share your own story (guideline 1)"
    PRIVACY = "privacy", "Build trust: private or identifying details (guideline 2)"
    JUDGING = "judging", "Strengths, not shortcomings: judging or piling on (guideline 4)"
    ADVICE = "advice", "Empathy first: advice instead of experience (guideline 5)"
    SAFETY = "safety", "Safety: someone may be at risk (guideline 6)"
    SPAM = "spam", "Spam or advertising (guideline 7)"
    WITHIN_GUIDELINES = "within_guidelines", "Within the guidelines"
    OTHER = "other", "Something else (explained below)"
    # Written by the system only.
    REPORTED = "reported", "Reported by members (automatic)"
    EXPIRED = "expired", "The sanction's time ended (automatic)"
    # Written when a moderator takes over an item another moderator had claimed.
    HANDOVER = "handover", "Taken over from another moderator"
    POST_GONE = "post_gone", "The post was deleted or removed (automatic)"


# Reasons a moderator can choose; the automatic ones are the system's.
MODERATOR_REASONS = [
    c
    for c in ModerationReason.choices
    if c[0]
    not in (
        ModerationReason.REPORTED,
        ModerationReason.EXPIRED,
        ModerationReason.HANDOVER,
        ModerationReason.POST_GONE,
    )
]


class ModerationAction(models.TextChoices):
    KEEP = "keep", "Keep (dismiss the reports)"
    HIDE = "hide", "Hide"
    REMOVE = "remove", "Remove"
    EDIT = "edit", "Edit"
    LOCK = "lock", "Lock the topic"
    UNLOCK = "unlock", "Unlock the topic"
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    WARN = "warn", "Warn the member"
    MUTE = "mute", "Mute (can read, cannot post)"
    SUSPEND = "suspend", "Suspend (cannot log in)"
    LIFT = "lift", "Lift a sanction"
    # A moderator took over an item another had claimed (the log names both).
    TAKE_OVER = "take_over", "Take over the item"
    # Written by the system, not chosen by a moderator.
    AUTO_HIDE = "auto_hide", "Hidden automatically after reports"
    EXPIRE = "expire", "Sanction ended"
    CLOSE = "close", "Closed automatically"
    # A moderator added or changed a post's content warnings (forum.content_warnings).
    SET_WARNINGS = "set_warnings", "Change content warnings"


class ModerationLog(models.Model):
    """One row per moderation action: who, what, target, reason, when. The database refuses
    UPDATE and DELETE on this table (triggers in migration 0004), so it is append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (automatic hiding, a sanction ending).",
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_history"
    )
    post = models.ForeignKey(
        "forum.Post", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        "forum.Topic", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_item = models.ForeignKey(
        ReviewItem, on_delete=models.PROTECT, null=True, blank=True, related_name="log"
    )
    reason = models.CharField(max_length=20, choices=ModerationReason.choices)
    explanation = models.TextField(max_length=2000)
    # For sanctions: until when.
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_user", "-created_at"], name="modlog_target_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class SanctionKind(models.TextChoices):
    MUTE = "mute", "Muted"
    SUSPEND = "suspend", "Suspended"


class SanctionQuerySet(models.QuerySet["Sanction"]):
    def active(self, *, now: datetime) -> SanctionQuerySet:
        """Sanctions in force at `now`: not lifted and not yet ended."""
        return self.filter(lifted_at__isnull=True, ends_at__gt=now)

    def due_for_lifting(self, *, now: datetime) -> SanctionQuerySet:
        """Sanctions whose time ended by `now` but that nobody has lifted yet."""
        return self.filter(lifted_at__isnull=True, ends_at__lte=now)


class Sanction(models.Model):
    """A mute or suspension; its effect is written onto the member (muted_until etc.)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=10, choices=SanctionKind.choices)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["lifted_at", "ends_at"], name="sanction_expiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} until {self.ends_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and self.ends_at > timezone.now()


# --- My safety plan: a member's own plan for hard moments, readable by them alone ---------------


class SafetyPlanQuerySet(models.QuerySet["SafetyPlan"]):
    def owned_by(self, user: User) -> SafetyPlanQuerySet:
        """The plan `user` wrote, if any: the only way any page reads a plan."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class SafetyPlan(models.Model):
    """A member's own plan, in the sections of the Stanley-Brown safety plan.

    Plain text, escaped when shown. Only its owner ever reads it: it is not in the admin, no
    other role has a route to it, and it never goes into an email, a log line or a task.
    """

    # (field, heading): the plan's order, which is also the order it is read in a hard moment.
    SECTIONS = (
        ("warning_signs", "My warning signs"),
        ("coping_on_my_own", "Things I can do on my own"),
        ("distractions", "People and places that take my mind off things"),
        ("people_to_ask", "People I can ask for help"),
        ("professionals", "Professionals and services I can contact"),
        ("safer_surroundings", "Making my surroundings safer"),
        ("reasons_for_living", "My reasons for living"),
    )
    # The steps to take (not the signs to notice): what the crisis panel shows first.
    FIRST_STEP_FIELDS = ("coping_on_my_own", "people_to_ask", "professionals")

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = models.TextField(blank=True)
    coping_on_my_own = models.TextField(blank=True)
    distractions = models.TextField(blank=True)
    people_to_ask = models.TextField(blank=True)
    professionals = models.TextField(blank=True)
    safer_surroundings = models.TextField(blank=True)
    reasons_for_living = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SafetyPlanQuerySet.as_manager()

    def __str__(self) -> str:
        # Never the text, nor whose it is: a repr can end up in an error report.
        return f"Safety plan #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:safety_plan")

    @property
    def sections(self) -> list[tuple[str, str, list[str]]]:
        """(field, heading, lines) for every section, empty ones included."""
        return [(field, heading, _lines(getattr(self, field))) for field, heading in self.SECTIONS]

    @property
    def first_steps(self) -> list[tuple[str, list[str]]]:
        """(heading, first lines) of the filled-in steps to take, in the plan's order."""
        headings = dict(self.SECTIONS)
        return [
            (headings[field], lines[:3])
            for field in self.FIRST_STEP_FIELDS
            if (lines := _lines(getattr(self, field)))
        ]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, field).strip() for field, _ in self.SECTIONS)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Moderator rota: when each moderator is on duty for urgent alerts ----------------------


class Weekday(models.IntegerChoices):
    # datetime.date.weekday() numbering, so a local date maps straight onto these.
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class DutyOverride(models.TextChoices):
    ON = "on", "On duty now"
    OFF = "off", "Off duty now"


class DutyRota(models.Model):
    """When one moderator is on duty: weekly hours in their own time zone, and an "on duty
    now" / "off duty now" override that ends by itself. No row means never on duty."""

    moderator = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_rota"
    )
    # Weekday numbers (Monday is 0) on which a shift starts.
    days = models.JSONField(default=list, blank=True)
    starts = models.TimeField(null=True, blank=True)
    # At or before `starts`, the shift runs past midnight into the next day.
    ends = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    override = models.CharField(max_length=3, choices=DutyOverride.choices, blank=True)
    override_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(override="") | models.Q(override_until__isnull=False),
                name="duty_override_has_an_end",
            ),
        ]

    def __str__(self) -> str:
        return f"Duty rota of {self.moderator_id}"


# --- Private conversations with the moderation team ------------------------------------------


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def visible_to(self, user: User) -> ConversationQuerySet:
        """The rule of permissions.can_read_conversation as a query: the member it is with,
        every moderator, and the peer specialist who started it."""
        if not user.is_authenticated:
            return self.none()
        if user.acts_as_moderator:
            return self.all()
        mine = models.Q(member=user)
        if user.is_peer_specialist and not user.has_sanction_in_force:
            mine |= models.Q(started_by=user)
        return self.filter(mine)

    def of_member(self, user: User) -> ConversationQuerySet:
        """What `user`'s "Messages" list shows: conversations with them, and those they started
        with someone else (a check-in), newest activity first."""
        return (
            self.visible_to(user)
            .filter(models.Q(member=user) | models.Q(started_by=user))
            .order_by("-last_message_at", "-id")
        )

    def team_inbox(self) -> ConversationQuerySet:
        """Every conversation, those waiting for the team's answer first, then the newest."""
        return self.order_by("-awaiting_team", "-last_message_at", "-id")


class Conversation(models.Model):
    """A private conversation between one member and the moderation team (never between two
    members). Every moderator reads and answers it; a peer specialist, the ones they started."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_conversations"
    )
    # The member themself ("Message the moderators"), or who checked in with them.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # A check-in remembers what prompted it, so the review item links to it.
    review_item = models.ForeignKey(
        ReviewItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    post = models.ForeignKey(
        "forum.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The crisis resources are shown as links beside the messages, read live, never copied.
    include_crisis_resources = models.BooleanField(default=False)
    # True while the member's last message waits for the team's answer.
    awaiting_team = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(
                fields=["-awaiting_team", "-last_message_at", "-id"], name="conversation_inbox"
            ),
            models.Index(fields=["member", "-last_message_at"], name="conversation_member"),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} with member {self.member_id}"

    def get_absolute_url(self) -> str:
        return reverse("community:conversation", kwargs={"pk": self.pk})

    @property
    def is_check_in(self) -> bool:
        return self.started_by_id != self.member_id


class ConversationMessage(models.Model):
    """One message in a conversation, plain text (escaped when shown), with the role its author
    had when writing it, so the badge stays true if the role changes later."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    author_role = models.CharField(max_length=20)
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message {self.pk} in conversation {self.conversation_id}"


# --- Explanation templates: the words a moderator starts from, per reason and action ---------


class ExplanationTemplate(models.Model):
    """What the decision form's explanation is prefilled with for one (reason, action) pair.

    Admins keep these kind and specific; the moderator reads and edits the text before it is
    sent, so a template is a starting point, never a message sent unread.
    """

    reason = models.CharField(max_length=20, choices=MODERATOR_REASONS)
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    text = models.TextField(
        max_length=1000, help_text="Written to the member: kind, specific, in plain words."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["reason", "action"], name="explanation_template_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.get_reason_display()}"


# --- Insights and care for the moderators ---------------------------------------------------


class DecisionTiming(models.Model):
    """How long one item waited, written with the decision that closed it.

    Resolving an item clears its claim and the flags that put it in a lane (at risk, reported,
    new member), and a later report reopens the same row; this keeps what the insights page
    needs from each decision. Times only: no text, and the moderator only for their own load.
    """

    log = models.OneToOneField(ModerationLog, on_delete=models.CASCADE, related_name="timing")
    review_item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    # The first urgent alert of this opening (at-risk items only).
    alerted_at = models.DateTimeField(null=True, blank=True)
    # The claim in force when the decision was made, if the item was claimed.
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField()
    at_risk = models.BooleanField(default=False)
    reported = models.BooleanField(default=False)
    new_member = models.BooleanField(default=False)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["decided_at"], name="timing_decided"),
            models.Index(fields=["moderator", "decided_at"], name="timing_moderator"),
        ]

    def __str__(self) -> str:
        return f"Timing of decision {self.log_id}"


class CareBreak(models.Model):
    """A moderator stepping away: when, and how many open claims they handed back."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_breaks"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    claims_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["moderator", "-taken_at"], name="care_break_recent")]

    def __str__(self) -> str:
        return f"Break {self.pk} of moderator {self.moderator_id}"


class WeeklySummary(models.Model):
    """One weekly queue summary owed to one admin: the unique key that makes sending it twice
    impossible, whoever runs the task how often."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The Monday (UTC) of the week the summary was sent in.
    week_starting = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "week_starting"], name="weekly_summary_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Weekly summary of {self.week_starting} for {self.recipient_id}"


class StoryTake(models.Model):
    """A volunteer is writing the first reply to a waiting story: nobody else takes it until
    the take expires (FIRST_REPLY_TAKE_MINUTES), so two people do not answer at once."""

    topic = models.OneToOneField("forum.Topic", on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Topic {self.topic_id} taken by {self.volunteer_id}"


class WaitingStoriesDigest(models.Model):
    """One daily count of waiting stories owed to one volunteer: the unique key that makes
    sending it twice impossible, however often the task runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    waiting = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="waiting_digest_once"),
        ]

    def __str__(self) -> str:
        return f"Waiting stories of {self.day} for {self.recipient_id}"
