"""What each engine stores: PostgreSQL's weighted vector and GIN index, SQLite's FTS5 table.
The PostgreSQL tests need DATABASE_URL=postgres://... (and fail, not skip, under
REQUIRE_SERVICES=1); the SQLite ones run on the default database."""

from io import StringIO

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db import connection

from accounts.models import Role
from forum import services
from forum.models import Post
from forum.search import parse_query, scope, search_posts
from forum.search.sqlite import match_expression
from tests.conftest import service_missing
from tests.factories import UserFactory, make_reply, make_topic


def needs_postgresql():
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL full-text search needs DATABASE_URL=postgres://...")


def needs_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 fallback is SQLite's (make run)")


@pytest.mark.django_db
def test_postgres_vector_weights_the_title_a_and_the_text_b(member):
    needs_postgresql()
    topic = make_topic(title="Swimming", body="Laps in the pool.")
    reply = make_reply(topic=topic, body="Swimming helps me too.")
    opening = Post.objects.get(topic=topic, position=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text FROM forum_post WHERE id IN (%s, %s)",
            [opening.pk, reply.pk],
        )
        vectors = dict(cursor.fetchall())
    assert "'swim':1A" in vectors[opening.pk] and "'pool':" in vectors[opening.pk]
    assert "'swim':1B" in vectors[reply.pk]
    assert "A" not in vectors[reply.pk]


@pytest.mark.django_db
def test_postgres_edits_rewrite_the_vector_with_the_new_title(member):
    needs_postgresql()
    topic = make_topic(author=member, title="Cycling", body="Rides.")
    opening = Post.objects.get(topic=topic, position=1)
    services.edit_post(editor=member, post=opening, body="Rides.", title="Rowing")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM forum_post WHERE id = %s", [opening.pk])
        (vector,) = cursor.fetchone()
    assert "'row':1A" in vector and "cycl" not in vector


@pytest.mark.django_db
def test_postgres_searches_through_a_gin_index():
    needs_postgresql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_post' "
            "AND indexname = 'post_search_vector'"
        )
        (definition,) = cursor.fetchone()
        assert "USING gin (search_vector)" in definition
        # No pending list for every search to read through (migration 0019).
        assert "WITH (fastupdate=off)" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM forum_post "
            "WHERE search_vector @@ websearch_to_tsquery('english', 'calm sea')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "post_search_vector" in plan


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_postgres_search_reads_the_hidden_topics_once_from_their_own_small_index(role):
    # Looking up each match's topic cost more than the GIN scan itself at a million posts:
    # the topics hidden from the reader are read once, from the partial index topic_unlisted.
    needs_postgresql()
    reader = UserFactory(role=role)
    calm = SearchQuery("calm", config="english")
    matching = scope.searchable_by(reader).filter(search_vector=calm).order_by().values("pk")
    assert 'JOIN "forum_topic"' not in str(matching.query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching.explain()
    assert "topic_unlisted" in plan, plan


@pytest.mark.django_db
def test_postgres_reads_websearch_syntax(member):
    needs_postgresql()
    make_topic(title="Sober October", body="Thirty one days.")
    make_topic(title="Sober curious", body="Just looking.")
    found = search_posts(reader=member, query=parse_query('sober -"thirty one"'))
    assert [hit.title for hit in found.hits] == ["<mark>Sober</mark> curious"]


def test_sqlite_match_expression_reads_terms_like_websearch():
    parsed = parse_query('"first week" sober or clean -drinking')
    assert match_expression(parsed) == ('(("first week") AND ("sober" OR "clean")) NOT "drinking"')


@pytest.mark.django_db
def test_sqlite_keeps_an_fts5_table_in_step_with_the_posts(member):
    needs_sqlite()
    topic = make_topic(author=member, title="Knitting", body="Scarves.")
    opening = Post.objects.get(topic=topic, position=1)
    services.edit_post(editor=member, post=opening, body="Socks.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body FROM forum_post_fts WHERE rowid = %s", [opening.pk])
        assert cursor.fetchall() == [("Knitting", "Socks.")]
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'forum_post_fts'")
        assert "fts5" in cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_benchmark_seeder_fills_the_search_index(member):
    call_command("seed_bench", topics=20, long_posts=5, members=3, stdout=StringIO())
    found = search_posts(reader=member, query=parse_query("sponsor"))
    # One bench body in eight mentions the sponsor; the seeder writes no post one by one.
    assert found.count > 0
    assert all("<mark>sponsor</mark>" in hit.snippet for hit in found.hits)
