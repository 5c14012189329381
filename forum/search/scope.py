"""What a reader's search may find, from forum.querysets' own rules."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from forum.models import Post, Status, Topic
from forum.querysets import PostQuerySet

from .words import key_words


def _shown(reader: User) -> Q:
    return Q(status=Status.PUBLISHED) | Q(status=Status.PENDING, author_id=reader.pk)


def searchable_by(reader: User) -> PostQuerySet:
    """Posts `reader` may open (forum.querysets.PostQuerySet.open_to) that a search shows:
    published ones, and the reader's own still waiting for a moderator. Hidden, removed and
    deleted posts are never found, not even by moderators (they have the queue for those).

    Topics are checked the scanning way (PostQuerySet.outside_topics_hidden_from): a search
    reads up to a thousand matches, and looking up each one's topic cost more than the
    index scan itself at a million posts (docs/benchmarks.md)."""
    return Post.objects.open_to(reader, scanning=True).filter(_shown(reader))


def filtered(posts: PostQuerySet, *, category_slug: str, author_username: str) -> PostQuerySet:
    if category_slug:
        posts = posts.filter(topic__category__slug=category_slug)
    if author_username:
        posts = posts.filter(author__username__iexact=author_username)
    return posts


def listed_openings() -> PostQuerySet:
    """Opening posts of published topics: what "stories like yours" may suggest to anyone."""
    return Post.objects.filter(position=1, status=Status.PUBLISHED, topic__status=Status.PUBLISHED)


def story_words(topic: Topic) -> list[str]:
    """The words "stories like yours" looks for: the ones stored with the story, or for a
    story written before they were stored, worked out from its opening post."""
    if topic.search_words:
        return topic.search_words.split()
    opening = Post.objects.filter(topic=topic, position=1).values_list("body", flat=True)
    return key_words(topic.title, next(iter(opening), ""))
