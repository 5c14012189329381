"""Turning the rows an engine found into what pages show."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from forum import content_warnings
from forum.models import Post, Status

from .marks import marked
from .types import RESULT_CAP, RelatedStory, SearchHit

# What a result row reads: the post, its topic's title and category, its author's name.
HIT_FIELDS = (
    "id",
    "topic_id",
    "position",
    "status",
    "created_at",
    "author_id",
    "topic__title",
    "topic__category__name",
    "author__username",
    "author__display_name",
    # A warned post's snippet folds as the post does (content_warnings.folds_for).
    "warning_flags",
    "warning_note",
)
RELATED_FIELDS = (
    "id",
    "topic_id",
    "topic__title",
    "topic__reply_count",
    "topic__warning_flags",
    "topic__category__name",
)


def page_count(count: int, per_page: int) -> int:
    return max(1, -(-min(count, RESULT_CAP) // per_page))


def hit(post: Post, *, title_marks: str, snippet: str, reader: User) -> SearchHit:
    warned = content_warnings.is_warned(post.warning_flags, post.warning_note)
    return SearchHit(
        post_id=post.pk,
        topic_id=post.topic_id,
        position=post.position,
        title=marked(title_marks or post.topic.title),
        snippet=marked(snippet),
        category_name=post.topic.category.name,
        author_name=post.author.public_name,
        created_at=post.created_at,
        is_waiting=post.status == Status.PENDING and post.author_id == reader.pk,
        page_number=(post.position - 1) // settings.POSTS_PER_PAGE + 1,
        warning=content_warnings.describe(post.warning_flags, post.warning_note) if warned else "",
        folded=content_warnings.folds_for(reader, post.warning_flags, post.warning_note),
    )


def related(post: Post) -> RelatedStory:
    return RelatedStory(
        topic_id=post.topic_id,
        title=post.topic.title,
        category_name=post.topic.category.name,
        reply_count=post.topic.reply_count,
        warning_flags=post.topic.warning_flags,
    )
