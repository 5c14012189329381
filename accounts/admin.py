from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from . import profile_version, services
from .models import AccountMail, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "date_joined", "muted_until", "suspended_until"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "email", "display_name"]
    fieldsets = (
        # Set on UserAdmin; the stubs type ModelAdmin.fieldsets as optional.
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Lantern",
            {
                "fields": (
                    "role",
                    "display_name",
                    "pronouns",
                    "bio",
                    "guidelines_version",
                    "guidelines_accepted_at",
                    "muted_until",
                    "suspended_until",
                    "approved_post_count",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        role = obj.role
        super().save_model(request, obj, form, change)
        if {"username", "display_name"} & set(form.changed_data):
            # Post cards and topic lists name members.
            profile_version.bump_after_commit()
        if change and "role" in form.changed_data:
            # The role service keeps staff access in step with the role.
            services.set_role(user=obj, role=role)


@admin.register(AccountMail)
class AccountMailAdmin(admin.ModelAdmin):
    """Account emails waiting, sent or failed. The bodies hold sign-in links, so never shown."""

    list_display = ["pk", "created_at", "sent_at", "failed_at", "attempts"]
    list_filter = [
        ("sent_at", admin.EmptyFieldListFilter),
        ("failed_at", admin.EmptyFieldListFilter),
    ]
    fields = readonly_fields = (
        "subject",
        "created_at",
        "dispatched_at",
        "sent_at",
        "failed_at",
        "attempts",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccountMail | None = None) -> bool:
        return False
