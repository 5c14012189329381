"""A database connection killed mid-request costs the member nothing when a replay is safe.

PostgreSQL only: the connection is terminated for real with pg_terminate_backend, from a
second connection, at a chosen query of the request, the way a restart or failover does it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from forum.models import Post
from tests.conftest import service_missing
from tests.factories import CategoryFactory, UserFactory, make_topic


@pytest.fixture
def _postgresql(settings):
    if connection.vendor != "postgresql":
        service_missing("killing a connection needs PostgreSQL (set DATABASE_URL)")
    # The production settings: persistent connections, checked before their first use.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_MAX_AGE"] = 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def terminate(pid: int) -> None:
    """End backend `pid` from another connection, as pg_terminate_backend does in an incident."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@contextmanager
def killed_at(predicate: Callable[[str, int], bool]) -> Iterator[list[str]]:
    """Kill this process's connection once, just before the first query `predicate` accepts."""
    seen: list[str] = []
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if not state["done"] and predicate(sql, len(seen)):
            state["done"] = True
            terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(wrapper):
            yield seen
    finally:
        # What request_finished does in gunicorn (the test client skips it): drop a broken one.
        close_old_connections()


def _client(member) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgresql")
def test_a_page_load_survives_its_connection_killed_mid_request():
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Hello")
    client = _client(member)
    # The member is read first; the kill lands on the next query, inside the view.
    with killed_at(lambda sql, n: n == 2) as seen:
        response = client.get(topic.get_absolute_url())
    assert len(seen) > 2, "the connection really was killed mid-request"
    assert response.status_code == 200
    assert "Hello" in response.content.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgresql")
def test_a_reply_whose_connection_dies_before_writing_is_saved_once():
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Hello")
    client = _client(member)
    with killed_at(lambda sql, n: "forum_topic" in sql):
        response = client.post(f"/t/{topic.pk}/reply/", {"body": "Said once."})
    assert response.status_code == 302
    assert Post.objects.filter(topic=topic, body="Said once.").count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgresql")
def test_a_reply_whose_transaction_the_kill_rolled_back_is_saved_once():
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Hello")
    client = _client(member)
    wrote = {"insert": False}

    def after_the_insert(sql: str, n: int) -> bool:
        if sql.startswith('INSERT INTO "forum_post"'):
            wrote["insert"] = True
            return False
        return wrote["insert"]

    with killed_at(after_the_insert):
        response = client.post(f"/t/{topic.pk}/reply/", {"body": "Never twice."})
    # The kill landed inside the transaction: nothing was committed, so the replay saves it.
    assert response.status_code == 302
    assert Post.objects.filter(topic=topic, body="Never twice.").count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgresql")
def test_a_reply_committed_before_the_kill_is_not_replayed():
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Hello")
    client = _client(member)
    state = {"insert": False}

    def after_the_commit(sql: str, n: int) -> bool:
        if sql.startswith('INSERT INTO "forum_post"'):
            state["insert"] = True
            return False
        return state["insert"] and not connection.in_atomic_block

    with killed_at(after_the_commit) as seen:
        response = client.post(f"/t/{topic.pk}/reply/", {"body": "Committed once."})
    assert Post.objects.filter(topic=topic, body="Committed once.").count() == 1
    if any(sql.startswith('INSERT INTO "forum_post"') for sql in seen[:-1]):
        # The reply is saved; what failed was the page after it: a kind 503, never a second post.
        assert response.status_code in (302, 503)
        if response.status_code == 503:
            assert 'href="/help-now/"' in response.content.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgresql")
def test_a_connection_killed_between_requests_is_replaced_by_the_health_check():
    member = UserFactory()
    topic = make_topic(category=CategoryFactory(), title="Hello")
    client = _client(member)
    assert client.get(topic.get_absolute_url()).status_code == 200
    terminate(connection.connection.info.backend_pid)
    # What the request_started signal runs in gunicorn (the test client skips it).
    close_old_connections()
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_settings_check_connections_and_give_up_connecting_quickly(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("DATABASE_URL", "postgres://lantern@db.invalid:5432/lantern")
    try:
        database = importlib.reload(base).DATABASES["default"]
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["CONN_MAX_AGE"] > 0
        assert database["OPTIONS"]["connect_timeout"] == 5
        assert base.MIDDLEWARE[0] == "config.lost_connections.RetryOnLostConnectionMiddleware"
    finally:
        monkeypatch.undo()
        importlib.reload(base)
