"""The benchmark data set: right shape, consistent counters, same result every time."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from forum import rendering
from forum.management.commands.seed_bench import BENCH_CATEGORY_SLUG, BENCH_PASSWORD
from forum.models import Category, Post, Topic

SIZES = {"topics": 30, "long_posts": 45, "members": 7}

pytestmark = pytest.mark.django_db


def seed(**sizes) -> None:
    call_command("seed_bench", **{**SIZES, **sizes}, stdout=io.StringIO())


def _long_topic() -> Topic:
    return Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).get(
        last_position=SIZES["long_posts"]
    )


def _picture() -> tuple[list, list, list]:
    """Everything the data set says, without database ids (they differ between runs)."""
    topics = list(
        Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG)
        .order_by("created_at", "title")
        .values_list(
            "title",
            "author__username",
            "created_at",
            "last_activity_at",
            "last_poster__username",
            "reply_count",
            "last_position",
            "status",
        )
    )
    posts = list(
        Post.objects.filter(topic__category__slug=BENCH_CATEGORY_SLUG)
        .order_by("topic__created_at", "position")
        .values_list("topic__title", "position", "author__username", "body", "body_html")
    )
    members = list(
        User.objects.filter(username__startswith="bench_")
        .order_by("username")
        .values_list("username", "email", "password")
    )
    return topics, posts, members


def test_counts_match_the_requested_sizes():
    seed()

    category = Category.objects.get(slug=BENCH_CATEGORY_SLUG)
    assert category.topics.count() == 30
    assert Post.objects.filter(topic__category=category).count() == 30 + 44
    assert User.objects.filter(username__startswith="bench_").count() == 7
    assert category.topic_count == 30
    assert category.post_count == 30 + 44


def test_long_topic_positions_and_counters_are_consistent():
    seed()

    long_topic = _long_topic()
    posts = list(long_topic.posts.order_by("position"))
    assert [p.position for p in posts] == list(range(1, 46))
    assert long_topic.reply_count == 44
    assert long_topic.page_count == 3
    assert long_topic.last_poster_id == posts[-1].author_id
    assert long_topic.last_activity_at == posts[-1].created_at
    assert posts[0].author_id == long_topic.author_id
    # Replies come from the whole crowd, not one member.
    assert len({p.author_id for p in posts}) == 7


def test_every_other_topic_is_one_published_opening_post():
    seed()

    others = Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).exclude(pk=_long_topic().pk)
    assert others.count() == 29
    for topic in others:
        (post,) = topic.posts.all()
        assert post.position == 1
        assert post.status == "published"
        assert post.author_id == topic.author_id == topic.last_poster_id
        assert topic.reply_count == 0
        assert topic.last_position == 1
        assert topic.last_activity_at == topic.created_at == post.created_at
    category = Category.objects.get(slug=BENCH_CATEGORY_SLUG)
    assert category.last_activity_at == max(
        t.last_activity_at for t in Topic.objects.filter(category=category)
    )


def test_stored_html_is_what_rendering_produces_for_each_body():
    seed()

    for post in Post.objects.filter(topic__category__slug=BENCH_CATEGORY_SLUG):
        assert post.body_html == rendering.render_markdown(post.body)


def test_members_are_verified_and_can_sign_in():
    seed()

    member = User.objects.get(username="bench_0000")
    assert member.check_password(BENCH_PASSWORD)
    assert EmailAddress.objects.filter(user=member, verified=True, primary=True).exists()


def test_the_same_data_set_every_time_and_no_duplicates():
    seed()
    first = _picture()
    seed()

    assert _picture() == first
    assert Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).count() == 30
    assert Category.objects.filter(slug=BENCH_CATEGORY_SLUG).count() == 1


def test_last_page_of_the_long_topic_shows_its_last_posts(client):
    seed()
    client.force_login(User.objects.get(username="bench_0001"))

    response = client.get(f"/t/{_long_topic().pk}/?page=last")

    assert response.status_code == 200
    assert b'id="post-45"' in response.content
    assert b'id="post-41"' in response.content
    assert b'id="post-40"' not in response.content


def test_sizes_below_one_are_refused():
    with pytest.raises(CommandError):
        seed(topics=0)
