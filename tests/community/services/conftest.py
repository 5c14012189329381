"""Fixtures for the community services: a reported post and ways to report and read notes."""

from __future__ import annotations

import pytest
from celery.canvas import Signature

from community import services
from community.models import ReportReason, ReviewItem
from forum.models import Notification
from tests.factories import established_member, make_reply, make_topic


@pytest.fixture
def reported_post(db):
    topic = make_topic(body="My opening words.")
    return make_reply(topic=topic, body="A reply someone might report.")


@pytest.fixture
def file_report(db):
    """Report a post as `reporter` (by default a member of a month's standing, whose report
    weighs in full towards hiding) through the service."""

    def file_report(post, reporter=None, reason=ReportReason.UNSUPPORTIVE, note=""):
        return services.report_post(
            reporter=reporter or established_member(), post=post, reason=reason, note=note
        )

    return file_report


@pytest.fixture
def notes_for():
    """The in-site notifications of one kind a member has."""

    def notes_for(user, kind):
        return list(Notification.objects.filter(recipient=user, kind=kind))

    return notes_for


@pytest.fixture
def reported_item(file_report, django_capture_on_commit_callbacks):
    """The review item of `post` once each of `reporters` reported it (tasks run on commit)."""

    def reported_item(post, reporters):
        with django_capture_on_commit_callbacks(execute=True):
            for reporter in reporters:
                file_report(post, reporter=reporter)
        return ReviewItem.objects.get(post=post)

    return reported_item


@pytest.fixture
def sent_to_broker(monkeypatch):
    """Tasks handed to Celery, as (name, args), instead of running them (the Celery boundary)."""
    sent = []

    def apply_async(signature, *args, **kwargs):
        sent.append((signature.task, tuple(signature.args)))

    monkeypatch.setattr(Signature, "apply_async", apply_async)
    return sent
