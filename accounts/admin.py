from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import profile_version, services
from .models import User


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
