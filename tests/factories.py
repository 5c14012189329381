"""Test data. Topics and posts are made through the services so counters stay true."""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from community import services as community_services
from community.models import ModerationAction, ModerationLog, ModerationReason, ReviewItem
from forum import services
from forum.models import Category, Post, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member_{n}")
    email = factory.Sequence(lambda n: f"member{n}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")
    guidelines_version = 1
    # Established by default; pass approved_post_count=0 for a new member whose first posts wait.
    approved_post_count = 2

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Test category {n}")
    slug = factory.Sequence(lambda n: f"test-category-{n}")
    description = "A category for tests."


def make_topic(
    *,
    author: User | None = None,
    category: Category | None = None,
    title: str = "A story of small steps",
    body: str = "Today went okay.",
) -> Topic:
    return services.create_topic(
        author=author or UserFactory(),
        category=category or CategoryFactory(),
        title=title,
        body=body,
    )


def make_reply(*, topic: Topic, author: User | None = None, body: str = "I hear you.") -> Post:
    return services.create_reply(author=author or UserFactory(), topic=topic, body=body)


def established_member(**fields) -> User:
    """A member whose reports weigh in full towards hiding a post (community/standing.py):
    joined a month ago, with posts published. UserFactory's members joined a moment ago."""
    fields.setdefault("date_joined", timezone.now() - timedelta(days=30))
    return UserFactory(**fields)


def mute(member: User, *, moderator: User | None = None, hours: int = 24) -> ModerationLog:
    """`member` muted by a moderator's decision on one of their posts; returns the log row."""
    post = make_reply(topic=make_topic(), author=member)
    item = ReviewItem.objects.create(post=post)
    log = community_services.act_on_item(
        moderator=moderator or UserFactory(role="moderator"),
        item=item,
        action=ModerationAction.MUTE,
        reason=ModerationReason.JUDGING,
        explanation="Let's take a breather.",
        until=timezone.now() + timedelta(hours=hours),
    )
    member.refresh_from_db()
    return log
