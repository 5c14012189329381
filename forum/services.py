"""Writing to the forum. Each service owns its transaction and returns what it changed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User

from . import content_warnings, dispatch, rendering, screening, search
from .models import (
    Category,
    Milestone,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    Status,
    Topic,
    count_field,
)
from .notifications import api as notifications

# What every change to a topic's pages writes with its other changes, in the same UPDATE: a
# new revision makes every cached page of the topic (forum.page_reads) a new key.
NEW_REVISION = F("revision") + 1


class ForumError(Exception):
    """A rule that spans rows refused the change; the message is safe to show the member."""


def _render(body: str) -> str:
    mentioned = rendering.find_mentions(body)
    if not mentioned:
        return rendering.render_markdown(body)
    existing = {
        name.lower(): name
        for name in get_user_model()
        .objects.filter(username__in=mentioned, is_active=True)
        .values_list("username", flat=True)
    }
    # Only members who exist become links; unknown @words stay plain text.
    exact = {
        name: f"/u/{existing[name.lower()]}/" for name in mentioned if name.lower() in existing
    }
    return rendering.render_markdown(body, mention_url=exact.get)


def preview_html(*, body: str) -> str:
    """The sanitized HTML `body` would be stored as, mentions linked; nothing is written."""
    return _render(body)


# Community's task, named (never imported): it opens the review item and alerts moderators.
REVIEW_NEW_POST_TASK = "community.review_new_post"
# A post that is gone (deleted by its author, or removed) has nothing left to review: the
# community closes its open review item, logged.
CLOSE_REVIEW_ITEMS_TASK = "community.close_items_for_post"


def needs_review(author: User) -> bool:
    """New members' first posts wait for a moderator; peer specialists and moderators don't."""
    return (
        author.role == Role.MEMBER
        and not author.is_superuser
        and author.approved_post_count < settings.NEW_MEMBER_REVIEW_POSTS
    )


def _count_direct_publish(author: User) -> None:
    # Only while it still matters: established members' posts cost no extra write.
    if author.approved_post_count < settings.NEW_MEMBER_REVIEW_POSTS:
        User.objects.filter(pk=author.pk).update(approved_post_count=F("approved_post_count") + 1)


def _request_review(post: Post) -> None:
    """After commit, community opens a review item for a waiting or at-risk post."""
    if post.status != Status.PENDING and not post.crisis_language:
        return
    # The post row says it needs review; community's sweeper picks it up if this is lost.
    dispatch.publish_after_commit(REVIEW_NEW_POST_TASK, post.pk)


def _submitted(author: User, token: UUID | None) -> Post | None:
    """The post `author` already wrote from the form that carried `token`, if any."""
    return Post.objects.submitted_by(author, token).first()


def _already_submitted(author: User, token: UUID | None, error: IntegrityError) -> Post:
    """The post a concurrent submission of the same form wrote; any other conflict is raised."""
    existing = _submitted(author, token)
    if existing is None:
        raise error
    return existing


@transaction.atomic
def create_topic(
    *,
    author: User,
    category: Category,
    title: str,
    body: str,
    submission_token: UUID | None = None,
    warning_flags: int = 0,
    warning_note: str = "",
) -> Topic:
    """A new topic exists in `category` with `body` as its opening post: published, or
    waiting for a moderator (a new member's first posts); counters count it once published.
    The same `submission_token` again returns that topic and changes nothing."""
    existing = _submitted(author, submission_token)
    if existing is not None:
        return existing.topic
    now = timezone.now()
    status = Status.PENDING if needs_review(author) else Status.PUBLISHED
    try:
        # A savepoint: when the same form arrives twice at once, the second insert of the
        # opening post waits for the first and then fails, and its topic row goes with it.
        with transaction.atomic():
            topic = Topic.objects.create(
                category=category,
                author=author,
                title=title.strip(),
                status=status,
                created_at=now,
                last_activity_at=now,
                last_poster=author,
                last_position=1,
                search_words=search.story_words(title, body),
                warning_flags=warning_flags,
            )
            post = Post.objects.create(
                topic=topic,
                author=author,
                position=1,
                body=body,
                body_html=_render(body),
                status=status,
                crisis_language=screening.is_crisis_language(f"{title}\n{body}"),
                created_at=now,
                submission_token=submission_token,
                warning_flags=warning_flags,
                warning_note=warning_note.strip(),
            )
    except IntegrityError as error:
        return _already_submitted(author, submission_token, error).topic
    search.index_posts([post.pk])
    # Ready before the author lands on the topic (and before anyone else reads it).
    search.refresh_related_stories(topic)
    if status == Status.PUBLISHED:
        Category.objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + 1,
            post_count=F("post_count") + 1,
            last_activity_at=now,
            revision=NEW_REVISION,
        )
        _count_direct_publish(author)
    _request_review(post)
    notifications.auto_follow(user=author, topic=topic)
    notifications.schedule_fan_out(post=post)
    return topic


@transaction.atomic
def create_reply(
    *,
    author: User,
    topic: Topic,
    body: str,
    submission_token: UUID | None = None,
    warning_flags: int = 0,
    warning_note: str = "",
) -> Post:
    """A new reply is the last post of `topic`: published and counted, or waiting for a
    moderator (a new member's first posts) and counted only once approved. The same
    `submission_token` again returns that reply and changes nothing."""
    # The row lock serialises position numbers per topic; other topics are not blocked.
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    # Read after the lock: a concurrent submission of the same form has committed by now.
    existing = _submitted(author, submission_token)
    if existing is not None:
        return existing
    if locked.is_locked:
        raise ForumError("This topic is closed to new replies.")
    if locked.status != Status.PUBLISHED:
        raise ForumError("This topic is not open for replies right now.")
    now = timezone.now()
    position = locked.last_position + 1
    status = Status.PENDING if needs_review(author) else Status.PUBLISHED
    try:
        # A savepoint, for a token reused on another topic while its first use is in flight.
        with transaction.atomic():
            post = Post.objects.create(
                topic=locked,
                author=author,
                position=position,
                body=body,
                body_html=_render(body),
                status=status,
                crisis_language=screening.is_crisis_language(body),
                created_at=now,
                submission_token=submission_token,
                warning_flags=warning_flags,
                warning_note=warning_note.strip(),
            )
    except IntegrityError as error:
        return _already_submitted(author, submission_token, error)
    search.index_posts([post.pk])
    if status == Status.PUBLISHED:
        Topic.objects.filter(pk=locked.pk).update(
            last_position=position,
            reply_count=F("reply_count") + 1,
            last_activity_at=now,
            last_poster=author,
            revision=NEW_REVISION,
        )
        Category.objects.filter(pk=locked.category_id).update(
            post_count=F("post_count") + 1, last_activity_at=now, revision=NEW_REVISION
        )
        _count_direct_publish(author)
    else:
        # The position is taken now; the counters and last activity change when approved.
        Topic.objects.filter(pk=locked.pk).update(last_position=position, revision=NEW_REVISION)
    _request_review(post)
    notifications.auto_follow(user=author, topic=locked)
    notifications.schedule_fan_out(post=post)
    topic.last_position = position
    return post


@transaction.atomic
def edit_post(
    *,
    editor: User,
    post: Post,
    body: str,
    title: str | None = None,
    reason: str = "",
    warning_flags: int | None = None,
    warning_note: str | None = None,
) -> Post:
    """`post` shows `body` (and the topic `title`, for an opening post) with the given content
    warnings (unchanged when None); the old text is kept."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.status == Status.DELETED:
        raise ForumError("This post was removed, so it can't be edited.")
    topic = post.topic
    new_title = title.strip() if (title is not None and post.is_opening_post) else topic.title
    if warning_flags is not None or warning_note is not None:
        _set_warnings(
            post=post,
            flags=post.warning_flags if warning_flags is None else warning_flags,
            note=post.warning_note if warning_note is None else warning_note,
        )
    if body == post.body and new_title == topic.title:
        return post
    PostRevision.objects.create(
        post=post,
        editor=editor,
        title=topic.title if post.is_opening_post else "",
        body=post.body,
        reason=reason,
    )
    post.body = body
    post.body_html = _render(body)
    post.edited_at = timezone.now()
    post.edit_count = F("edit_count") + 1
    post.save(update_fields=["body", "body_html", "edited_at", "edit_count"])
    if not post.crisis_language and screening.is_crisis_language(f"{new_title}\n{body}"):
        post.crisis_language = True
        post.save(update_fields=["crisis_language"])
        _request_review(post)
    topic_changes: dict[str, Any] = {"revision": NEW_REVISION}
    if post.is_opening_post:
        topic_changes["search_words"] = search.story_words(new_title, body)
    if new_title != topic.title:
        topic_changes["title"] = new_title
        Category.objects.filter(pk=topic.category_id).update(revision=NEW_REVISION)
        # Other topics' "stories like yours" show this title.
        search.listing_changed_after_commit()
    Topic.objects.filter(pk=topic.pk).update(**topic_changes)
    # After the title is written: an opening post's search vector holds it.
    search.index_posts([post.pk])
    if post.is_opening_post:
        topic.refresh_from_db(fields=["title", "search_words"])
        search.refresh_related_stories(topic)
    post.refresh_from_db()
    return post


def _set_warnings(*, post: Post, flags: int, note: str) -> bool:
    """`post` (locked by the caller) carries `flags` and `note`; its pages, and for an opening
    post its topic's lists, are new keys. Returns whether anything changed."""
    note = note.strip()
    if flags == post.warning_flags and note == post.warning_note:
        return False
    post.warning_flags = flags
    post.warning_note = note
    post.save(update_fields=["warning_flags", "warning_note"])
    if post.is_opening_post:
        Topic.objects.filter(pk=post.topic_id).update(warning_flags=flags, revision=NEW_REVISION)
        # Lists leave out topics some readers hide, so they are keyed by the category.
        Category.objects.filter(pk=post.topic.category_id).update(revision=NEW_REVISION)
    else:
        Topic.objects.filter(pk=post.topic_id).update(revision=NEW_REVISION)
    return True


@transaction.atomic
def set_post_warnings(*, post: Post, warning_flags: int, warning_note: str) -> bool:
    """`post` carries exactly these content warnings; returns whether they changed."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.status == Status.DELETED:
        raise ForumError("This post was removed, so it has no warnings to change.")
    return _set_warnings(post=post, flags=warning_flags, note=warning_note)


@transaction.atomic
def delete_post(*, user: User, post: Post) -> Post:
    """`post` is a "removed by its author" placeholder; its text and history are gone."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.status == Status.DELETED:
        return post
    was_published = post.status == Status.PUBLISHED
    # Stories are health information: deleting erases the words, not just hides them.
    post.revisions.all().delete()
    post.status = Status.DELETED
    post.body = ""
    post.body_html = ""
    post.save(update_fields=["status", "body", "body_html"])
    # The erased words leave the search index too, not only the page.
    search.index_posts([post.pk])
    if post.is_opening_post:
        search.listing_changed_after_commit()
    dispatch.publish_after_commit(CLOSE_REVIEW_ITEMS_TASK, post.pk)
    topic_changes: dict[str, Any] = {"revision": NEW_REVISION}
    if was_published:
        # The opening post counts in the category's posts too (create_topic counted it), but
        # never in the topic's replies.
        if not post.is_opening_post:
            topic_changes["reply_count"] = F("reply_count") - 1
        Category.objects.filter(pk=post.topic.category_id).update(
            post_count=F("post_count") - 1, revision=NEW_REVISION
        )
    Topic.objects.filter(pk=post.topic_id).update(**topic_changes)
    return post


@transaction.atomic
def set_post_status(*, post: Post, status: str) -> Post:
    """`post` has `status`; topic and category counters count it exactly while it is published,
    and a post approved from waiting counts as the topic's latest activity, now."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    old = post.status
    if old == status:
        return post
    if old == Status.DELETED:
        raise ForumError("This post was removed by its author.")
    post.status = status
    post.save(update_fields=["status"])
    if status == Status.REMOVED:
        dispatch.publish_after_commit(CLOSE_REVIEW_ITEMS_TASK, post.pk)
    now = timezone.now()
    delta = (status == Status.PUBLISHED) - (old == Status.PUBLISHED)
    approved = old == Status.PENDING and status == Status.PUBLISHED
    topic_changes: dict[str, Any] = {"revision": NEW_REVISION}
    category_changes: dict[str, Any] = {"revision": NEW_REVISION}
    if approved:
        topic_changes.update(last_activity_at=now, last_poster_id=post.author_id)
        category_changes["last_activity_at"] = now
        User.objects.filter(pk=post.author_id).update(
            approved_post_count=F("approved_post_count") + 1
        )
    if post.is_opening_post:
        # A topic is listed exactly while its opening post is published.
        topic_changes["status"] = status
        # Searches filter by status as they run; cached suggestions need a new version.
        search.listing_changed_after_commit()
        if delta:
            category_changes.update(
                topic_count=F("topic_count") + delta, post_count=F("post_count") + delta
            )
    elif delta:
        topic_changes["reply_count"] = F("reply_count") + delta
        category_changes["post_count"] = F("post_count") + delta
    Topic.objects.filter(pk=post.topic_id).update(**topic_changes)
    Category.objects.filter(pk=post.topic.category_id).update(**category_changes)
    if approved:
        # Followers hear about a waiting post only once a moderator approves it.
        notifications.schedule_fan_out(post=post)
    return post


@transaction.atomic
def set_topic_locked(*, topic: Topic, locked: bool) -> Topic:
    """`topic` is closed to new replies exactly when `locked`."""
    Topic.objects.filter(pk=topic.pk).update(is_locked=locked, revision=NEW_REVISION)
    # Lists show a "Closed" badge.
    Category.objects.filter(pk=topic.category_id).update(revision=NEW_REVISION)
    topic.is_locked = locked
    return topic


def set_reaction(*, user: User, post: Post, kind: str, on: bool) -> bool:
    """`user` has sent `kind` on `post` exactly when `on`, and the post's count of `kind`
    says how many members have; returns whether anything changed."""
    if kind not in ReactionKind.values:
        raise ForumError("That kind of encouragement doesn't exist.")
    counter = count_field(kind)
    try:
        with transaction.atomic():
            if on:
                Reaction.objects.create(post=post, user=user, kind=kind)
                delta = 1
            else:
                deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
                if not deleted:
                    return False
                delta = -1
            Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + delta})
            Topic.objects.filter(pk=post.topic_id).update(revision=NEW_REVISION)
            if on:
                notifications.notify_encouragement(post=post, sender=user)
    except IntegrityError:
        # Already sent (a double click or a second tab): at most one of each kind.
        return False
    return True


def set_content_warning_choices(*, user: User, choices: dict[int, str]) -> User:
    """`user` sees posts carrying each warning as `choices` says (show, fold or hide from
    lists; any warning left out folds). Pages are keyed by these choices, so nothing cached
    needs to change."""
    shown = sum(bit for bit, choice in choices.items() if choice == content_warnings.Choice.SHOW)
    hidden = sum(bit for bit, choice in choices.items() if choice == content_warnings.Choice.HIDE)
    User.objects.filter(pk=user.pk).update(
        content_warnings_shown=shown, content_warnings_hidden=hidden
    )
    user.content_warnings_shown = shown
    user.content_warnings_hidden = hidden
    return user


# What a post erased at its author's request says instead (community.services.leaving).
ERASED_BY_LEAVING = "This post was removed by its author when they left."
ERASED_TITLE = "A topic from a former member"


@transaction.atomic
def erase_posts_of(*, author: User) -> int:
    """Every post `author` wrote says ERASED_BY_LEAVING (an opening post's topic is titled
    ERASED_TITLE) and its history is gone; the threads, their order and the replies quoting
    them stay. Returns how many posts changed; running it again changes none."""
    posts = Post.objects.select_for_update().filter(author=author).exclude(body=ERASED_BY_LEAVING)
    topic_ids = set()
    opened = set()
    erased = []
    for post in posts:
        post.revisions.all().delete()
        post.body = ERASED_BY_LEAVING
        post.body_html = rendering.render_markdown(ERASED_BY_LEAVING)
        # The warning's note and a milestone card are the author's words too.
        post.warning_note = ""
        post.save(update_fields=["body", "body_html", "warning_note"])
        topic_ids.add(post.topic_id)
        if post.is_opening_post:
            opened.add(post.topic_id)
        erased.append(post.pk)
    changed = len(erased)
    Milestone.objects.filter(post_id__in=erased).delete()
    # Titles are the author's words too; the rename shows in lists, so categories move on. The
    # story's key words ("stories like yours") and the search index forget them as well.
    Topic.objects.filter(pk__in=opened).update(title=ERASED_TITLE, search_words="")
    search.index_posts(erased)
    if opened:
        search.listing_changed_after_commit()
    Topic.objects.filter(pk__in=topic_ids).update(revision=NEW_REVISION)
    category_ids = Topic.objects.filter(pk__in=opened).values_list("category_id", flat=True)
    Category.objects.filter(pk__in=list(category_ids)).update(revision=NEW_REVISION)
    return changed
