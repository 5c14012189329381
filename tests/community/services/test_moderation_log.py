"""The append-only moderation log (community/services/moderation_log.py, migration 0004)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
)
from community.services.moderation_log import (
    AUTHOR_OUTCOMES,
    REVIEW_HOW_TO,
    author_message,
    write_log,
)
from tests.factories import make_reply, make_topic


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


def test_a_log_row_about_a_post_names_its_topic(member):
    post = make_reply(topic=make_topic(), author=member)
    log = write_log(
        actor=None,
        action=ModerationAction.WARN,
        target_user=member,
        reason=ModerationReason.OTHER,
        explanation="Explained.",
        post=post,
    )
    log.refresh_from_db()
    assert (log.post_id, log.topic_id, log.actor_id) == (post.pk, post.topic_id, None)


def test_the_explanation_names_the_guideline_and_offers_a_review_only_for_bad_news():
    hidden = author_message(
        action=ModerationAction.HIDE, reason=ModerationReason.JUDGING, explanation="  Because.  "
    )
    assert hidden.startswith(
        AUTHOR_OUTCOMES[ModerationAction.HIDE].format(post="one of your posts")
    )
    assert "Guideline concerned: Strengths, not shortcomings" in hidden
    assert "\n\nBecause.\n\n" in hidden and hidden.endswith(REVIEW_HOW_TO)
    approved = author_message(
        action=ModerationAction.APPROVE,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="Welcome.",
    )
    assert REVIEW_HOW_TO not in approved
