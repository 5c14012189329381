"""Fixtures shared by the community tests."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from accounts.models import Role
from community.models import (
    DecisionTiming,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    ReviewItem,
    ReviewStatus,
)
from tests.factories import UserFactory, make_reply, make_topic


@pytest.fixture
def moderator(db):
    return UserFactory(role=Role.MODERATOR)


@pytest.fixture
def database_down(monkeypatch):
    """From now on, every use of the database fails as when PostgreSQL is unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (simulated outage)")

    def go_down() -> None:
        monkeypatch.setattr(connection, "ensure_connection", refuse)
        monkeypatch.setattr(connection, "close_if_health_check_failed", refuse)

    return go_down


@pytest.fixture
def decided(db):
    """A seeded decision: a review item of a fresh post, the moderation log row that closed it
    and its DecisionTiming, with the times and lanes given (insights and care read these)."""
    topic = make_topic()
    acting = UserFactory(role=Role.MODERATOR)

    def decided(
        *,
        opened_at,
        decided_at,
        claimed_at=None,
        alerted_at=None,
        at_risk=False,
        reported=False,
        new_member=False,
        moderator=None,
        action=ModerationAction.KEEP,
    ):
        post = make_reply(topic=topic)
        item = ReviewItem.objects.create(
            post=post, status=ReviewStatus.RESOLVED, opened_at=opened_at, resolved_at=decided_at
        )
        log = ModerationLog.objects.create(
            actor=moderator or acting,
            action=action,
            target_user=post.author,
            post=post,
            topic=topic,
            review_item=item,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Seeded decision.",
            created_at=decided_at,
        )
        return DecisionTiming.objects.create(
            log=log,
            review_item=item,
            moderator=log.actor,
            opened_at=opened_at,
            alerted_at=alerted_at,
            claimed_at=claimed_at,
            decided_at=decided_at,
            at_risk=at_risk,
            reported=reported,
            new_member=new_member,
        )

    return decided
