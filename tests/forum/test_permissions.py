"""The in-Python scope rules used by the topic page agree with the scoped querysets."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from forum import permissions
from forum.models import Post, Status, Topic
from tests.factories import UserFactory, make_reply, make_topic


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
