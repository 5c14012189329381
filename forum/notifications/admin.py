"""Admin for the outboxes: delivery state only, so failed rows stay visible (forum/admin.py
imports this module, since Django's admin autodiscovery looks only at forum.admin)."""

from typing import TYPE_CHECKING

from django.contrib import admin

from .models import EmailOutbox, PostFanOut

# ModelAdmin is generic only in django-stubs: at runtime it cannot be subscripted (settings do
# not install django_stubs_ext's monkeypatch), so the typed bases exist for the checker alone.
if TYPE_CHECKING:
    _EmailOutboxAdminBase = admin.ModelAdmin[EmailOutbox]
    _PostFanOutAdminBase = admin.ModelAdmin[PostFanOut]
else:
    _EmailOutboxAdminBase = _PostFanOutAdminBase = admin.ModelAdmin


@admin.register(EmailOutbox)
class EmailOutboxAdmin(_EmailOutboxAdminBase):
    """Delivery state only: failed rows stay visible here; no message text is stored."""

    list_display = ["id", "kind", "delivery", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status", "delivery", "kind"]
    raw_id_fields = ["notification", "recipient", "topic"]
    readonly_fields = ["created_at", "dispatched_at", "send_after", "sent_at", "last_error"]


@admin.register(PostFanOut)
class PostFanOutAdmin(_PostFanOutAdminBase):
    list_display = ["post_id", "status", "recipients", "created_at", "done_at"]
    list_filter = ["status"]
    raw_id_fields = ["post"]
