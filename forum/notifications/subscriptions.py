"""Following topics and watching categories."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef

from accounts.models import User
from forum.models import Category, Topic

from .models import CategorySubscription, TopicSubscription


def auto_follow(*, user: User, topic: Topic) -> None:
    """`user` follows `topic` (starting or replying to a topic follows it)."""
    TopicSubscription.objects.bulk_create(
        [TopicSubscription(user=user, topic=topic)], ignore_conflicts=True
    )


@transaction.atomic
def follow_topic(*, user: User, topic: Topic) -> TopicSubscription:
    """`user` follows `topic`: new posts in it notify them."""
    subscription, _ = TopicSubscription.objects.get_or_create(user=user, topic=topic)
    return subscription


@transaction.atomic
def unfollow_topic(*, user: User, topic: Topic) -> bool:
    """`user` no longer follows `topic`; returns whether they did."""
    deleted, _ = TopicSubscription.objects.filter(user=user, topic=topic).delete()
    return bool(deleted)


@transaction.atomic
def watch_category(*, user: User, category: Category) -> CategorySubscription:
    """`user` watches `category`: new topics and posts in it notify them."""
    subscription, _ = CategorySubscription.objects.get_or_create(user=user, category=category)
    return subscription


@transaction.atomic
def unwatch_category(*, user: User, category: Category) -> bool:
    """`user` no longer watches `category`; returns whether they did."""
    deleted, _ = CategorySubscription.objects.filter(user=user, category=category).delete()
    return bool(deleted)


def followed_by(user_id: int) -> Exists:
    """Annotation for a Topic queryset: whether member `user_id` follows each topic."""
    return Exists(TopicSubscription.objects.filter(topic=OuterRef("pk"), user_id=user_id))


def watched_by(user_id: int) -> Exists:
    """Annotation for a Category queryset: whether member `user_id` watches each category."""
    return Exists(CategorySubscription.objects.filter(category=OuterRef("pk"), user_id=user_id))
