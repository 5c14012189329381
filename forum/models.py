"""What is said: categories, topics, posts, their edit history and encouragement."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# The notification models live in forum/notifications/models.py, beside the code that uses them.
# Importing them here is what registers them with Django (it imports only `forum.models`), and
# keeps `from forum.models import Notification` working. That module imports nothing from the
# project, so this import cannot loop back.
from .notifications.models import (  # noqa: F401 (re-exported, see above)
    CategorySubscription,
    Delivery,
    EmailOutbox,
    FanOutStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxStatus,
    PostFanOut,
    TopicSubscription,
)
from .querysets import MilestoneCounterQuerySet, MilestoneQuerySet, PostQuerySet, TopicQuerySet
from .status import Status

__all__ = ["Status"]  # defined beside the querysets, which filter by it


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    # Opening posts here are stories: one that nobody but its author has answered after
    # FIRST_REPLY_WAIT_HOURS is listed for volunteers (community.first_replies).
    holds_stories = models.BooleanField(default=False, db_default=False)
    # Denormalized, updated with F() in the transaction that publishes or removes a topic.
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # Bumped with F() by every service that changes what the category's topic list shows, in
    # the same transaction; cached list pages are keyed by it, so none is ever invalidated.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:category", kwargs={"slug": self.slug})


class Topic(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="topics"
    )
    title = models.CharField(max_length=150)
    # Mirrors the opening post: a topic is listed only while its first post is published.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    is_locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Published replies (not counting the opening post), for the lists.
    reply_count = models.PositiveIntegerField(default=0)
    # Highest post position handed out; pages are position ranges, so no OFFSET is needed.
    last_position = models.PositiveIntegerField(default=0)
    # Bumped with F() by every service that changes what the topic's pages show (posts,
    # statuses, encouragement, title, lock), in the same transaction: cached pages are keyed
    # by it, so a change is a new key and nothing is ever invalidated.
    revision = models.PositiveIntegerField(default=0)
    # The words that best say what the story is about (forum.search.words), written with its
    # title and opening post: "stories like yours" searches for them without reading the post.
    search_words = models.CharField(
        max_length=300, blank=True, default="", db_default="", editable=False
    )
    # Mirrors the opening post's content warnings (forum.content_warnings), so lists can leave
    # out topics a reader hides without reading posts.
    warning_flags = models.PositiveSmallIntegerField(default=0, db_default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(
                fields=["category", "-last_activity_at", "-id"],
                name="topic_category_activity",
                condition=Q(status=Status.PUBLISHED),
            ),
            models.Index(
                fields=["-last_activity_at", "-id"],
                name="topic_latest_activity",
                condition=Q(status=Status.PUBLISHED),
            ),
            models.Index(fields=["author", "-created_at"], name="topic_author_recent"),
            # The few topics not listed (waiting, hidden, removed, deleted): what a search
            # leaves out, read whole and kept in a hash (PostQuerySet.outside_topics_hidden_from).
            models.Index(
                fields=["id"], name="topic_unlisted", condition=~Q(status=Status.PUBLISHED)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # No slug: titles are health information and URLs end up in history and mail links.
        return reverse("forum:topic", kwargs={"pk": self.pk})

    @property
    def page_count(self) -> int:
        per_page = settings.POSTS_PER_PAGE
        return max(1, -(-self.last_position // per_page))


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    position = models.PositiveIntegerField()
    body = models.TextField(max_length=20_000)
    # Rendered and sanitized by forum.rendering when written; templates mark only this safe.
    body_html = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    # Set by forum.screening when written: the row community's review sweeper reads, so an
    # at-risk post reaches moderators even if the task that should tell them was lost.
    crisis_language = models.BooleanField(default=False)
    # Encouragement received, one counter per ReactionKind, kept with F() by set_reaction in
    # the transaction that adds or removes the Reaction row, so pages never count rows.
    hear_count = models.PositiveIntegerField(default=0)
    metoo_count = models.PositiveIntegerField(default=0)
    strength_count = models.PositiveIntegerField(default=0)
    proud_count = models.PositiveIntegerField(default=0)
    # Made when the form that wrote this post (a reply, or a new topic's opening post) was
    # rendered: the same form sent twice carries the same token, and the constraint below lets
    # only one post exist for it, even when both arrive at once. Null for posts written
    # without a form (fixtures, imports); nulls never collide.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    # What PostgreSQL searches (forum.search): the title, weighted A, on an opening post, and
    # the text, weighted B. Written by forum.search.index_posts from the services that write
    # text or titles; a GIN index made by migration 0010 (on PostgreSQL only) covers it.
    # Unused on SQLite, which keeps an FTS5 table instead (migration 0011).
    search_vector = SearchVectorField(null=True, editable=False)
    # Content warnings the author (or a moderator) chose: a bitmask of
    # forum.content_warnings.ContentWarning, and a short plain-text note (escaped when shown).
    warning_flags = models.PositiveSmallIntegerField(default=0, db_default=0)
    warning_note = models.CharField(max_length=80, blank=True, default="", db_default="")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_unique_position"),
            models.UniqueConstraint(
                fields=["author", "submission_token"], name="post_unique_submission"
            ),
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="post_author_recent")]

    def __str__(self) -> str:
        return f"Post #{self.position} in topic {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forum:post", kwargs={"pk": self.pk})

    @property
    def is_opening_post(self) -> bool:
        return self.position == 1

    @property
    def page_number(self) -> int:
        return (self.position - 1) // settings.POSTS_PER_PAGE + 1

    def encouragement_count(self, kind: str) -> int:
        """How many members sent encouragement `kind` (a ReactionKind value) on this post."""
        return getattr(self, count_field(kind))


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of {self.post}"


class ReactionKind(models.TextChoices):
    HEAR = "hear", "I hear you"
    METOO = "metoo", "Me too"
    STRENGTH = "strength", "Sending strength"
    PROUD = "proud", "Proud of you"


def count_field(kind: str) -> str:
    """The Post column that counts encouragement `kind`."""
    return f"{ReactionKind(kind).value}_count"


class Reaction(models.Model):
    """Encouragement one member sent on one post. There are no downvotes."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.post}"


