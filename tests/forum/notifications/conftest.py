"""Shared fixtures for the notification tests (eager Celery, in-memory mail)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from forum import dispatch
from forum.models import EmailOutbox, NotificationKind, NotificationPreference
from forum.notifications import api
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _publish_directly(settings):
    # These tests are about notifications, not the new-member review queue.
    settings.NEW_MEMBER_REVIEW_POSTS = 0


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run a block and then its after-commit work (dispatch), as a real commit would."""

    class Runner:
        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Runner()


@pytest.fixture
def set_pref():
    """Save a member's notification preferences."""

    def save(user, **values):
        NotificationPreference.objects.update_or_create(user=user, defaults=values)

    return save


@pytest.fixture
def outbox_rows():
    """A member's email outbox rows, optionally of one kind."""

    def rows(user, kind=None):
        found = EmailOutbox.objects.filter(recipient=user)
        return found.filter(kind=kind) if kind else found

    return rows


@pytest.fixture
def held_tasks():
    """A broker that accepts tasks of the given names and runs none of them (the Celery
    boundary): `with held_tasks("forum.deliver_email") as held:` collects their arguments, in
    order; every other task is handed over (run eagerly) as usual."""
    real_publish = dispatch.publish

    class Hold:
        def __init__(self, *names):
            self.names = set(names)
            self.args: list[list[int]] = []
            self._patch = mock.patch.object(dispatch, "publish", side_effect=self._publish)

        def _publish(self, task_name, args, **options):
            if task_name in self.names:
                self.args.append(list(args))
                return True
            return real_publish(task_name, args, **options)

        @property
        def ids(self) -> list[int]:
            return [i for args in self.args for i in args]

        def __enter__(self):
            self._patch.start()
            return self

        def __exit__(self, *exc):
            self._patch.stop()

    return Hold


class CountingBackend(BaseEmailBackend):
    """A mail server in a test: counts connections opened and messages taken, and fails as
    told: `refuse_with` on connecting, `reject_with` on sending (class attributes, reset per
    test by the `mail_server` fixture)."""

    opened = 0
    taken: list = []
    refuse_with: Exception | None = None
    reject_with: Exception | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_open = False

    def open(self):
        if self.is_open:
            return False
        type(self).opened += 1
        if type(self).refuse_with is not None:
            raise type(self).refuse_with
        self.is_open = True
        return True

    def close(self):
        self.is_open = False

    def send_messages(self, messages):
        opened_here = self.open()
        try:
            if type(self).reject_with is not None:
                raise type(self).reject_with
            type(self).taken.extend(messages)
            return len(messages)
        finally:
            if opened_here:
                self.close()


@pytest.fixture
def mail_server(settings):
    """The CountingBackend as the mail backend, reset."""
    CountingBackend.opened = 0
    CountingBackend.taken = []
    CountingBackend.refuse_with = None
    CountingBackend.reject_with = None
    settings.EMAIL_BACKEND = "tests.forum.notifications.conftest.CountingBackend"
    return CountingBackend


@pytest.fixture
def owed_emails(held_tasks, run_on_commit):
    """`n` members, each owed one immediate email (a message from the moderators); returns
    the outbox ids, held back from the broker so the test sends them."""

    def make(n: int) -> list[int]:
        with held_tasks("forum.deliver_email") as broker:
            for member in UserFactory.create_batch(n):
                run_on_commit(
                    api.notify,
                    recipient=member,
                    kind=NotificationKind.MODERATION,
                    event_key=f"test-owed:{member.pk}",
                )
        return broker.ids

    return make
