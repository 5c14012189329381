"""Mutes and suspensions: given, lifted and expired (community/services/sanctions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
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


# --- rules moderators cannot bend ------------------------------------------------------------

LIFT = {"reason": ModerationReason.OTHER, "explanation": "Ending this early."}


def _muted(user, *, by):
    """`user` muted for two hours by `by`, as the account and the sanction row both say."""
    sanction = Sanction.objects.create(
        user=user,
        kind=SanctionKind.MUTE,
        ends_at=timezone.now() + timedelta(hours=2),
        created_by=by,
    )
    services.sanctions.sync_sanctions(user=user)
    return sanction


def test_a_muted_moderator_cannot_lift_their_own_mute(moderator):
    admin = UserFactory(role=Role.ADMIN)
    sanction = _muted(moderator, by=admin)
    muted_until = User.objects.get(pk=moderator.pk).muted_until
    with pytest.raises(services.ModerationError, match="can't lift your own mute"):
        services.lift_sanction(moderator=moderator, sanction=sanction, **LIFT)
    sanction.refresh_from_db()
    assert sanction.lifted_at is None
    assert User.objects.get(pk=moderator.pk).muted_until == muted_until
    assert not ModerationLog.objects.exists()
    services.lift_sanction(moderator=admin, sanction=sanction, **LIFT)
    assert User.objects.get(pk=moderator.pk).muted_until is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.PEER_SPECIALIST])
def test_only_admins_lift_a_sanction_on_the_team(role, moderator):
    admin = UserFactory(role=Role.ADMIN)
    colleague = UserFactory(role=role)
    sanction = _muted(colleague, by=admin)
    muted_until = User.objects.get(pk=colleague.pk).muted_until
    with pytest.raises(services.ModerationError, match="Only an admin can lift"):
        services.lift_sanction(moderator=moderator, sanction=sanction, **LIFT)
    assert User.objects.get(pk=colleague.pk).muted_until == muted_until
    assert not ModerationLog.objects.exists()
    services.lift_sanction(moderator=admin, sanction=sanction, **LIFT)
    assert User.objects.get(pk=colleague.pk).muted_until is None


def test_nobody_sanctions_themselves_and_admins_sanction_the_team(moderator):
    until = timezone.now() + timedelta(days=1)
    admin = UserFactory(role=Role.ADMIN)
    for someone in (moderator, admin):
        with pytest.raises(services.ModerationError, match="can't warn, mute or suspend yourself"):
            services.sanctions.apply_sanction(
                moderator=someone, user=someone, kind=SanctionKind.MUTE, until=until
            )
    with pytest.raises(services.ModerationError, match="Only an admin"):
        services.sanctions.apply_sanction(
            moderator=moderator,
            user=UserFactory(role=Role.MODERATOR),
            kind=SanctionKind.SUSPEND,
            until=until,
        )
    assert not Sanction.objects.exists()
    assert not User.objects.filter(muted_until__isnull=False).exists()
    assert not User.objects.filter(suspended_until__isnull=False).exists()
    services.sanctions.apply_sanction(
        moderator=admin, user=moderator, kind=SanctionKind.MUTE, until=until
    )
    assert User.objects.get(pk=moderator.pk).muted_until == until
