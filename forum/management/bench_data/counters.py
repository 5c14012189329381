"""Counters that span tables, set once every row is written."""

from __future__ import annotations

from django.db.models import Count, Max, Sum

from forum.models import Category, Status, Topic


def set_category_counters() -> None:
    """Category counters from their published topics (members' approved_post_count was
    counted from the plan as they were written)."""
    published = Topic.objects.filter(status=Status.PUBLISHED)
    totals = {
        row["category"]: row
        for row in published.values("category")
        .order_by()
        .annotate(topics=Count("id"), replies=Sum("reply_count"), last=Max("last_activity_at"))
    }
    for category in Category.objects.all():
        row = totals.get(category.pk)
        Category.objects.filter(pk=category.pk).update(
            topic_count=row["topics"] if row else 0,
            post_count=row["topics"] + row["replies"] if row else 0,
            last_activity_at=row["last"] if row else category.last_activity_at,
        )
