"""Reading notifications in the site: the inbox, the bell's count, marking read."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from forum.models import Notification, Status, Topic
from forum.notifications import inbox
from forum.notifications.fan_out import fan_out_reply
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


def test_encouragement_is_in_site_only_by_default_and_grouped(run_on_commit, member, outbox_rows):
    post = run_on_commit(make_topic, author=member).posts.get()
    for sender in UserFactory.create_batch(3):
        run_on_commit(services.set_reaction, user=sender, post=post, kind="hear", on=True)
        # A second kind from the same member does not count them twice.
        run_on_commit(services.set_reaction, user=sender, post=post, kind="proud", on=True)
    [group] = Notification.objects.filter(recipient=member)
    assert group.count == 3 and group.group_key == f"encouragement:{post.pk}"
    assert not outbox_rows(member).exists()
    items = inbox.inbox(member)
    assert len(items) == 1 and items[0].count == 3
    assert inbox.unread_count(member) == 1

    client = Client()
    client.force_login(member)
    page = client.get(reverse("forum:notifications")).content.decode()
    assert "3 members encouraged your story" in page


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
    for topic in (
        run_on_commit(make_topic, author=member),
        run_on_commit(make_topic, author=member),
    ):
        run_on_commit(make_reply, topic=topic)
    assert inbox.unread_count(member) == 2
    assert inbox.mark_all_read(user=member) == 2
    assert inbox.unread_count(member) == 0
    assert inbox.mark_all_read(user=member) == 0


# --- pages -----------------------------------------------------------------------------------


def _groups(member, n: int) -> None:
    """`member` has `n` unread lines, one per topic, each folding two replies."""
    with mock.patch("forum.dispatch.publish"):
        for _ in range(n):
            topic = make_topic(author=member)
            for _ in range(2):
                fan_out_reply(post_id=make_reply(topic=topic).pk)


def _lines(page: str) -> int:
    return page.count('<li class="notification')


def test_the_inbox_shows_twenty_lines_a_page_newest_activity_first(member, member_client):
    _groups(member, 23)
    oldest = Notification.objects.get(recipient=member, topic=Topic.objects.order_by("pk").first())
    # A reply in the oldest topic brings its line back to the top.
    with mock.patch("forum.dispatch.publish"):
        fan_out_reply(post_id=make_reply(topic=oldest.topic).pk)
    first = member_client.get(reverse("forum:notifications")).content.decode()
    assert _lines(first) == 20
    top_line = first.split('<li class="notification')[1]
    assert reverse("forum:notification_open", args=[oldest.pk]) in top_line
    assert "3 new replies in your topic" in top_line
    second = member_client.get(reverse("forum:notifications") + "?page=2").content.decode()
    assert _lines(second) == 3 and 'rel="prev"' in second


def test_inbox_pages_cost_the_same_whatever_the_notifications(member, member_client):
    def queries(n: int, page: int) -> int:
        Notification.objects.filter(recipient=member).delete()
        _groups(member, n)
        member_client.get(reverse("forum:notifications"))  # the bell and banner are cached
        url = reverse("forum:notifications") + f"?page={page}"
        with CaptureQueriesContext(connection) as ctx:
            assert member_client.get(url).status_code == 200
        return len(ctx)

    assert queries(5, 1) == queries(45, 1) == queries(45, 3)


@pytest.mark.parametrize(("asked", "shown"), [("9", 2), ("0", 1), ("many", 1), ("last", None)])
def test_a_page_that_does_not_exist_redirects_to_the_nearest_real_one(
    member, member_client, asked, shown
):
    _groups(member, 21)
    response = member_client.get(reverse("forum:notifications") + f"?page={asked}")
    if shown is None:
        assert response.status_code == 200 and _lines(response.content.decode()) == 1
    else:
        assert response.status_code == 302
        assert response.url == reverse("forum:notifications") + f"?page={shown}"


def test_an_empty_inbox_is_one_kind_page(member_client):
    page = member_client.get(reverse("forum:notifications") + "?page=1").content.decode()
    assert "Nothing new." in page
    response = member_client.get(reverse("forum:notifications") + "?page=2")
    assert response.url == reverse("forum:notifications") + "?page=1"


# --- opening at the first unread reply -------------------------------------------------------


def test_opening_a_group_goes_to_its_first_unread_reply_across_pages(
    run_on_commit, member, member_client, settings
):
    settings.POSTS_PER_PAGE = 5
    topic = run_on_commit(make_topic, author=member)
    for _ in range(6):
        run_on_commit(make_reply, topic=topic)
    inbox.mark_all_read(user=member)
    unread = [run_on_commit(make_reply, topic=topic) for _ in range(4)]
    [group] = Notification.objects.filter(recipient=member, read_at__isnull=True)
    assert group.count == 4
    opened = member_client.post(reverse("forum:notification_open", args=[group.pk]))
    assert opened.url == reverse("forum:post", args=[unread[0].pk])
    # Position 8 of a topic with five posts a page: page two.
    landed = member_client.get(opened.url)
    assert landed.url == f"{topic.get_absolute_url()}?page=2#post-8"


def test_a_hidden_first_reply_opens_the_next_one_still_there(run_on_commit, member, member_client):
    topic = run_on_commit(make_topic, author=member)
    first, second = (run_on_commit(make_reply, topic=topic) for _ in range(2))
    services.set_post_status(post=first, status=Status.HIDDEN)
    [item] = inbox.inbox(member)
    assert item.count == 2
    opened = member_client.post(reverse("forum:notification_open", args=[item.notification.pk]))
    assert opened.url == reverse("forum:post", args=[second.pk])
