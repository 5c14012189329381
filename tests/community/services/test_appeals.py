"""Authors asking for another look at a decision (community/services/appeals.py)."""

from __future__ import annotations

import pytest

from community import services
from community.models import (
    ModerationAction,
    ModerationReason,
    ReportReason,
    ReviewStatus,
)
from tests.factories import UserFactory


def test_the_author_can_ask_for_a_review_which_reopens_the_item(
    reported_post, moderator, django_capture_on_commit_callbacks, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    log = services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.REMOVE,
        reason=ModerationReason.ADVICE,
        explanation="Medical advice.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_review(author=reported_post.author, log=log, note="I shared experience.")
    item.refresh_from_db()
    assert item.status == ReviewStatus.OPEN
    assert ReportReason.APPEAL in item.reasons
    with pytest.raises(services.ModerationError):
        services.request_review(author=UserFactory(), log=log, note="Not mine.")


def test_an_appeal_is_handed_to_the_fold_task_after_commit(
    reported_post, moderator, reported_item, request, django_capture_on_commit_callbacks
):
    item = reported_item(reported_post, [UserFactory()])
    log = services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.HIDE,
        reason=ModerationReason.JUDGING,
        explanation="Please share what helped you.",
    )
    # From here on tasks are recorded at the Celery boundary instead of run.
    sent_to_broker = request.getfixturevalue("sent_to_broker")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.request_review(author=reported_post.author, log=log, note="Please.")
    assert appeal.reason == ReportReason.APPEAL
    assert sent_to_broker == [("community.fold_report", (appeal.pk,))]
    with pytest.raises(services.AlreadyReported):
        services.request_review(author=reported_post.author, log=log, note="Again.")
