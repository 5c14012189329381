"""A member's profile lists their topics and replies: published ones for every reader, and the
member's own waiting or hidden ones only for them and the moderators (forum/activity.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from forum.models import Post, Topic
from forum.situation import WORDS, Situation
from forum.status import Status
from tests.factories import UserFactory, make_reply, make_topic

STATUSES = [Status.PUBLISHED, Status.PENDING, Status.HIDDEN, Status.REMOVED]


def _set_status(post: Post, status: str) -> None:
    Post.objects.filter(pk=post.pk).update(status=status)
    if post.position == 1:
        Topic.objects.filter(pk=post.topic_id).update(status=status)


@pytest.fixture
def oak(db):
    """Oak, with one topic and one reply in each status, named after it."""
    oak = UserFactory(username="oak")
    host = make_topic(title="Somebody else's story")
    for status in STATUSES:
        _set_status(make_topic(author=oak, title=f"Topic {status}").posts.get(), status)
        _set_status(make_reply(topic=make_topic(title=f"Thread {status}"), author=oak), status)
    # A published reply in a topic that is hidden: nobody but the moderators can open it.
    _set_status(make_reply(topic=host, author=oak), Status.PUBLISHED)
    _set_status(host.posts.get(position=1), Status.HIDDEN)
    return oak


def _listed(client, member, show: str) -> str:
    response = client.get(f"{member.get_absolute_url()}?show={show}")
    assert response.status_code == 200
    return response.content.decode()


VIEWERS = {
    "other member": (lambda: UserFactory(), {Status.PUBLISHED}),
    "author": (None, {Status.PUBLISHED, Status.PENDING, Status.HIDDEN}),
    "moderator": (
        lambda: UserFactory(role="moderator"),
        {Status.PUBLISHED, Status.PENDING, Status.HIDDEN},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_each_reader_sees_only_the_posts_they_may_read(client, oak, viewer_name):
    make_viewer, expected = VIEWERS[viewer_name]
    client.force_login(make_viewer() if make_viewer else oak)
    topics = _listed(client, oak, "topics")
    replies = _listed(client, oak, "replies")
    for status in STATUSES:
        assert (f"Topic {status}" in topics) == (status in expected), (viewer_name, status)
        assert (f"Thread {status}" in replies) == (status in expected), (viewer_name, status)
        # Each list holds only its own kind of post.
        assert f"Thread {status}" not in topics
        assert f"Topic {status}" not in replies
    assert ("Somebody else&#x27;s story" in replies) == (viewer_name == "moderator")


@pytest.mark.django_db
def test_someone_signed_out_is_asked_to_log_in_and_sees_nothing(client, oak):
    response = client.get(oak.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_author_reads_where_a_waiting_post_stands_in_the_situation_words(client):
    newcomer = UserFactory(username="fern", approved_post_count=0)
    topic = make_topic(author=newcomer, title="My first story")
    assert topic.status == Status.PENDING
    client.force_login(newcomer)
    html = _listed(client, newcomer, "topics")
    assert "My first story" in html
    assert escape(WORDS[Situation.WAITING_FIRST_POSTS].author) in html
    assert "Waiting for a moderator" in html
    # Another member finds no trace of it, and is told kindly there is nothing yet.
    client.force_login(UserFactory())
    html = _listed(client, newcomer, "topics")
    assert "My first story" not in html
    assert "Waiting for a moderator" not in html
    assert "fern hasn't shared a story yet." in html


@pytest.mark.django_db
def test_a_hidden_post_tells_its_author_who_can_see_it(client, member):
    _set_status(make_reply(topic=make_topic(title="A hard week"), author=member), Status.HIDDEN)
    client.force_login(member)
    html = _listed(client, member, "replies")
    assert "A hard week" in html
    assert escape(WORDS[Situation.HIDDEN].author) in html


@pytest.mark.django_db
def test_moderators_read_the_moderators_words(client):
    newcomer = UserFactory(approved_post_count=0)
    make_topic(author=newcomer, title="Waiting in the queue")
    client.force_login(UserFactory(role="moderator"))
    html = _listed(client, newcomer, "topics")
    assert "Waiting in the queue" in html
    assert escape(WORDS[Situation.WAITING_FIRST_POSTS].moderator) in html


@pytest.mark.django_db
def test_each_post_links_to_its_place_in_the_thread(client, member, settings):
    settings.POSTS_PER_PAGE = 2
    topic = make_topic(title="A long conversation")
    for _ in range(3):
        make_reply(topic=topic)
    reply = make_reply(topic=topic, author=member)  # position 5: page 3
    client.force_login(UserFactory())
    html = _listed(client, member, "replies")
    assert f'href="/t/{topic.pk}/?page=3#post-{reply.position}"' in html
    assert topic.category.name in html


@pytest.mark.django_db
def test_newest_first_and_paginated_without_losing_the_list(client, member, settings):
    settings.ACTIVITY_PER_PAGE = 2
    for n in range(5):
        make_topic(author=member, title=f"Story number {n}")
    client.force_login(UserFactory())
    first = _listed(client, member, "topics")
    assert first.index("Story number 4") < first.index("Story number 3")
    assert "Story number 2" not in first
    assert "Page 1 of 3" in first
    assert "?show=topics&amp;page=2#activity" in first
    last = client.get(f"{member.get_absolute_url()}?show=topics&page=3").content.decode()
    assert "Story number 0" in last
    assert "Story number 1" not in last


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "landed"),
    [
        ("99", "show=replies&page=3"),
        ("0", "show=replies&page=1"),
        ("-2", "show=replies&page=1"),
        # Not a page number, or a page named another way: the nearest real page, not a 404.
        ("two", "show=replies&page=1"),
        ("1.5", "show=replies&page=1"),
        ("02", "show=replies&page=2"),
    ],
)
def test_a_page_out_of_range_redirects_to_the_nearest_real_page(
    client, member, settings, asked, landed
):
    settings.ACTIVITY_PER_PAGE = 2
    topic = make_topic()
    for _ in range(5):
        make_reply(topic=topic, author=member)
    client.force_login(member)
    response = client.get(f"{member.get_absolute_url()}?show=replies&page={asked}")
    assert response.status_code == 302
    assert response["Location"] == f"{member.get_absolute_url()}?{landed}"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_last_page_and_unknown_lists_answer_without_surprises(client, member, settings):
    settings.ACTIVITY_PER_PAGE = 2
    for n in range(3):
        make_topic(author=member, title=f"Story number {n}")
    client.force_login(member)
    last = client.get(f"{member.get_absolute_url()}?page=last")
    assert last.status_code == 200
    assert "Story number 0" in last.content.decode()
    unknown = client.get(f"{member.get_absolute_url()}?show=drafts")
    assert unknown["Location"] == f"{member.get_absolute_url()}?show=topics&page=1"


@pytest.mark.django_db
def test_kind_empty_states_say_what_is_true(client, member):
    client.force_login(member)
    html = _listed(client, member, "topics")
    assert "You haven't posted yet." in html
    assert 'href="/c/introductions/"' in html
    make_reply(topic=make_topic(), author=member)
    html = _listed(client, member, "topics")
    assert "You haven't started a topic yet." in html
    client.force_login(UserFactory())
    html = _listed(client, member, "topics")
    assert f"{member.username} hasn't started a topic yet." in html


def _count(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm the session and guidelines caches, as any second request would be
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("show", ["topics", "replies"])
def test_the_profile_runs_the_same_queries_with_5_and_50_posts(client, settings, show):
    settings.ACTIVITY_PER_PAGE = 50
    client.force_login(UserFactory())
    counts = []
    for n in (5, 50):
        member = UserFactory()
        for i in range(n):
            topic = make_topic(author=member, title=f"Story {i}")
            make_reply(topic=topic, author=member)
        counts.append(_count(client, f"{member.get_absolute_url()}?show={show}"))
    (small, small_sql), (large, large_sql) = counts
    assert small == large, (small_sql, large_sql)
    assert large <= 6, large_sql
