from django.contrib import admin

from forum.models import ScreeningPhrase

from . import services
from .models import CrisisResource, Guidelines, ModerationLog, ReviewItem, Sanction


@admin.register(Guidelines)
class GuidelinesAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at"]

    def save_model(self, request, obj, form, change):
        services.save_guidelines(guidelines=obj)


@admin.register(CrisisResource)
class CrisisResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "phone", "position"]
    list_editable = ["position"]


@admin.register(ScreeningPhrase)
class ScreeningPhraseAdmin(admin.ModelAdmin):
    """The reviewed crisis phrases (forum.screening): admins add, retire and adjust them."""

    list_display = ["phrase", "topic", "is_active", "note", "created_at"]
    list_filter = ["topic", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "note"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    """Read-only everywhere: the database refuses changes too."""

    list_display = ["created_at", "actor", "action", "target_user", "reason"]
    list_filter = ["action", "reason"]
    search_fields = ["target_user__username", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewItem)
class ReviewItemAdmin(admin.ModelAdmin):
    list_display = ["post", "status", "at_risk", "score", "report_count", "opened_at"]
    list_filter = ["status", "at_risk", "needs_approval"]
    raw_id_fields = ["post", "claimed_by"]
    readonly_fields = ["reasons", "report_count", "score", "alert_count"]


@admin.register(Sanction)
class SanctionAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "lifted_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "created_by"]
    readonly_fields = ["user", "kind", "starts_at", "ends_at", "created_by", "lifted_at"]

    def has_add_permission(self, request):
        # Sanctions are given from the review queue so they are logged and explained.
        return False
