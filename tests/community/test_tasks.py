"""Moderation tasks through a real Celery worker process and a real Redis broker."""

from __future__ import annotations

import time

import pytest

from accounts.models import Role
from community.models import ReviewItem
from forum.services import create_reply
from tests.factories import UserFactory, make_topic
from tests.harness import celery_worker, private_redis, smtp_sink, wait_until  # noqa: F401

CRISIS_TEXT = "I have been planning how to end my life and I think tonight is the night."
ALERT_DEADLINE_SECONDS = 60


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_at_risk_post_alerts_moderators_by_email_within_a_minute(
    celery_worker,  # noqa: F811
    smtp_sink,  # noqa: F811
    capsys,
):
    moderator = UserFactory(role=Role.MODERATOR, email="moderator@example.test")
    topic = make_topic(title="A title that must stay out of email")
    author = UserFactory()
    start = time.monotonic()
    post = create_reply(author=author, topic=topic, body=CRISIS_TEXT)

    def alerts_arrived():
        return [m for m in smtp_sink.received() if moderator.email in m["To"]]

    # The topic's author is emailed about the reply too; only the moderator's alert counts.
    alerts = wait_until(
        alerts_arrived, timeout=ALERT_DEADLINE_SECONDS, interval=0.01, what="the moderator alert"
    )
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\nat-risk post -> moderator alert email: {elapsed:.2f} s")
    assert elapsed < ALERT_DEADLINE_SECONDS
    assert ReviewItem.objects.get(post=post).at_risk
    raw = alerts[0].as_string()
    assert "end my life" not in raw
    assert topic.title not in raw
    assert author.username not in raw
