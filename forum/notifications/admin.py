"""Admin for the outboxes: delivery state only, so failed rows stay visible (forum/admin.py
imports this module, since Django's admin autodiscovery looks only at forum.admin)."""

from typing import TYPE_CHECKING

from django.contrib import admin

from .models import EmailOutbox, MailServerPause, PostFanOut

# ModelAdmin is generic only in django-stubs: at runtime it cannot be subscripted (settings do
# not install django_stubs_ext's monkeypatch), so the typed bases exist for the checker alone.
if TYPE_CHECKING:
    _EmailOutboxAdminBase = admin.ModelAdmin[EmailOutbox]
    _PostFanOutAdminBase = admin.ModelAdmin[PostFanOut]
    _MailServerPauseAdminBase = admin.ModelAdmin[MailServerPause]
else:
    _EmailOutboxAdminBase = _PostFanOutAdminBase = _MailServerPauseAdminBase = admin.ModelAdmin


@admin.register(EmailOutbox)
class EmailOutboxAdmin(_EmailOutboxAdminBase):
    """Delivery state only: failed rows stay visible here, with the error class and SMTP code
    (a 5xx refusal fails a row at once); no message text is stored."""

    list_display = [
        "id",
        "kind",
        "delivery",
        "status",
        "attempts",
        "last_error",
        "send_after",
        "created_at",
    ]
    list_filter = ["status", "delivery", "kind"]
    raw_id_fields = ["notification", "recipient", "topic"]
    readonly_fields = ["created_at", "dispatched_at", "send_after", "sent_at", "last_error"]


@admin.register(PostFanOut)
class PostFanOutAdmin(_PostFanOutAdminBase):
    list_display = ["post_id", "status", "recipients", "created_at", "done_at"]
    list_filter = ["status"]
    raw_id_fields = ["post"]


@admin.register(MailServerPause)
class MailServerPauseAdmin(_MailServerPauseAdminBase):
    """While a row is here and its time is ahead, no email is sent to that server; deleting it
    lets the next sweep try again at once."""

    list_display = ["server", "paused_until", "failures", "last_error", "updated_at"]
    readonly_fields = ["server", "paused_until", "failures", "last_error", "updated_at"]
