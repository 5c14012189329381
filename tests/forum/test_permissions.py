"""The in-Python scope rules used by the topic page agree with the scoped querysets."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from forum import permissions
from forum.models import Category, Post, Status, Topic
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_can_view_topic_matches_visible_to(status):
    author = UserFactory()
    topic = make_topic(author=author)
    Topic.objects.filter(pk=topic.pk).update(status=status)
    topic.refresh_from_db()
    for reader in (author, UserFactory(), UserFactory(role=Role.MODERATOR)):
        expected = Topic.objects.visible_to(reader).filter(pk=topic.pk).exists()
        assert permissions.can_view_topic(reader, topic) is expected, (status, reader.role)


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_can_see_in_thread_matches_in_thread_for(status):
    author = UserFactory()
    post = make_reply(topic=make_topic(), author=author)
    Post.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    for reader in (author, UserFactory(), UserFactory(role=Role.MODERATOR)):
        expected = Post.objects.in_thread_for(reader).filter(pk=post.pk).exists()
        assert permissions.can_see_in_thread(reader, post) is expected, (status, reader.role)


@pytest.mark.django_db
@pytest.mark.parametrize("status", Status.values)
def test_can_view_post_matches_open_to(status):
    author = UserFactory()
    post = make_reply(topic=make_topic(), author=author)
    Post.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    for reader in (author, UserFactory(), UserFactory(role=Role.MODERATOR)):
        expected = Post.objects.open_to(reader).filter(pk=post.pk).exists()
        in_scope = permissions.can_view_topic(reader, post.topic)
        assert (in_scope and permissions.can_view_post(reader, post)) is expected, (
            status,
            reader.role,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("topic_status", Status.values)
@pytest.mark.parametrize("post_status", Status.values)
def test_the_scanning_form_of_open_to_finds_exactly_the_same_posts(topic_status, post_status):
    author = UserFactory()
    topic = make_topic(author=author)
    post = make_reply(topic=topic, author=author)
    Topic.objects.filter(pk=topic.pk).update(status=topic_status)
    Post.objects.filter(pk=post.pk).update(status=post_status)
    for reader in (author, UserFactory(), UserFactory(role=Role.MODERATOR), AnonymousUser()):
        joined = set(Post.objects.open_to(reader).values_list("pk", flat=True))
        scanned = set(Post.objects.open_to(reader, scanning=True).values_list("pk", flat=True))
        assert scanned == joined, (topic_status, post_status, reader)
        assert set(Post.objects.outside_topics_hidden_from(reader)) == set(
            Post.objects.visible_to(reader)
        )


@pytest.mark.django_db
def test_muted_members_may_not_publish_anything_but_may_still_follow_report_and_delete():
    from datetime import timedelta

    from django.utils import timezone

    muted = UserFactory(muted_until=timezone.now() + timedelta(hours=2))
    topic = make_topic()
    others = topic.posts.get()
    own = make_reply(topic=topic, author=muted)
    assert not permissions.can_publish(muted)
    assert not permissions.can_start_topic(muted)
    assert not permissions.can_reply(muted, topic)
    assert not permissions.can_edit_post(muted, own)
    assert not permissions.can_react(muted, others)
    assert permissions.can_follow_topic(muted, topic)
    assert permissions.can_report_post(muted, others)
    assert permissions.can_delete_post(muted, own)
    muted.muted_until = timezone.now() - timedelta(minutes=1)
    assert permissions.can_publish(muted) and permissions.can_react(muted, others)


def test_moderators_and_peer_specialists_may_check_in_with_the_author_of_a_post(db):
    rules = permissions
    post = make_reply(topic=make_topic())
    assert rules.can_check_in_with_author(UserFactory(role=Role.MODERATOR), post)
    assert rules.can_check_in_with_author(UserFactory(role=Role.PEER_SPECIALIST), post)
    assert not rules.can_check_in_with_author(UserFactory(), post)
    assert not rules.can_check_in_with_author(post.author, post)
    assert not rules.can_check_in_with_author(AnonymousUser(), post)
    post.status = Status.DELETED
    assert not rules.can_check_in_with_author(UserFactory(role=Role.MODERATOR), post)


# --- Peer specialists' corner (issue 14): who starts topics there -------------------------------


@pytest.mark.django_db
def test_only_verified_peer_specialists_and_moderators_start_topics_in_the_corner(settings):
    # Seeded by forum migration 0002.
    corner, _ = Category.objects.get_or_create(
        slug=settings.PEER_SPECIALIST_CORNER, defaults={"name": "Peer specialists' corner"}
    )
    elsewhere = CategoryFactory()
    member = UserFactory()
    hand_set = UserFactory(role=Role.PEER_SPECIALIST)
    verified = UserFactory(role=Role.PEER_SPECIALIST, certified_by="A Certification Board")
    moderator = UserFactory(role=Role.MODERATOR)
    muted_verified = UserFactory(
        certified_by="Board", muted_until=timezone.now() + timedelta(days=1)
    )
    assert [permissions.can_start_topic_in(u, corner) for u in (member, hand_set)] == [False] * 2
    assert permissions.can_start_topic_in(verified, corner)
    assert permissions.can_start_topic_in(moderator, corner)
    assert not permissions.can_start_topic_in(muted_verified, corner)
    # Elsewhere nothing changes, and replies in the corner stay open to members.
    assert permissions.can_start_topic_in(member, elsewhere)
    assert permissions.can_reply(member, make_topic(author=verified, category=corner))
