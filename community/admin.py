"""The admin inspects moderation; it never changes it behind the services' back.

Review items, sanctions and the log change only through community.services (which log the
change and tell the member), so the admin shows them read-only. Reports are not registered:
moderators read them on the review item page.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from accounts.models import CredentialStatus, PeerCredential, PeerCredentialLog
from forum.models import ScreeningPhrase

from . import services
from .models import (
    CrisisResource,
    ExplanationTemplate,
    Guidelines,
    ModerationLog,
    ReviewItem,
    Sanction,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by staff with the view permission; nobody adds, changes or deletes here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at"]

    def save_model(self, request, obj, form, change):
        # Renders the body and drops the cached banner once the new version is visible.
        services.save_guidelines(guidelines=obj)

    def has_delete_permission(self, request, obj=None):
        # Older versions are kept: members accepted them (User.guidelines_version).
        return False


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    """Admins keep the services current; members see them as tap-to-call and tap-to-text."""

    list_display = ["name", "region", "region_codes", "phone", "sms_number", "position"]
    list_editable = ["position"]
    fields = [
        "name",
        "region",
        "region_codes",
        "phone",
        "sms_number",
        "sms_keyword",
        "url",
        "description",
        "position",
    ]


@admin.register(ScreeningPhrase)
class ScreeningPhraseAdmin(admin.ModelAdmin):
    """The reviewed crisis phrases (forum.screening): admins add, retire and adjust them."""

    list_display = ["phrase", "topic", "is_active", "note", "created_at"]
    list_filter = ["topic", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "note"]


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    """Append-only: the database refuses changes too (migration 0004)."""

    list_display = ["created_at", "actor", "action", "target_user", "reason"]
    list_filter = ["action", "reason"]
    search_fields = ["target_user__username", "actor__username"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ReadOnlyAdmin):
    """Claimed, decided and reopened from the review queue (services.claim_item, act_on_item)."""

    list_display = ["post", "status", "at_risk", "score", "report_count", "opened_at"]
    list_filter = ["status", "at_risk", "needs_approval"]
    raw_id_fields = ["post", "claimed_by"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    """Given from the review queue and lifted there (services.act_on_item, lift_sanction), so
    every sanction is logged, explained, and written onto the member's account."""

    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "created_by"]


@admin.register(ExplanationTemplate)
class ExplanationTemplateAdmin(admin.ModelAdmin):
    """The words a moderator's explanation starts from, per reason and action. The moderator
    reads and edits them on the review item before anything reaches a member."""

    list_display = ["action", "reason", "text", "updated_at"]
    list_filter = ["action", "reason"]
    search_fields = ["text"]
    fields = ["reason", "action", "text"]


# --- Issue 14: verifying Certified Peer Specialists -----------------------------------------
# Only admins (staff) reach Django's admin, so certificate details stay with them: moderators
# and members never see a number or expiry date. Decisions go through
# community.services.peer_specialists, which logs them and tells the member.


class PeerReviewForm(forms.ModelForm):
    """An admin's decision on a request: approve, or decline with a reason the member reads."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("", "Choose…"),
            ("approve", "Approve: the certificate checks out"),
            ("decline", "Decline, with the reason below"),
        ],
        error_messages={"required": "Please choose whether to approve or decline."},
    )
    reason = forms.CharField(
        label="Reason for declining (the member reads it)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = PeerCredential
        fields: list[str] = []

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Please write the reason for declining: the member reads it.")
        return cleaned


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff and user.is_admin


PEER_CREDENTIAL_FIELDS = (
    "member",
    "status",
    "issuing_body",
    "certificate_number",
    "expires_on",
    "requested_at",
    "decided_at",
    "decided_by",
    "decline_reason",
    "reminded_at",
    "ended_at",
)


@admin.register(PeerCredential)
class PeerCredentialAdmin(admin.ModelAdmin):
    """Requests to be verified as a Certified Peer Specialist: a waiting one is approved or
    declined (with a reason) from its page; everything else here is read-only."""

    form = PeerReviewForm
    list_display = ["pk", "member", "status", "issuing_body", "expires_on", "requested_at"]
    list_filter = ["status"]
    search_fields = ["member__username", "issuing_body"]
    readonly_fields = PEER_CREDENTIAL_FIELDS

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == CredentialStatus.PENDING:
            return (*PEER_CREDENTIAL_FIELDS, "decision", "reason")
        return PEER_CREDENTIAL_FIELDS

    def has_module_permission(self, request):
        return _is_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_admin(request)

    def has_change_permission(self, request, obj=None):
        # Only a waiting request is decided here; decided ones are read.
        return _is_admin(request) and (obj is None or obj.status == CredentialStatus.PENDING)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_peer_credential(credential=obj, admin=request.user)
                self.message_user(request, "Approved: the member is told and has the badge.")
            else:
                services.decline_peer_credential(credential=obj, admin=request.user, reason=reason)
                self.message_user(request, "Declined: the member is told the reason.")
        except services.ModerationError as error:
            self.message_user(request, str(error), messages.ERROR)


@admin.register(PeerCredentialLog)
class PeerCredentialLogAdmin(ReadOnlyAdmin):
    """Append-only: the database refuses changes too (accounts migration 0006)."""

    list_display = ["created_at", "decision", "credential", "actor"]
    list_filter = ["decision"]
    fields = ["created_at", "decision", "credential", "actor", "reason"]

    def has_module_permission(self, request):
        return _is_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_admin(request)
