"""Who you are: a pseudonymous member, their role and the sanctions written onto them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .usernames import skeleton


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    PEER_SPECIALIST = "peer_specialist", "Peer specialist"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"


# The roles that moderate (superusers moderate too): User.is_moderator is the rule, and
# community.selectors.moderators() is its query form, both built from this one tuple.
MODERATING_ROLES = (Role.MODERATOR, Role.ADMIN)


class Region(models.TextChoices):
    """Where a member is, for ordering the crisis resources nearest them first."""

    US = "US", "United States"
    CA = "CA", "Canada"
    GB = "GB", "United Kingdom"
    IE = "IE", "Ireland"
    AU = "AU", "Australia"
    NZ = "NZ", "New Zealand"
    IN = "IN", "India"
    OTHER = "other", "Somewhere else"


# A member whose account deletion was finalised (community.services.leaving): what others see
# where they are named, and how their pseudonymous username starts.
FORMER_MEMBER = "a former member"
FORMER_USERNAME = "former-member-"


class User(AbstractUser):
    """A member. The username is a chosen pseudonym; the email is never shown to others."""

    # Real names are not collected: AbstractUser's first/last name columns stay empty.
    display_name = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    pronouns = models.CharField(max_length=30, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    guidelines_version = models.PositiveIntegerField(null=True, blank=True)
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    # Sanctions are written here by community.services so the forum never imports community.
    muted_until = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    # Counts posts a moderator approved or that were published directly; new members' first
    # posts wait for review until this reaches the configured threshold.
    approved_post_count = models.PositiveIntegerField(default=0)
    # Private: orders the crisis resources. Empty means "not chosen": the browser's language
    # region (Accept-Language) is used instead (accounts.regions).
    # db_default: the previous release, still serving while a deploy rolls over, inserts
    # members without this column.
    region = models.CharField(
        max_length=5, choices=Region.choices, blank=True, default="", db_default=""
    )
    # Volunteers see stories still waiting for a first reply (community.first_replies) and a
    # daily count of them. Peer specialists and moderators see the list without volunteering.
    first_reply_volunteer = models.BooleanField(default=False, db_default=False)
    # Content warnings (bitmasks of forum.content_warnings.ContentWarning): those this member
    # shows unfolded, and those they hide from lists. Any other warning folds behind a tap.
    content_warnings_shown = models.PositiveSmallIntegerField(default=0, db_default=0)
    content_warnings_hidden = models.PositiveSmallIntegerField(default=0, db_default=0)
    # What the username and display name look like on screen (accounts.usernames.skeleton), so
    # a new name can be checked against every member's with one indexed query.
    username_skeleton = models.CharField(max_length=150, blank=True, db_index=True, editable=False)
    display_name_skeleton = models.CharField(
        max_length=150, blank=True, db_index=True, editable=False
    )
    # The issuing body of the member's verified, unexpired peer specialist certificate: public,
    # it is what their badge names (badge_of). Empty when they hold none. Written only by the
    # reviews and the daily expiry (community.services.peer_specialists), never by a form.
    certified_by = models.CharField(max_length=120, blank=True, default="", db_default="")

    class Meta:
        ordering = ["username"]

    def save(self, *args, **kwargs) -> None:
        # Derived columns, not side effects: they always follow the names they are made from.
        self.username_skeleton = skeleton(self.username)
        self.display_name_skeleton = skeleton(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            if "username" in names:
                names.add("username_skeleton")
            if "display_name" in names:
                names.add("display_name_skeleton")
            kwargs["update_fields"] = names
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"username": self.username})

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def is_former_member(self) -> bool:
        """Their account deletion was finalised: only a pseudonymous placeholder is left."""
        return not self.is_active and self.username.startswith(FORMER_USERNAME)

    @property
    def shown_username(self) -> str:
        """The name topic lists show: "a former member" for one, with nothing to link to."""
        return FORMER_MEMBER if self.is_former_member else self.username

    @property
    def log_name(self) -> str:
        """How the moderation log names the member: one who left by a code, so the team can
        still tell their rows apart without anything saying who they were."""
        if self.is_former_member:
            return f"former member #{self.username.removeprefix(FORMER_USERNAME)}"
        return self.public_name

    @property
    def is_moderator(self) -> bool:
        return self.role in MODERATING_ROLES or self.is_superuser

    @property
    def acts_as_moderator(self) -> bool:
        """Whether a moderator's powers are theirs right now: reading what members cannot,
        moderation pages, the team's conversations. The role stays (`is_moderator`: who may
        sanction them, who they are); the powers pause while a mute or suspension on them is in
        force, so a sanctioned moderator is, until it ends, a member like any other."""
        return self.is_moderator and not self.has_sanction_in_force

    @property
    def has_sanction_in_force(self) -> bool:
        return self.is_muted() or self.is_suspended()

    @property
    def is_admin(self) -> bool:
        """Admins (and superusers) decide about the team itself, such as sanctions on it."""
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_peer_specialist(self) -> bool:
        return self.role == Role.PEER_SPECIALIST

    @property
    def is_certified_peer_specialist(self) -> bool:
        """An admin checked their certificate and it has not expired (the badge shows)."""
        return bool(self.certified_by)

    def is_muted(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.muted_until is not None and self.muted_until > now

    def is_suspended(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.suspended_until is not None and self.suspended_until > now


# The badge beside a member's name wherever it is shown: role -> (words, style).
ROLE_BADGES: dict[str, tuple[str, str]] = {
    Role.PEER_SPECIALIST: ("Peer specialist", "badge-peer"),
    Role.MODERATOR: ("Moderator", "badge-mod"),
    Role.ADMIN: ("Moderator", "badge-mod"),
}
CERTIFIED_BADGE = "Certified Peer Specialist"


def badge_of(role: str, certified_by: str) -> tuple[str, str]:
    """The badge beside a member's name, as (words, style): the team's role first, then a
    verified certificate naming its issuing body, then the role an admin set by hand."""
    if certified_by and role not in MODERATING_ROLES:
        return f"{CERTIFIED_BADGE} · {certified_by}", "badge-peer"
    return ROLE_BADGES.get(role, ("", ""))


class AccountMail(models.Model):
    """An account email (confirmation, password reset, "you already have an account") to send.

    Rendered in the request and written here; a task that is given only this row's id sends it,
    so the request does the same work whichever email it is, and a broker outage delays the
    mail without losing it. The body holds the link, so it is erased once the mail is sent.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "dispatched_at"], name="account_mail_pending")]

    def __str__(self) -> str:
        return f"account mail {self.pk}"


class CredentialStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    # The expiry date passed (the daily job ended it).
    EXPIRED = "expired", "Expired"
    # A renewed certificate was approved in its place.
    REPLACED = "replaced", "Replaced by a renewed certificate"


class PeerCredential(models.Model):
    """A member's request to be verified as a Certified Peer Specialist, and what became of it.

    The issuing body is public once approved (the badge names it, copied to
    User.certified_by); the certificate number and expiry date are for admins and the member
    only, never shown to moderators or other members, logged or passed to a task.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_credentials"
    )
    issuing_body = models.CharField(max_length=120)
    certificate_number = models.CharField(max_length=60)
    expires_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(max_length=1000, blank=True)
    # When the member was told the certificate is close to its expiry date (once).
    reminded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request at a time, and one certificate in force.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="one_pending_peer_credential",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="approved"),
                name="one_approved_peer_credential",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"], name="peer_credential_due")]

    def __str__(self) -> str:
        # The admin's history and log entries show this: no number, body or name.
        return f"peer specialist request {self.pk}"


class PeerDecision(models.TextChoices):
    REQUEST = "request", "Asked to be verified"
    APPROVE = "approve", "Approved"
    DECLINE = "decline", "Declined"
    REMIND = "remind", "Told the member to renew"
    EXPIRE = "expire", "Badge removed at expiry"


class PeerCredentialLog(models.Model):
    """One row per step of a verification: who (None for the daily job), what, why, when.
    The database refuses UPDATE on this table (migration 0006); rows go only with the
    member's account."""

    credential = models.ForeignKey(PeerCredential, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.CharField(max_length=10, choices=PeerDecision.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (request {self.credential_id})"


class ExportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"
    # The download period passed and the file was deleted by the daily sweep.
    EXPIRED = "expired", "Expired"


class ExportRequest(models.Model):
    """A member's request for a copy of everything they wrote and chose (the right of access
    and of portability), and how far its zip has come.

    The row is written in the request and a task given only its id builds the zip, so a broker
    outage delays the export without losing it: the sweep hands queued rows over again.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    requested_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # After this the signed link stops working and the sweep deletes the file.
    expires_at = models.DateTimeField(null=True, blank=True)
    # The zip's name inside settings.EXPORT_ROOT: random, so it says nothing about the member.
    file_name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "dispatched_at"], name="export_pending")]

    def __str__(self) -> str:
        return f"export {self.pk}"


class AccountDeletion(models.Model):
    """A member asked for their account to be deleted: after `delete_after` the daily job
    finalises it (accounts are pseudonymised in place, see docs/architecture.md "Leaving").
    Until then the member can log in and keep their account, which deletes this row."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion"
    )
    # True: each post's words are replaced by a placeholder. False: the posts stay, signed
    # "a former member".
    erase_posts = models.BooleanField()
    requested_at = models.DateTimeField(default=timezone.now)
    delete_after = models.DateTimeField()
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["finalised_at", "delete_after"], name="deletion_due")]

    def __str__(self) -> str:
        return f"account deletion {self.pk}"
