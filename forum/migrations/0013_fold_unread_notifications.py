"""Unread notifications written before groups fold as new ones do.

A migration of its own: on PostgreSQL, 0011's indexes and foreign keys are created when that
migration ends, and a table cannot be indexed in the transaction that just changed its rows.
"""

from collections import defaultdict

from django.db import migrations
from django.db.models import F, Q


def fold_unread(apps, schema_editor):
    """Rows written before groups: activity is when they were made, and what is still unread
    folds as new rows would have (replies per member and topic, encouragement per member and
    post), so a member with 41 unread replies in one topic sees one line after the deploy."""
    notification_model = apps.get_model("forum", "Notification")
    outbox_model = apps.get_model("forum", "EmailOutbox")
    notification_model.objects.update(updated_at=F("created_at"))
    unread = notification_model.objects.filter(read_at__isnull=True, group_key="")
    groups = defaultdict(list)
    rows = unread.filter(
        Q(kind__in=["topic_reply", "followed_reply"], topic__isnull=False)
        | Q(kind="encouragement", post__isnull=False)
    ).order_by("created_at", "id")
    for row in rows.values(
        "id", "kind", "recipient_id", "topic_id", "post_id", "actor_id", "created_at"
    ):
        if row["kind"] == "encouragement":
            key = f"encouragement:{row['post_id']}"
        else:
            key = f"replies:{row['topic_id']}"
        groups[(row["recipient_id"], key)].append(row)
    for (_, key), members in groups.items():
        first, newest, rest = members[0], members[-1], [r["id"] for r in members[1:]]
        # Emails still owed about the folded rows now tell about the group.
        outbox_model.objects.filter(notification_id__in=rest).update(notification_id=first["id"])
        notification_model.objects.filter(pk__in=rest).delete()
        notification_model.objects.filter(pk=first["id"]).update(
            group_key=key,
            count=len(members),
            last_post_id=newest["post_id"],
            actor_id=newest["actor_id"],
            updated_at=newest["created_at"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0012_notification_groups_and_mutes"),
    ]

    operations = [
        migrations.RunPython(fold_unread, migrations.RunPython.noop),
    ]
