"""The append-only moderation log (community/services/moderation_log.py, migration 0004)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
)


def test_the_database_refuses_to_update_or_delete_moderation_log_rows(member):
    log = ModerationLog.objects.create(
        action=ModerationAction.WARN,
        target_user=member,
        reason=ModerationReason.OTHER,
        explanation="The original words.",
    )
    table = ModerationLog._meta.db_table
    for sql in (
        f"UPDATE {table} SET explanation = 'rewritten' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [log.pk])
    log.refresh_from_db()
    assert log.explanation == "The original words."
    with pytest.raises(DatabaseError), transaction.atomic():
        ModerationLog.objects.filter(pk=log.pk).update(explanation="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        log.delete()
    assert ModerationLog.objects.filter(pk=log.pk, explanation="The original words.").exists()
