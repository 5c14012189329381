from django.contrib import admin
from django.db import transaction

from . import coaching
from .models import Category, CoachingPhrase, Post, PostRevision, Topic
from .notifications import admin as notification_admin  # noqa: F401 (registers the outboxes)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "topic_count", "post_count", "last_activity_at"]
    prepopulated_fields = {"slug": ["name"]}
    # Counters and revisions are kept by forum.services, in the transactions that change them.
    readonly_fields = ["topic_count", "post_count", "last_activity_at", "revision"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["id", "category", "status", "is_locked", "reply_count", "last_activity_at"]
    list_filter = ["status", "category", "is_locked"]
    raw_id_fields = ["author", "last_poster"]
    # Status and lock change through the moderation workspace (forum.services.set_post_status,
    # set_topic_locked), which keep counters, revisions and notifications right.
    readonly_fields = [
        "status",
        "is_locked",
        # Mirrors the opening post's content warnings (forum.services keeps it in step).
        "warning_flags",
        "reply_count",
        "last_position",
        "last_activity_at",
        "last_poster",
        "created_at",
        "revision",
    ]


class RevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    readonly_fields = ["editor", "title", "body", "reason", "created_at"]
    can_delete = False


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["id", "topic_id", "position", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["topic", "author"]
    # Status changes go through the moderation workspace (forum.services.set_post_status).
    readonly_fields = [
        "status",
        "body",
        "body_html",
        "position",
        "created_at",
        "edited_at",
        "edit_count",
        "crisis_language",
        "hear_count",
        "metoo_count",
        "strength_count",
        "proud_count",
        # Changed by the author, or by a moderator at /moderation/posts/<pk>/warnings/ (logged),
        # which also keeps the topic's copy for lists in step.
        "warning_flags",
        "warning_note",
    ]
    inlines = [RevisionInline]


@admin.register(CoachingPhrase)
class CoachingPhraseAdmin(admin.ModelAdmin):
    """The phrases that earn a reply a gentle suggestion (forum.coaching)."""

    list_display = ["phrase", "suggestion", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]
    search_fields = ["phrase", "suggestion"]

    # Members see a change at once, not when the cached list expires.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(coaching.forget_hints)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(coaching.forget_hints)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(coaching.forget_hints)
