"""Moderators add or change a post's content warnings: logged, and the author is told."""

from __future__ import annotations

import pytest

from community import services
from community.models import ModerationAction, ModerationLog
from forum.content_warnings import ContentWarning
from forum.models import Notification, NotificationKind
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db


def test_a_change_is_logged_and_the_author_is_told(moderator):
    author = UserFactory()
    topic = make_topic(author=author)
    post = topic.posts.get()
    log = services.set_post_warnings(
        moderator=moderator,
        post=post,
        warning_flags=ContentWarning.SUICIDE_SELF_HARM,
        warning_note="Past tense",
        explanation="Added so readers can choose.",
    )
    assert log is not None
    assert ModerationLog.objects.get() == log
    assert log.action == ModerationAction.SET_WARNINGS
    assert log.actor == moderator and log.target_user == author and log.post == post
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.warning_flags == topic.warning_flags == ContentWarning.SUICIDE_SELF_HARM
    assert post.warning_note == "Past tense"
    told = Notification.objects.get(recipient=author, kind=NotificationKind.MODERATION)
    assert "changed the content warnings" in told.message
    assert "ask for a review" not in told.message


def test_no_change_writes_no_log(moderator):
    post = make_topic().posts.get()
    kwargs = {"moderator": moderator, "post": post, "warning_flags": 0, "warning_note": ""}
    assert services.set_post_warnings(**kwargs, explanation="") is None
    assert not ModerationLog.objects.exists()
