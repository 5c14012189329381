"""Following topics and watching categories, and the annotations the list pages use."""

from __future__ import annotations

import pytest

from forum.models import TopicSubscription
from forum.notifications import api, subscriptions
from tests.factories import make_topic

pytestmark = pytest.mark.django_db


def test_follow_twice_is_one_subscription_and_unfollow_says_whether_it_did(member):
    topic = make_topic()
    first = subscriptions.follow_topic(user=member, topic=topic)
    assert subscriptions.follow_topic(user=member, topic=topic).pk == first.pk
    assert TopicSubscription.objects.filter(user=member, topic=topic).count() == 1
    assert subscriptions.unfollow_topic(user=member, topic=topic) is True
    assert subscriptions.unfollow_topic(user=member, topic=topic) is False


def test_auto_follow_is_safe_to_repeat(member):
    topic = make_topic()
    api.auto_follow(user=member, topic=topic)
    api.auto_follow(user=member, topic=topic)
    assert TopicSubscription.objects.filter(user=member, topic=topic).count() == 1


def test_following_and_watching_start_and_stop(member):
    topic = make_topic()
    assert subscriptions.follow_topic(user=member, topic=topic)
    assert subscriptions.watch_category(user=member, category=topic.category)
    assert TopicSubscription.objects.filter(user=member, topic=topic).exists()
    assert subscriptions.unfollow_topic(user=member, topic=topic) is True
    assert subscriptions.unfollow_topic(user=member, topic=topic) is False
    assert subscriptions.unwatch_category(user=member, category=topic.category) is True
    assert subscriptions.unwatch_category(user=member, category=topic.category) is False
