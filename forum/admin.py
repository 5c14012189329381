from django.contrib import admin

from .models import Category, Post, PostRevision, Topic
from .notifications import admin as notification_admin  # noqa: F401 (registers the outboxes)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "topic_count", "post_count", "last_activity_at"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["topic_count", "post_count", "last_activity_at"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["id", "category", "status", "is_locked", "reply_count", "last_activity_at"]
    list_filter = ["status", "category", "is_locked"]
    raw_id_fields = ["author", "last_poster"]
    readonly_fields = ["reply_count", "last_position", "created_at"]


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
    readonly_fields = ["body", "body_html", "position", "created_at", "edited_at", "edit_count"]
    inlines = [RevisionInline]
