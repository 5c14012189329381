"""The admin inspects moderation; it never changes it behind the services' back.

Review items, sanctions and the log change only through community.services (which log the
change and tell the member), so the admin shows them read-only. Reports are not registered:
moderators read them on the review item page.
"""

from django.contrib import admin

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
