"""Reading notifications in the site: the inbox, the bell's count, marking read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from forum import services
from forum.models import Notification
from forum.notifications import inbox
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


def test_encouragement_is_in_site_only_by_default_and_grouped(run_on_commit, member, outbox_rows):
    post = run_on_commit(make_topic, author=member).posts.get()
    for sender in UserFactory.create_batch(3):
        run_on_commit(services.set_reaction, user=sender, post=post, kind="hear", on=True)
        run_on_commit(services.set_reaction, user=sender, post=post, kind="proud", on=True)
    assert Notification.objects.filter(recipient=member).count() == 3
    assert not outbox_rows(member).exists()
    items = inbox.inbox(member)
    assert len(items) == 1 and items[0].senders == 3
    assert inbox.unread_count(member) == 1

    client = Client()
    client.force_login(member)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "3 members sent you encouragement" in page


def test_marking_one_encouragement_read_marks_its_whole_group(run_on_commit, member):
    post = run_on_commit(make_topic, author=member).posts.get()
    for sender in UserFactory.create_batch(2):
        run_on_commit(services.set_reaction, user=sender, post=post, kind="hear", on=True)
    [item] = inbox.inbox(member)
    inbox.mark_read(user=member, notification=item.notification)
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert inbox.unread_count(member) == 0
    assert inbox.inbox(member)[0].unread is False


def test_mark_all_read_counts_what_changed(run_on_commit, member):
    topic = run_on_commit(make_topic, author=member)
    run_on_commit(make_reply, topic=topic)
    run_on_commit(make_reply, topic=topic)
    assert inbox.unread_count(member) == 2
    assert inbox.mark_all_read(user=member) == 2
    assert inbox.unread_count(member) == 0
    assert inbox.mark_all_read(user=member) == 0
