"""Pure checks of who may report, moderate and read moderation decisions.

"Is a moderator" is `accounts.models.User.is_moderator` (the role), "may use a moderator's
powers now" `User.acts_as_moderator` and "is an admin" `User.is_admin`, never restated here.
The rules moderators cannot bend (a claim is the claimer's, nobody decides about their own
post, sanctions on the team are for admins, a sanctioned moderator pauses) are written once
each below; the services check the same predicates and say why they refuse.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings

from accounts.models import User
from forum import permissions as forum_permissions
from forum.models import Post, Status

from .models import Conversation, ModerationLog, ReviewItem, ReviewStatus, SafetyPlan, Sanction


def could_see_before_hiding(user: User, post: Post, item: ReviewItem | None) -> bool:
    """`post` is hidden only because members reported it, still awaits a moderator, and `user`
    had joined by the time it was hidden (so they could have read it)."""
    if item is None or item.auto_hidden_at is None:
        return False
    return (
        post.status == Status.HIDDEN
        and item.status == ReviewStatus.OPEN
        and user.date_joined <= item.auto_hidden_at
    )


def can_report_post(user: User, post: Post, *, item: ReviewItem | None) -> bool:
    """Members may report published posts they did not write (the forum's rule), and one that
    reports hid while it awaits review if they could see it before: their report still counts.
    `item` is the post's review item, if it has one."""
    if forum_permissions.can_report_post(user, post):
        return True
    return (
        user.is_authenticated
        and post.author_id != user.pk
        and could_see_before_hiding(user, post, item)
    )


def can_moderate(user: User) -> bool:
    """Moderators and admins work the review queue, unless a mute or suspension is in force on
    them: until it ends, moderation pages answer them as they answer any member."""
    return user.is_authenticated and user.acts_as_moderator


def needs_two_factor_setup(user: User) -> bool:
    """A moderator who must set up two-factor authentication (TOTP) before moderating."""
    return (
        settings.MODERATORS_REQUIRE_MFA
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def is_about_own_post(user: User, item: ReviewItem) -> bool:
    """`item` is about a post `user` wrote: another moderator decides on it."""
    return item.post.author_id == user.pk


def is_claimed_by_someone_else(user: User, item: ReviewItem) -> bool:
    """Another moderator is working on `item`: only they act on it, until it is taken over."""
    return item.claimed_by_id is not None and item.claimed_by_id != user.pk


def can_act_on_item(user: User, item: ReviewItem) -> bool:
    """A moderator may decide on (or edit the post of) an open item about someone else's post
    that nobody else is working on."""
    return (
        can_moderate(user)
        and item.status == ReviewStatus.OPEN
        and not is_about_own_post(user, item)
        and not is_claimed_by_someone_else(user, item)
    )


def can_claim_item(user: User, item: ReviewItem) -> bool:
    """A moderator may claim an item nobody is working on, unless it is about their own post."""
    return can_moderate(user) and item.claimed_by_id is None and not is_about_own_post(user, item)


def can_release_item(user: User, item: ReviewItem) -> bool:
    """Only the moderator working on an item may release it."""
    return can_moderate(user) and item.claimed_by_id == user.pk


def can_take_over_item(user: User, item: ReviewItem) -> bool:
    """A moderator may take over an open item another moderator is working on (logged), unless
    it is about their own post."""
    return (
        can_moderate(user)
        and item.status == ReviewStatus.OPEN
        and is_claimed_by_someone_else(user, item)
        and not is_about_own_post(user, item)
    )


def is_team_member(member: User) -> bool:
    """Moderators, admins and peer specialists: the people members trust with their care."""
    return member.is_moderator or member.is_peer_specialist


def can_sanction_member(user: User, member: User) -> bool:
    """A moderator may warn, mute or suspend (and lift a mute or suspension on) someone other
    than themselves; when that someone moderates or is a peer specialist, only an admin may."""
    return (
        can_moderate(user)
        and member.pk != user.pk
        and (user.is_admin or not is_team_member(member))
    )


def can_lift_sanction(user: User, sanction: Sanction) -> bool:
    """A moderator may lift a sanction still in force that they could have given."""
    return can_sanction_member(user, sanction.user) and sanction.is_active


def can_read_decision(user: User, log: ModerationLog) -> bool:
    """The member a decision is about reads its explanation; moderators read every one."""
    return user.is_authenticated and (log.target_user_id == user.pk or can_moderate(user))


def can_request_review(user: User, log: ModerationLog) -> bool:
    """The author may ask for another look at a moderator's decision about their post."""
    return (
        user.is_authenticated
        and log.target_user_id == user.pk
        and log.post_id is not None
        and log.actor_id is not None
    )


def can_keep_safety_plan(user: User) -> bool:
    """Every signed-in member may write a safety plan; a mute or suspension never takes it away."""
    return user.is_authenticated and user.is_active


def can_read_safety_plan(user: User, plan: SafetyPlan) -> bool:
    """A safety plan is read by the member who wrote it and nobody else, moderators included."""
    return user.is_authenticated and plan.owner_id == user.pk


def can_set_duty(user: User) -> bool:
    """Whoever moderates sets when they are on duty (admins too)."""
    return can_moderate(user)


def can_check_in(user: User, post: Post) -> bool:
    """Moderators and peer specialists may check in privately with a post's author (the
    forum's rule, which also decides the link on the post)."""
    return forum_permissions.can_check_in_with_author(user, post)


def can_message_team(user: User) -> bool:
    """Every signed-in member may write privately to the moderation team."""
    return user.is_authenticated and user.is_active


def can_read_conversation(user: User, conversation: Conversation) -> bool:
    """The member it is with, every moderator, and the peer specialist who started it read
    (and answer) a conversation; to anyone else it does not exist."""
    return user.is_authenticated and (
        conversation.member_id == user.pk
        or user.acts_as_moderator
        or (
            user.is_peer_specialist
            and not user.has_sanction_in_force
            and conversation.started_by_id == user.pk
        )
    )


def can_see_team_inbox(user: User) -> bool:
    """Moderators see every conversation with the team."""
    return can_moderate(user)