class ScreeningTopic(models.TextChoices):
    SUICIDE = "suicide", "Suicide"
    SELF_HARM = "self_harm", "Self-harm"
    OVERDOSE = "overdose", "Overdose"


class ScreeningPhrase(models.Model):
    """A reviewed phrase that suggests someone may be at risk (see forum.screening)."""

    # Words match whole words; a trailing * matches any ending ("kill* myself" also matches
    # "killing myself"); spaces also match hyphens, so "self harm" matches "self-harm".
    phrase = models.CharField(max_length=120, unique=True)
    topic = models.CharField(max_length=20, choices=ScreeningTopic.choices)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True, help_text="Why this phrase is listed.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic", "phrase"]

    def __str__(self) -> str:
        return self.phrase


class CoachingPhrase(models.Model):
    """A directive or judging phrase that earns a reply a gentle suggestion (forum.coaching)."""

    phrase = models.CharField(
        max_length=80,
        unique=True,
        help_text='Whole words, any case, either apostrophe: "you should".',
    )
    suggestion = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown instead of the general suggestion when set. Speak as a peer.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


class MilestoneCounter(models.Model):
    """A member's private count of days ("Days since my last drink"). Only its owner ever
    reads it: no page, list, log or notification names it, and it keeps no history, so a
    reset leaves nothing behind (forum.milestones)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="milestone_counters"
    )
    label = models.CharField(max_length=80)
    started_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = MilestoneCounterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # Ids only: the label is the member's private words.
        return f"Milestone counter {self.pk}"


class MilestoneKind(models.TextChoices):
    COUNTER = "counter", "From a counter"
    MOMENT = "moment", "A moment"


class Milestone(models.Model):
    """The small card a shared milestone shows in its post. It copies what the member chose
    to share when they shared it (a label, and a number of days from a counter) and never
    links back to the counter, so the card cannot reveal a start date or a reset."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="milestone")
    label = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=MilestoneKind.choices)
    days = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=MilestoneKind.COUNTER, days__isnull=False)
                | Q(kind=MilestoneKind.MOMENT, days__isnull=True),
                name="milestone_days_only_from_counter",
            )
        ]
        indexes = [models.Index(fields=["-created_at", "-id"], name="milestone_newest")]

    def __str__(self) -> str:
        return f"Milestone of post {self.post_id}"
