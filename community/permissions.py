"""Pure checks of who may report, moderate and read moderation decisions."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings

from accounts.models import User
from forum.models import Post, Status

from .models import ModerationLog


def can_report_post(user: User, post: Post) -> bool:
    """Signed-in members may report published posts they did not write."""
    return user.is_authenticated and post.author_id != user.pk and post.status == Status.PUBLISHED


def can_moderate(user: User) -> bool:
    """Moderators and admins work the review queue."""
    return user.is_authenticated and user.is_moderator


def has_two_factor(user: User) -> bool:
    """The member has set up an authenticator app (TOTP)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_two_factor_setup(user: User) -> bool:
    """A moderator who must set up two-factor authentication before moderating."""
    return settings.MODERATORS_REQUIRE_MFA and not has_two_factor(user)


def can_read_decision(user: User, log: ModerationLog) -> bool:
    """The member a decision is about reads its explanation; moderators read every one."""
    return user.is_authenticated and (log.target_user_id == user.pk or user.is_moderator)


def can_request_review(user: User, log: ModerationLog) -> bool:
    """The author may ask for another look at a moderator's decision about their post."""
    return (
        user.is_authenticated
        and log.target_user_id == user.pk
        and log.post_id is not None
        and log.actor_id is not None
    )
