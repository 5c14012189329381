"""List and topic pages run a constant number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

BUDGET = 6  # the benchmark's budget
# A warm page reads the member and the one row whose revision keys everything else.
WARM = 2


def count_queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm the session and guidelines caches, as any second request would be
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), [q["sql"] for q in ctx.captured_queries]


def build_category(n: int):
    category = CategoryFactory()
    authors = [UserFactory() for _ in range(min(n, 10))]
    for i in range(n):
        topic = make_topic(category=category, author=authors[i % len(authors)], title=f"Topic {i}")
        make_reply(topic=topic, author=authors[(i + 1) % len(authors)])
    return category


def build_topic(n: int):
    members = [UserFactory() for _ in range(min(n, 10))]
    topic = make_topic(author=members[0])
    for i in range(n - 1):
        post = make_reply(topic=topic, author=members[(i + 1) % len(members)])
        services.set_reaction(user=members[i % len(members)], post=post, kind="hear", on=True)
    return topic


@pytest.mark.django_db
def test_category_page_queries_do_not_grow_with_topics(member_client, settings):
    settings.TOPICS_PER_PAGE = 50
    small, small_sql = count_queries(member_client, build_category(5).get_absolute_url())
    large, large_sql = count_queries(member_client, build_category(50).get_absolute_url())
    assert small == large, (small_sql, large_sql)
    assert large <= BUDGET, large_sql
    assert large == WARM, large_sql


@pytest.mark.django_db
def test_topic_page_queries_do_not_grow_with_posts(member_client, settings):
    settings.POSTS_PER_PAGE = 50
    small, small_sql = count_queries(member_client, build_topic(5).get_absolute_url())
    large, large_sql = count_queries(member_client, build_topic(50).get_absolute_url())
    assert small == large, (small_sql, large_sql)
    assert large <= BUDGET, large_sql
    assert large == WARM, large_sql


@pytest.mark.django_db
def test_a_cold_topic_page_stays_within_budget(client, settings):
    settings.POSTS_PER_PAGE = 50
    topic = build_topic(50)
    reader = UserFactory()
    client.force_login(reader)
    client.get("/")  # the bell and the guidelines banner are cached by any page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(topic.get_absolute_url()).status_code == 200
    assert len(ctx) <= BUDGET, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_topics(member_client):
    build_category(3)
    small, _ = count_queries(member_client, "/")
    build_category(30)
    large, large_sql = count_queries(member_client, "/")
    assert small == large == WARM, large_sql


@pytest.mark.django_db
def test_last_page_of_a_long_topic_costs_the_same_as_the_first(member_client):
    topic = build_topic(60)
    first, _ = count_queries(member_client, topic.get_absolute_url())
    last, sql = count_queries(member_client, topic.get_absolute_url() + "?page=last")
    assert first == last
    assert not any("OFFSET" in q.upper() for q in sql), sql
