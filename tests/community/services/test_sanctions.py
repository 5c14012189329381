"""Mutes and suspensions: given, lifted and expired (community/services/sanctions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from community import services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Sanction,
    SanctionKind,
)
from forum.models import NotificationKind
from tests.factories import UserFactory


def test_mute_then_lift(reported_post, moderator, notes_for, reported_item):
    item = reported_item(reported_post, [UserFactory()])
    author = reported_post.author
    until = timezone.now() + timedelta(hours=24)
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.MUTE,
        reason=ModerationReason.JUDGING,
        explanation="Let's take a breather.",
        until=until,
    )
    author.refresh_from_db()
    assert author.is_muted() and not author.is_suspended()
    sanction = Sanction.objects.get(user=author)
    services.lift_sanction(
        moderator=moderator,
        sanction=sanction,
        reason=ModerationReason.OTHER,
        explanation="Thank you for the conversation.",
    )
    author.refresh_from_db()
    assert not author.is_muted()
    assert list(ModerationLog.objects.order_by("id").values_list("action", flat=True)) == [
        ModerationAction.MUTE,
        ModerationAction.LIFT,
    ]
    assert len(notes_for(author, NotificationKind.MODERATION)) == 2


def test_suspension_needs_an_end_in_the_future(reported_post, moderator, reported_item):
    item = reported_item(reported_post, [UserFactory()])
    with pytest.raises(services.ModerationError, match="future"):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.SUSPEND,
            reason=ModerationReason.SPAM,
            explanation="Repeated advertising.",
            until=timezone.now() - timedelta(minutes=1),
        )
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.SUSPEND,
        reason=ModerationReason.SPAM,
        explanation="Repeated advertising.",
        until=timezone.now() + timedelta(days=7),
    )
    reported_post.author.refresh_from_db()
    assert reported_post.author.is_suspended()


def test_expired_sanctions_are_lifted_by_the_beat_task(member, moderator):
    past = timezone.now() - timedelta(minutes=1)
    Sanction.objects.create(user=member, kind=SanctionKind.MUTE, ends_at=past, created_by=moderator)
    User.objects.filter(pk=member.pk).update(muted_until=past)
    assert services.lift_expired_sanctions() == 1
    assert services.lift_expired_sanctions() == 0
    member.refresh_from_db()
    assert member.muted_until is None
    assert Sanction.objects.get().lifted_at is not None
    assert ModerationLog.objects.get().action == ModerationAction.EXPIRE
