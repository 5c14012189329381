"""Following topics and watching categories."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from accounts.models import User
from forum.models import Category, Topic

from .models import CategorySubscription, TopicSubscription


# The follow and watch buttons are part of the pages cached under these revisions
# (forum.page_reads); following is rare next to reading, so a new revision costs little.
def _topic_changed(topic: Topic) -> None:
    Topic.objects.filter(pk=topic.pk).update(revision=F("revision") + 1)


def _category_changed(category: Category) -> None:
    Category.objects.filter(pk=category.pk).update(revision=F("revision") + 1)


def auto_follow(*, user: User, topic: Topic) -> None:
    """`user` follows `topic` (starting or replying to a topic follows it)."""
    TopicSubscription.objects.bulk_create(
        [TopicSubscription(user=user, topic=topic)], ignore_conflicts=True
    )


@transaction.atomic
def follow_topic(*, user: User, topic: Topic) -> TopicSubscription:
    """`user` follows `topic`: new posts in it notify them."""
    subscription, created = TopicSubscription.objects.get_or_create(user=user, topic=topic)
    if created:
        _topic_changed(topic)
    return subscription


@transaction.atomic
def unfollow_topic(*, user: User, topic: Topic) -> bool:
    """`user` no longer follows `topic`; returns whether they did."""
    deleted, _ = TopicSubscription.objects.filter(user=user, topic=topic).delete()
    if deleted:
        _topic_changed(topic)
    return bool(deleted)


@transaction.atomic
def watch_category(*, user: User, category: Category) -> CategorySubscription:
    """`user` watches `category`: new topics and posts in it notify them."""
    subscription, created = CategorySubscription.objects.get_or_create(user=user, category=category)
    if created:
        _category_changed(category)
    return subscription


@transaction.atomic
def unwatch_category(*, user: User, category: Category) -> bool:
    """`user` no longer watches `category`; returns whether they did."""
    deleted, _ = CategorySubscription.objects.filter(user=user, category=category).delete()
    if deleted:
        _category_changed(category)
    return bool(deleted)
