"""The busiest pages read the database once per change, not once per visit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import page_reads, services
from forum.models import Category, Status, Topic
from forum.notifications import subscriptions
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


@pytest.fixture
def forum_data(db):
    category = CategoryFactory()
    members = [UserFactory() for _ in range(4)]
    topics = [
        make_topic(category=category, author=members[i % 4], title=f"Story {i}") for i in range(5)
    ]
    for i, topic in enumerate(topics):
        for j in range(i):
            make_reply(topic=topic, author=members[j % 4])
    subscriptions.watch_category(user=members[0], category=category)
    return category, members, topics


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx)


@pytest.mark.django_db
def test_a_thread_page_is_read_once_per_revision(forum_data):
    _, members, topics = forum_data
    reader = members[0]
    topic = page_reads.topic_for(topics[4].pk)
    thread, first = queries(lambda: page_reads.thread_page(topic, page=1, reader=reader))
    assert [row.position for row in thread.rows] == [1, 2, 3, 4, 5]
    assert first == 4  # the posts, their authors, following and muting, what they sent
    again, second = queries(lambda: page_reads.thread_page(topic, page=1, reader=reader))
    assert again == thread and second == 0
    make_reply(topic=topics[4], body="A sixth voice.")
    topic = page_reads.topic_for(topics[4].pk)
    thread, third = queries(lambda: page_reads.thread_page(topic, page=1, reader=reader))
    assert len(thread.rows) == 6 and third == 4


@pytest.mark.django_db
def test_a_thread_page_holds_every_status_for_the_view_to_scope(forum_data):
    _, members, topics = forum_data
    services.set_post_status(post=topics[3].posts.get(position=2), status=Status.HIDDEN)
    topic = page_reads.topic_for(topics[3].pk)
    thread = page_reads.thread_page(topic, page=1, reader=members[0])
    statuses = [row.status for row in thread.rows]
    assert statuses == [Status.PUBLISHED, Status.HIDDEN, Status.PUBLISHED, Status.PUBLISHED]


@pytest.mark.django_db
def test_following_shows_at_once_and_no_topic_is_none(forum_data):
    _, members, topics = forum_data
    reader = UserFactory()
    topic = page_reads.topic_for(topics[3].pk)
    assert page_reads.thread_page(topic, page=1, reader=members[0]).is_followed is True
    assert page_reads.thread_page(topic, page=1, reader=reader).is_followed is False
    subscriptions.follow_topic(user=reader, topic=topic)
    topic = page_reads.topic_for(topics[3].pk)
    assert page_reads.thread_page(topic, page=1, reader=reader).is_followed is True
    assert page_reads.topic_for(10**9) is None
    # Beyond any database integer: the ORM answers "no such row" rather than overflowing.
    assert page_reads.topic_for(10**20) is None


@pytest.mark.django_db
def test_category_rows_are_read_once_per_revision_and_follow_pages(forum_data, settings):
    category, members, _ = forum_data
    settings.TOPICS_PER_PAGE = 2
    cat = page_reads.category_by_slug(category.slug)
    assert page_reads.category_by_slug("no-such-slug") is None
    listing, first = queries(lambda: page_reads.category_page(cat, page=1, reader=members[0]))
    assert "Story 4" in listing.rows and "Story 3" in listing.rows
    assert "Story 2" not in listing.rows
    assert listing.is_watched is True and first == 2
    _, second = queries(lambda: page_reads.category_page(cat, page=1, reader=members[0]))
    assert second == 0
    assert "Story 2" in page_reads.category_page(cat, page=2, reader=members[0]).rows
    assert page_reads.category_page(cat, page=1, reader=members[1]).is_watched is False
    subscriptions.watch_category(user=members[1], category=cat)
    cat = page_reads.category_by_slug(category.slug)
    assert page_reads.category_page(cat, page=1, reader=members[1]).is_watched is True


@pytest.mark.django_db
def test_latest_rows_follow_any_categorys_revision(forum_data):
    categories = page_reads.categories()
    html, first = queries(lambda: page_reads.latest_rows(categories))
    assert first == 1 and "Story 4" in html
    _, second = queries(lambda: page_reads.latest_rows(categories))
    assert second == 0
    make_topic(category=CategoryFactory(), title="Fresh start")
    assert "Fresh start" in page_reads.latest_rows(page_reads.categories())


@pytest.mark.django_db
def test_encouragement_sent_is_the_readers_own(forum_data):
    _, members, topics = forum_data
    post = topics[2].posts.get(position=2)
    services.set_reaction(user=members[3], post=post, kind="hear", on=True)
    topic = page_reads.topic_for(topics[2].pk)
    assert page_reads.thread_page(topic, page=1, reader=members[3]).sent == frozenset(
        {(post.pk, "hear")}
    )
    assert page_reads.thread_page(topic, page=1, reader=members[2]).sent == frozenset()


@pytest.mark.django_db
def test_every_change_a_page_shows_bumps_its_revisions(forum_data, member):
    category, _, topics = forum_data
    topic = topics[1]

    def revisions():
        t = Topic.objects.get(pk=topic.pk)
        return t.revision, Category.objects.get(pk=category.pk).revision

    changes = {
        "reply": lambda: make_reply(topic=topic),
        "edit": lambda: services.edit_post(
            editor=topic.author, post=topic.posts.get(position=1), body="New words."
        ),
        "title": lambda: services.edit_post(
            editor=topic.author, post=topic.posts.get(position=1), body="New words.", title="T"
        ),
        "encourage": lambda: services.set_reaction(
            user=member, post=topic.posts.get(position=2), kind="hear", on=True
        ),
        "take back": lambda: services.set_reaction(
            user=member, post=topic.posts.get(position=2), kind="hear", on=False
        ),
        "hide": lambda: services.set_post_status(
            post=topic.posts.get(position=2), status=Status.HIDDEN
        ),
        "lock": lambda: services.set_topic_locked(topic=topic, locked=True),
        "delete": lambda: services.delete_post(user=topic.author, post=topic.posts.get(position=1)),
        "follow": lambda: subscriptions.follow_topic(user=member, topic=topic),
        "unfollow": lambda: subscriptions.unfollow_topic(user=member, topic=topic),
    }
    listed = {"reply", "title", "hide", "lock", "delete"}
    for name, change in changes.items():
        topic_before, category_before = revisions()
        change()
        topic_after, category_after = revisions()
        assert topic_after > topic_before, name
        if name in listed:
            assert category_after > category_before, name
