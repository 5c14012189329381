"""The pure checks views use to decide what a page may offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from community import permissions
from community.models import ReviewItem, ReviewStatus, Sanction, SanctionKind
from forum.models import Status
from tests.factories import UserFactory, make_reply, make_topic


@pytest.fixture
def item(db):
    return ReviewItem.objects.create(post=make_reply(topic=make_topic()))


def test_an_unclaimed_item_can_be_claimed_by_moderators_only(item, moderator, member):
    assert permissions.can_claim_item(moderator, item)
    assert not permissions.can_claim_item(member, item)
    assert not permissions.can_claim_item(AnonymousUser(), item)


def test_only_the_moderator_working_on_an_item_releases_it(item, moderator):
    other = UserFactory(role=Role.ADMIN)
    item.claimed_by = moderator
    assert permissions.can_release_item(moderator, item)
    assert not permissions.can_release_item(other, item)
    # Claimed by someone: nobody else may claim it over them.
    assert not permissions.can_claim_item(other, item)


def test_a_released_item_cannot_be_released_again(item, moderator):
    assert not permissions.can_release_item(moderator, item)


def test_only_active_sanctions_can_be_lifted(moderator, member):
    active = Sanction(
        user=member,
        kind=SanctionKind.MUTE,
        ends_at=timezone.now() + timedelta(hours=1),
        created_by=moderator,
    )
    ended = Sanction(
        user=member,
        kind=SanctionKind.MUTE,
        ends_at=timezone.now() - timedelta(hours=1),
        created_by=moderator,
    )
    lifted = Sanction(
        user=member,
        kind=SanctionKind.MUTE,
        ends_at=timezone.now() + timedelta(hours=1),
        lifted_at=timezone.now(),
        created_by=moderator,
    )
    assert permissions.can_lift_sanction(moderator, active)
    assert not permissions.can_lift_sanction(moderator, ended)
    assert not permissions.can_lift_sanction(moderator, lifted)
    assert not permissions.can_lift_sanction(member, active)


def test_moderators_need_two_factor_only_when_required(moderator, settings):
    settings.MODERATORS_REQUIRE_MFA = False
    assert not permissions.needs_two_factor_setup(moderator)
    settings.MODERATORS_REQUIRE_MFA = True
    assert permissions.needs_two_factor_setup(moderator)


def test_a_post_hidden_by_reports_stays_reportable_for_members_who_could_see_it(db, member):
    post = make_reply(topic=make_topic())
    assert permissions.can_report_post(member, post, item=None)
    post.status = Status.HIDDEN
    assert not permissions.can_report_post(member, post, item=None)
    item = ReviewItem(post=post, auto_hidden_at=timezone.now())
    assert permissions.can_report_post(member, post, item=item)
    # Not its author, nor someone who joined after it was hidden.
    assert not permissions.can_report_post(post.author, post, item=item)
    newcomer = UserFactory(date_joined=timezone.now() + timedelta(minutes=1))
    assert not permissions.can_report_post(newcomer, post, item=item)
    assert not permissions.can_report_post(AnonymousUser(), post, item=item)
    # Once a moderator decided (or hid it themselves), the report form is gone.
    item.status = ReviewStatus.RESOLVED
    assert not permissions.can_report_post(member, post, item=item)
    assert not permissions.can_report_post(member, post, item=ReviewItem(post=post))
    post.status = Status.REMOVED
    assert not permissions.can_report_post(member, post, item=ReviewItem(post=post))


# --- my safety plan -----------------------------------------------------------------------


def test_only_the_author_may_read_a_safety_plan(member, other_member, moderator):
    from community.models import SafetyPlan

    plan = SafetyPlan.objects.create(owner=member, people_to_ask="My sponsor")
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    assert permissions.can_read_safety_plan(member, plan)
    for reader in (other_member, moderator, admin, UserFactory(role=Role.PEER_SPECIALIST)):
        assert not permissions.can_read_safety_plan(reader, plan)
    assert not permissions.can_read_safety_plan(AnonymousUser(), plan)


def test_every_signed_in_member_may_keep_a_safety_plan_even_when_muted(member):
    muted = UserFactory(muted_until=timezone.now() + timedelta(days=1))
    assert permissions.can_keep_safety_plan(member)
    assert permissions.can_keep_safety_plan(muted)
    assert not permissions.can_keep_safety_plan(AnonymousUser())
    assert not permissions.can_keep_safety_plan(UserFactory(is_active=False))


# --- private conversations with the moderation team ---


def test_a_conversation_is_read_by_its_member_the_moderators_and_the_peer_specialist_who_began(
    moderator, member
):
    from community.models import Conversation

    author = UserFactory()
    peer = UserFactory(role=Role.PEER_SPECIALIST)
    conversation = Conversation.objects.create(member=author, started_by=peer)
    assert permissions.can_read_conversation(author, conversation)
    assert permissions.can_read_conversation(moderator, conversation)
    assert permissions.can_read_conversation(peer, conversation)
    assert not permissions.can_read_conversation(member, conversation)
    assert not permissions.can_read_conversation(
        UserFactory(role=Role.PEER_SPECIALIST), conversation
    )
    assert not permissions.can_read_conversation(AnonymousUser(), conversation)
    # The scoped queryset answers the same question for lists and lookups.
    for user, sees in ((author, True), (moderator, True), (peer, True), (member, False)):
        assert Conversation.objects.visible_to(user).filter(pk=conversation.pk).exists() == sees
    assert not Conversation.objects.visible_to(AnonymousUser()).exists()


def test_moderators_and_peer_specialists_check_in_with_authors_of_posts_not_their_own(
    moderator, member
):
    post = make_reply(topic=make_topic())
    peer = UserFactory(role=Role.PEER_SPECIALIST)
    assert permissions.can_check_in(moderator, post)
    assert permissions.can_check_in(peer, post)
    assert not permissions.can_check_in(member, post)
    assert not permissions.can_check_in(post.author, post)
    assert not permissions.can_check_in(AnonymousUser(), post)
    post.status = Status.DELETED
    assert not permissions.can_check_in(moderator, post)


def test_every_member_may_message_the_team_and_only_moderators_see_its_inbox(moderator, member):
    assert permissions.can_message_team(member)
    assert not permissions.can_message_team(AnonymousUser())
    assert permissions.can_see_team_inbox(moderator)
    assert not permissions.can_see_team_inbox(member)
    assert not permissions.can_see_team_inbox(UserFactory(role=Role.PEER_SPECIALIST))


# --- rules moderators cannot bend ------------------------------------------------------------


@pytest.fixture
def admin(db):
    return UserFactory(role=Role.ADMIN)


def test_a_claimed_item_is_acted_on_by_its_claimer_and_taken_over_by_anyone_else(item, moderator):
    other = UserFactory(role=Role.MODERATOR)
    assert permissions.can_act_on_item(moderator, item)
    assert permissions.can_act_on_item(other, item)
    assert not permissions.can_take_over_item(other, item)
    item.claimed_by = moderator
    assert permissions.can_act_on_item(moderator, item)
    assert not permissions.can_take_over_item(moderator, item)
    assert not permissions.can_act_on_item(other, item)
    assert permissions.can_take_over_item(other, item)
    # A resolved item is neither acted on again from the page nor taken over.
    item.status = ReviewStatus.RESOLVED
    assert not permissions.can_act_on_item(moderator, item)
    assert not permissions.can_take_over_item(other, item)


def test_nobody_decides_about_their_own_post(db, moderator, admin):
    post = make_reply(topic=make_topic(), author=moderator)
    own = ReviewItem.objects.create(post=post)
    assert permissions.is_about_own_post(moderator, own)
    assert not permissions.can_claim_item(moderator, own)
    assert not permissions.can_act_on_item(moderator, own)
    own.claimed_by = admin
    assert not permissions.can_take_over_item(moderator, own)
    assert permissions.can_act_on_item(admin, own)
    own.claimed_by = None
    assert permissions.can_claim_item(admin, own)


def test_sanctions_on_the_team_are_for_admins_and_nobody_sanctions_themselves(
    moderator, admin, member
):
    peer = UserFactory(role=Role.PEER_SPECIALIST)
    other_moderator = UserFactory(role=Role.MODERATOR)
    superuser = UserFactory(is_superuser=True)
    assert permissions.can_sanction_member(moderator, member)
    for team in (peer, other_moderator, admin, superuser):
        assert not permissions.can_sanction_member(moderator, team)
        assert permissions.can_sanction_member(UserFactory(role=Role.ADMIN), team)
    for someone in (moderator, admin, superuser):
        assert not permissions.can_sanction_member(someone, someone)
    assert not permissions.can_sanction_member(member, UserFactory())
    assert not permissions.can_sanction_member(AnonymousUser(), member)


def _mute(user, by):
    return Sanction(
        user=user,
        kind=SanctionKind.MUTE,
        ends_at=timezone.now() + timedelta(hours=1),
        created_by=by,
    )


def test_lifting_follows_the_same_rule_as_giving(moderator, admin, member):
    other_moderator = UserFactory(role=Role.MODERATOR)
    assert permissions.can_lift_sanction(moderator, _mute(member, admin))
    assert not permissions.can_lift_sanction(moderator, _mute(moderator, admin))
    assert not permissions.can_lift_sanction(moderator, _mute(other_moderator, admin))
    assert permissions.can_lift_sanction(admin, _mute(other_moderator, admin))
    assert not permissions.can_lift_sanction(admin, _mute(admin, moderator))
    peer = UserFactory(role=Role.PEER_SPECIALIST)
    assert not permissions.can_lift_sanction(moderator, _mute(peer, admin))
    assert permissions.can_lift_sanction(admin, _mute(peer, admin))


@pytest.mark.parametrize("field", ["muted_until", "suspended_until"])
def test_a_sanctioned_moderator_does_not_moderate_until_it_ends(db, field, item):
    now = timezone.now()
    paused = UserFactory(role=Role.MODERATOR, **{field: now + timedelta(hours=1)})
    ended = UserFactory(role=Role.MODERATOR, **{field: now - timedelta(minutes=1)})
    assert not permissions.can_moderate(paused)
    assert not permissions.can_claim_item(paused, item)
    assert not permissions.can_act_on_item(paused, item)
    assert not permissions.can_sanction_member(paused, UserFactory())
    assert permissions.can_moderate(ended)
    assert permissions.can_claim_item(ended, item)


def test_admins_are_the_admin_role_and_superusers(db):
    assert UserFactory(role=Role.ADMIN).is_admin
    assert UserFactory(is_superuser=True).is_admin
    for role in (Role.MEMBER, Role.PEER_SPECIALIST, Role.MODERATOR):
        assert not UserFactory(role=role).is_admin
