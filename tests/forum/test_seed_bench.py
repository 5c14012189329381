"""The benchmark data set: right shape, consistent counters, same result every time."""

from __future__ import annotations

import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max, Q, Sum

from accounts.models import User
from forum import rendering
from forum.management.bench_data.rows import count_field
from forum.management.bench_data.shape import BENCH_CATEGORY_SLUG, BENCH_PASSWORD
from forum.models import Category, Post, Reaction, ReactionKind, Topic

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


# --- a scaled-down large shape: replies spread, topics spread over categories ---------------

SPREAD = {"topics": 40, "posts": 250, "long_posts": 45, "members": 9, "category_topics": 16}


def _assert_counters_consistent() -> None:
    """Every denormalized counter agrees with the rows it counts."""
    for topic in Topic.objects.annotate(
        n=Count("posts"), last_at=Max("posts__created_at"), top=Max("posts__position")
    ):
        positions = list(topic.posts.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, topic.n + 1)), topic
        assert topic.last_position == topic.top == topic.n
        assert topic.reply_count == topic.n - 1
        assert topic.last_activity_at == topic.last_at
        last = topic.posts.get(position=topic.last_position)
        assert topic.last_poster_id == last.author_id
    for category in Category.objects.all():
        topics = Topic.objects.filter(category=category, status="published")
        assert category.topic_count == topics.count(), category
        assert category.post_count == Post.objects.filter(topic__in=topics).count(), category
        if topics.exists():
            assert category.last_activity_at == topics.aggregate(m=Max("last_activity_at"))["m"]
    for member in User.objects.filter(username__startswith="bench_").annotate(n=Count("posts")):
        assert member.approved_post_count == member.n, member
    kinds = [kind.value for kind in ReactionKind]
    counted = [k for k in kinds if count_field(k)]
    for post in Post.objects.annotate(
        **{f"sent_{k}": Count("reactions", filter=Q(reactions__kind=k)) for k in counted}
    ):
        for kind in counted:
            assert getattr(post, f"{kind}_count") == getattr(post, f"sent_{kind}"), post


def test_spread_shape_has_the_requested_sizes():
    seed(**SPREAD)

    bench_users = User.objects.filter(username__startswith="bench_")
    topics = Topic.objects.filter(author__in=bench_users)
    assert topics.count() == 40
    assert Post.objects.filter(topic__in=topics).count() == 250
    assert bench_users.count() == 9
    assert Topic.objects.filter(category__slug=BENCH_CATEGORY_SLUG).count() == 16
    # The rest is spread over the forum's other categories, evenly.
    per_category = (
        topics.exclude(category__slug=BENCH_CATEGORY_SLUG)
        .values("category")
        .annotate(n=Count("id"))
    )
    counts = sorted(row["n"] for row in per_category)
    assert len(counts) == Category.objects.exclude(slug=BENCH_CATEGORY_SLUG).count() > 1
    assert counts[-1] - counts[0] <= 1
    # The long topic stays the longest (the benchmark measures it) and in the measured category.
    longest = topics.order_by("-last_position").first()
    assert longest.last_position == 45
    assert longest.category.slug == BENCH_CATEGORY_SLUG
    # Replies are spread unevenly: some topics have none, some several.
    others = topics.exclude(pk=longest.pk)
    assert others.filter(reply_count=0).exists()
    assert others.filter(reply_count__gte=5).exists()


def test_spread_shape_counters_are_consistent():
    seed(**SPREAD)

    _assert_counters_consistent()
    assert Reaction.objects.exists()


def test_default_shape_counters_are_consistent():
    seed()

    _assert_counters_consistent()


def test_counters_are_right_again_after_replacing_a_spread_data_set():
    seed(**SPREAD)
    seed(**{**SPREAD, "topics": 30, "posts": 150, "category_topics": 10})

    assert Topic.objects.filter(author__username__startswith="bench_").count() == 30
    _assert_counters_consistent()


def test_encouragement_counts_on_posts_match_reactions_when_the_fields_exist():
    seed(**SPREAD)

    kinds = [kind.value for kind in ReactionKind]
    if not any(count_field(k) for k in kinds):
        pytest.skip("Post has no per-kind encouragement counts yet")
    total = sum(
        Post.objects.aggregate(n=Sum(f"{k}_count"))["n"] or 0 for k in kinds if count_field(k)
    )
    assert total == Reaction.objects.filter(kind__in=[k for k in kinds if count_field(k)]).count()


def test_too_few_posts_are_refused():
    with pytest.raises(CommandError):
        seed(topics=30, posts=50, long_posts=45)


def test_a_topic_longer_than_the_long_one_is_refused():
    with pytest.raises(CommandError, match="longest"):
        seed(topics=40, posts=400, long_posts=45)


def test_large_scale_needs_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL --scale large is allowed")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_bench", scale="large", stdout=io.StringIO())


def test_copy_path_on_postgresql_keeps_every_index_and_constraint():
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path runs on PostgreSQL only (DATABASE_URL=postgres://...)")

    def schema():
        with connection.cursor() as cursor:
            return {
                table: connection.introspection.get_constraints(cursor, table)
                for table in ("forum_topic", "forum_post", "forum_reaction")
            }

    before = schema()
    seed(**SPREAD)

    assert schema() == before
    _assert_counters_consistent()
    # Sequences continue after the rows COPY wrote with explicit ids.
    topic = Topic.objects.first()
    post = Post.objects.create(
        topic=topic, author=topic.author, position=topic.last_position + 1, body="x"
    )
    assert post.pk > Post.objects.exclude(pk=post.pk).aggregate(m=Max("id"))["m"]
