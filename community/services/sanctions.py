"""Mutes and suspensions: given, kept in step with the member's account, lifted, expired."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community import permissions
from community.models import (
    MODERATOR_REASONS,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Sanction,
    SanctionKind,
)

from .errors import ModerationError
from .moderation_log import explain_decision, write_log

# The beat task lifts this many per run; a longer backlog is finished by the next runs.
EXPIRY_BATCH = 500

SANCTION_SELF_REFUSAL = (
    "You can't warn, mute or suspend yourself. If you need a break from moderating, you can go "
    "off duty."
)
SANCTION_ROLE_REFUSAL = (
    "Only an admin can warn, mute or suspend a moderator or a peer specialist. Nothing was "
    "changed; please ask an admin if it is needed."
)
LIFT_SELF_REFUSAL = (
    "You can't lift your own mute or suspension. It ends by itself at the time shown, or an "
    "admin can lift it sooner."
)
LIFT_ROLE_REFUSAL = (
    "Only an admin can lift a mute or suspension on a moderator or a peer specialist. Nothing "
    "was changed."
)


def _check_may_sanction(*, moderator: User, member: User, lifting: bool) -> None:
    """`moderator` may give (or lift) a sanction on `member`, or is told why not."""
    if permissions.can_sanction_member(moderator, member):
        return
    if member.pk == moderator.pk:
        raise ModerationError(LIFT_SELF_REFUSAL if lifting else SANCTION_SELF_REFUSAL)
    if not permissions.can_moderate(moderator):
        raise ModerationError(
            "Moderation is paused for your account while a mute or suspension is in force."
        )
    raise ModerationError(LIFT_ROLE_REFUSAL if lifting else SANCTION_ROLE_REFUSAL)


def apply_sanction(*, moderator: User, user: User, kind: str, until: datetime) -> Sanction:
    """`user` has a `kind` sanction until `until`, and their account says so (unlogged: the
    caller writes the log row that explains it). Nobody sanctions themselves, and only admins
    sanction moderators and peer specialists."""
    _check_may_sanction(moderator=moderator, member=user, lifting=False)
    sanction = Sanction.objects.create(user=user, kind=kind, ends_at=until, created_by=moderator)
    sync_sanctions(user=user)
    return sanction


def sync_sanctions(*, user: User) -> None:
    """The member's muted_until / suspended_until match their active sanctions."""
    # The effect is written onto the user so the forum reads it without importing community.
    ends: dict[str, datetime | None] = {kind: None for kind in SanctionKind.values}
    active = Sanction.objects.active(now=timezone.now()).filter(user=user)
    for kind, ends_at in active.values_list("kind", "ends_at"):
        current = ends[kind]
        if current is None or ends_at > current:
            ends[kind] = ends_at
    User.objects.filter(pk=user.pk).update(
        muted_until=ends[SanctionKind.MUTE], suspended_until=ends[SanctionKind.SUSPEND]
    )
    user.muted_until = ends[SanctionKind.MUTE]
    user.suspended_until = ends[SanctionKind.SUSPEND]


@transaction.atomic
def lift_sanction(
    *, moderator: User, sanction: Sanction, reason: str, explanation: str
) -> ModerationLog:
    """The sanction no longer applies, one log row records it, and the member is told."""
    sanction = Sanction.objects.select_for_update().select_related("user").get(pk=sanction.pk)
    _check_may_sanction(moderator=moderator, member=sanction.user, lifting=True)
    if reason not in dict(MODERATOR_REASONS):
        raise ModerationError("Please choose the reason.")
    if not explanation.strip():
        raise ModerationError("Please explain your decision: the member will read it.")
    if not sanction.is_active:
        raise ModerationError("This sanction has already ended.")
    sanction.lifted_at = timezone.now()
    sanction.save(update_fields=["lifted_at"])
    sync_sanctions(user=sanction.user)
    log = write_log(
        actor=moderator,
        action=ModerationAction.LIFT,
        target_user=sanction.user,
        reason=reason,
        explanation=explanation.strip(),
    )
    explain_decision(log=log)
    return log


def lift_expired_sanctions(*, now: datetime | None = None) -> int:
    """Sanctions whose time has ended are lifted and logged; the member's account is free."""
    now = now or timezone.now()
    lifted = 0
    due = Sanction.objects.due_for_lifting(now=now)
    for sanction_id in due.values_list("pk", flat=True)[:EXPIRY_BATCH]:
        with transaction.atomic():
            # One transaction per sanction, skipping rows a moderator is lifting right now.
            sanction = (
                due.select_for_update(skip_locked=True)
                .select_related("user")
                .filter(pk=sanction_id)
                .first()
            )
            if sanction is None:
                continue
            sanction.lifted_at = now
            sanction.save(update_fields=["lifted_at"])
            sync_sanctions(user=sanction.user)
            write_log(
                actor=None,
                action=ModerationAction.EXPIRE,
                target_user=sanction.user,
                reason=ModerationReason.EXPIRED,
                explanation=f"{sanction.get_kind_display()} ended as planned.",
                until=sanction.ends_at,
            )
            lifted += 1
    return lifted
