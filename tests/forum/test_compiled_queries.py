"""A CompiledQuery returns exactly what its queryset would, with the SQL compiled once."""

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from forum import services
from forum.compiled_queries import CompiledQuery
from forum.models import Post, Reaction, Topic, TopicSubscription
from tests.factories import UserFactory, make_reply, make_topic


def _fields(obj) -> dict:
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


@pytest.fixture
def thread(db):
    author, reader = UserFactory(), UserFactory()
    topic = make_topic(author=author, title="Compiled")
    replies = [make_reply(topic=topic, author=reader, body=f"Reply {i}") for i in range(3)]
    services.set_reaction(user=reader, post=topic.opening_post, kind="hear", on=True)
    return topic, replies, reader


topics_followed = CompiledQuery(
    lambda shape, pk, user_id: (
        Topic.objects.select_related("category", "author")
        .annotate(
            followed=Exists(TopicSubscription.objects.filter(topic=OuterRef("pk"), user_id=user_id))
        )
        .filter(pk=pk)
    )
)


def test_model_rows_match_the_queryset_with_related_objects_and_annotations(thread):
    topic, _, reader = thread
    (compiled,) = topics_followed(pk=topic.pk, user_id=reader.pk)
    (expected,) = topics_followed.queryset(pk=topic.pk, user_id=reader.pk)
    assert type(compiled) is Topic
    assert _fields(compiled) == _fields(expected)
    assert compiled.followed is True  # replying follows the topic
    assert _fields(compiled.category) == _fields(expected.category)
    assert _fields(compiled.author) == _fields(expected.author)
    assert compiled._state.adding is False and compiled._state.db == "default"
    (other,) = topics_followed(pk=topic.pk, user_id=UserFactory().pk)
    assert other.followed is False
    assert topics_followed(pk=topic.pk + 1000, user_id=reader.pk) == []


def test_values_rows_and_shapes(thread):
    topic, replies, _ = thread
    per_post = CompiledQuery(
        lambda shape, topic_id: (
            Reaction.objects.filter(post__topic_id=topic_id)
            .values("post_id")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    assert per_post(topic_id=topic.pk) == [{"post_id": topic.opening_post.pk, "n": 1}]
    window = CompiledQuery(
        lambda shape, topic_id: (
            Post.objects.filter(topic_id=topic_id)
            .only("id", "position")
            .order_by("position")[shape[0] : shape[0] + shape[1]]
        )
    )
    assert [p.position for p in window(shape=(1, 2), topic_id=topic.pk)] == [2, 3]
    assert [p.position for p in window(shape=(0, 10), topic_id=topic.pk)] == [1, 2, 3, 4]
    deferred = window(shape=(3, 1), topic_id=topic.pk)[0]
    assert deferred.get_deferred_fields() >= {"body", "body_html"}
    assert deferred.body == replies[-1].body  # deferred columns still load on access


def test_string_values_reach_the_sql(thread):
    topic, _, _ = thread
    by_slug = CompiledQuery(lambda shape, slug: Topic.objects.filter(category__slug=slug))
    assert [t.pk for t in by_slug(slug=topic.category.slug)] == [topic.pk]
    assert by_slug(slug="no-such-category") == []


def test_sql_is_compiled_once_and_runs_as_one_query(thread, monkeypatch):
    topic, _, _ = thread
    query = CompiledQuery(lambda shape, pk: Topic.objects.filter(pk=pk))
    query(pk=topic.pk)
    compiles = []
    monkeypatch.setattr(query, "_compile", lambda *a: compiles.append(a))
    with CaptureQueriesContext(connection) as captured:
        assert [t.pk for t in query(pk=topic.pk)] == [topic.pk]
    assert compiles == [] and len(captured) == 1


def test_a_value_that_does_not_reach_the_sql_is_refused(db):
    ignored = CompiledQuery(lambda shape, pk: Topic.objects.all())
    with pytest.raises(ValueError, match="pk"):
        ignored(pk=1)


def test_only_integer_and_string_values(db):
    query = CompiledQuery(lambda shape, flag: Topic.objects.filter(is_locked=flag))
    with pytest.raises(TypeError):
        query(flag=True)


def test_shapes_kept_per_query_are_bounded(thread, monkeypatch):
    from forum import compiled_queries

    topic, _, _ = thread
    monkeypatch.setattr(compiled_queries, "MAX_SHAPES", 3)
    window = CompiledQuery(
        lambda shape, topic_id: Post.objects.filter(topic_id=topic_id).order_by("position")[
            shape : shape + 1
        ]
    )
    for start in range(4):
        assert [p.position for p in window(shape=start, topic_id=topic.pk)] == [start + 1]
    assert len(window._compiled) == 3
