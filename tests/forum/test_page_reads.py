"""The compiled reads of the busiest pages agree with the querysets they stand for."""

import pytest
from django.db.models import Count, Q

from forum import page_reads, services
from forum.models import Category, Post, Reaction, Topic
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
    Topic.objects.filter(pk=topics[1].pk).update(status="hidden")
    Topic.objects.filter(pk=topics[2].pk).update(status="pending")
    subscriptions.watch_category(user=members[0], category=category)
    return category, members, topics


def _ids(rows):
    return [row.pk for row in rows]


def test_categories_and_latest(forum_data):
    assert _ids(page_reads.categories()) == _ids(Category.objects.all())
    latest = page_reads.latest_topics()
    assert _ids(latest) == _ids(Topic.objects.listed()[: page_reads.LATEST_COUNT])
    assert all(t.category.name and t.last_poster.username for t in latest)


def test_category_for_knows_who_watches(forum_data):
    category, members, _ = forum_data
    assert page_reads.category_for(category.slug, user_id=members[0].pk).is_watched is True
    assert page_reads.category_for(category.slug, user_id=members[1].pk).is_watched is False
    assert page_reads.category_for("no-such-slug", user_id=members[0].pk) is None


@pytest.mark.parametrize(("start", "count"), [(0, 2), (2, 2), (0, 10), (9, 5)])
def test_category_topics_are_the_listed_ones_in_order(forum_data, start, count):
    category, _, _ = forum_data
    expected = Topic.objects.listed().filter(category=category)[start : start + count]
    assert _ids(page_reads.category_topics(category.pk, start=start, count=count)) == _ids(expected)


def test_topic_for_reads_any_status_with_follow_state(forum_data):
    _, members, topics = forum_data
    hidden = page_reads.topic_for(topics[1].pk, user_id=members[1].pk)
    assert hidden.status == "hidden" and hidden.category.pk == topics[1].category_id
    # Replying follows a topic: member 0 replied to topic 3, a newcomer did not.
    assert page_reads.topic_for(topics[3].pk, user_id=members[0].pk).is_followed is True
    assert page_reads.topic_for(topics[3].pk, user_id=UserFactory().pk).is_followed is False
    assert page_reads.topic_for(10**9, user_id=members[0].pk) is None


def test_thread_posts_are_a_position_range_of_every_status(forum_data):
    _, _, topics = forum_data
    topic = topics[4]
    Post.objects.filter(topic=topic, position=3).update(status="pending")
    posts = page_reads.thread_posts(topic.pk, first=2, count=3)
    assert [p.position for p in posts] == [2, 3, 4]
    assert [p.status for p in posts] == ["published", "pending", "published"]
    assert all(p.author.username for p in posts)


def test_thread_reactions_count_and_mark_the_readers_own(forum_data):
    _, members, topics = forum_data
    topic = topics[4]
    posts = list(topic.posts.order_by("position"))
    reader = UserFactory()
    services.set_reaction(user=reader, post=posts[0], kind="hear", on=True)
    services.set_reaction(user=members[3], post=posts[0], kind="hear", on=True)
    services.set_reaction(user=members[3], post=posts[2], kind="proud", on=True)
    found = page_reads.thread_reactions(topic.pk, first=1, count=2, user_id=reader.pk)
    assert found == {(posts[0].pk, "hear"): (2, True)}
    expected = {
        (r["post_id"], r["kind"]): (r["n"], bool(r["mine"]))
        for r in Reaction.objects.filter(post__topic=topic)
        .values("post_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=members[3].pk)))
    }
    assert page_reads.thread_reactions(topic.pk, first=1, count=20, user_id=members[3].pk) == (
        expected
    )
