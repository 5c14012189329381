"""Review items for the queue tests: new members' waiting posts and reported posts."""

from __future__ import annotations

from community import services
from community.models import ReportReason, ReviewItem
from forum.models import Topic
from tests.factories import UserFactory, make_reply, make_topic


def waiting_item(*, topic: Topic | None = None, body: str = "My first post here.") -> ReviewItem:
    """A new member's reply, waiting for approval, with its open review item."""
    post = make_reply(
        topic=topic or make_topic(), author=UserFactory(approved_post_count=0), body=body
    )
    item = services.review_new_post(post_id=post.pk)
    assert item is not None
    return item


def reported_item(
    *, topic: Topic | None = None, body: str = "Words someone reported."
) -> ReviewItem:
    """An established member's published reply, reported once, with its open review item."""
    post = make_reply(topic=topic or make_topic(), body=body)
    report = services.report_post(
        reporter=UserFactory(), post=post, reason=ReportReason.UNSUPPORTIVE
    )
    item = services.fold_report(report_id=report.pk)
    assert item is not None
    return item
