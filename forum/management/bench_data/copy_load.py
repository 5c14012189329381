"""The PostgreSQL loader: COPY into tables whose secondary indexes and constraints are dropped
first and rebuilt after, then VACUUM (ANALYZE)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from allauth.account.models import EmailAddress
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from accounts.models import User
from forum import search
from forum.management.bench_data.rows import (
    count_field,
    hashed_password,
    member_values,
    planned_posts,
    topic_values,
)
from forum.management.bench_data.shape import KINDS, PlannedTopic, bench_email, reactions_for
from forum.models import Category, Post, Reaction, Status, Topic

if TYPE_CHECKING:
    from psycopg import Copy


class Cursor(Protocol):
    """What the loader uses of `connection.cursor()`: Django's wrapper hands psycopg 3's
    `copy` through to the driver's cursor, which its stub does not spell out."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def copy(self, statement: str) -> AbstractContextManager[Copy]: ...


def load_members(written: list[int]) -> list[int]:
    """One verified member per entry of `written` (their approved_post_count); returns their
    ids."""
    password = hashed_password()
    with connection.cursor() as cursor:
        user_base = _next_id(User)
        address_base = _next_id(EmailAddress)
        user_ids = [user_base + i for i in range(len(written))]
        given = ["id", *member_values(0, password, 0)]
        _copy(
            cursor,
            User,
            given,
            ((user_ids[i], *member_values(i, password, n).values()) for i, n in enumerate(written)),
        )
        _copy(
            cursor,
            EmailAddress,
            ["id", "user_id", "email", "verified", "primary"],
            (
                (address_base + i, user_id, bench_email(i), True, True)
                for i, user_id in enumerate(user_ids)
            ),
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), [User, EmailAddress]):
            cursor.execute(statement)
    return user_ids


def load_topics(
    plan: list[PlannedTopic],
    categories: list[Category],
    user_ids: list[int],
    step: Callable[[str], None],
) -> list[type[models.Model]]:
    """Write the topics, posts and encouragement of `plan`, calling `step` after each stage;
    returns the models written."""
    members = len(user_ids)
    category_ids = [c.pk for c in categories]
    tables: list[type[models.Model]] = [Topic, Post, Reaction]
    with connection.cursor() as cursor:
        # Clearing queued foreign-key checks (deferred to commit); run them now, as a
        # table with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        saved = _drop_secondary(cursor, tables)
        topic_base = _next_id(Topic)
        post_base = _next_id(Post)
        reaction_base = _next_id(Reaction)

        def topic_rows() -> Iterator[tuple[Any, ...]]:
            for topic in plan:
                values = topic_values(topic, members)
                last_poster = user_ids[values.pop("last_poster_index")]
                yield (
                    topic_base + topic.index,
                    category_ids[topic.category],
                    user_ids[topic.author],
                    last_poster,
                    *values.values(),
                )

        step("drop indexes")
        sample = topic_values(plan[0], members)
        del sample["last_poster_index"]
        given = ["id", "category_id", "author_id", "last_poster_id", *sample]
        _copy(cursor, Topic, given, topic_rows())
        step("copy topics")

        # The per-kind counts the Post model has (each kind at most once per post here).
        counted = [(kind, name) for kind in KINDS if (name := count_field(kind))]
        none_sent = (0,) * len(counted)
        sent_by_post: list[tuple[int, datetime, list[tuple[int, str]]]] = []
        published = Status.PUBLISHED.value

        def post_rows() -> Iterator[tuple[Any, ...]]:
            for topic_index, position, author, body, html, created_at, n in planned_posts(
                plan, members
            ):
                sent = reactions_for(n)
                counts = none_sent
                if sent:
                    sent_by_post.append((post_base + n, created_at, sent))
                    kinds = {kind for _, kind in sent}
                    counts = tuple(int(kind in kinds) for kind, _ in counted)
                yield (
                    post_base + n,
                    topic_base + topic_index,
                    user_ids[author],
                    position,
                    body,
                    html,
                    published,
                    created_at,
                    *counts,
                )

        given = ["id", "topic_id", "author_id", "position", "body", "body_html", "status"]
        given += ["created_at", *(name for _, name in counted)]
        _copy(cursor, Post, given, post_rows())
        step("copy posts")

        def reaction_rows() -> Iterator[tuple[Any, ...]]:
            next_id = reaction_base
            for post_id, created_at, sent in sent_by_post:
                for j, (member, kind) in enumerate(sent):
                    yield (
                        next_id,
                        post_id,
                        user_ids[member % members],
                        kind,
                        created_at + timedelta(minutes=j + 1),
                    )
                    next_id += 1

        given = ["id", "post_id", "user_id", "kind", "created_at"]
        _copy(cursor, Reaction, given, reaction_rows())
        step("copy reactions")
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)
        # Memory for this transaction only: index builds sort in memory instead of on
        # disk, and foreign-key checks hash-join instead of spilling.
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # Every post's search vector in one UPDATE, before its GIN index is built again.
        search.rebuild_index()
        step("search vectors")
        _restore_secondary(cursor, saved)
        step("indexes and constraints")
    return tables


def vacuum(tables: list[type[models.Model]]) -> None:
    """Set the visibility map and statistics now, so autovacuum does not wake up in the
    middle of a measurement and index-only scans work from the first request."""
    quote = connection.ops.quote_name
    names = [Topic, Post, Reaction, Category, User, EmailAddress, *tables]
    with connection.cursor() as cursor:
        for table in dict.fromkeys(m._meta.db_table for m in names):
            cursor.execute(f"VACUUM (ANALYZE) {quote(table)}")


def _next_id(model: type[models.Model]) -> int:
    top: int | None = model._default_manager.aggregate(top=Max("pk"))["top"]
    return (top or 0) + 1


def _copy(
    cursor: Cursor,
    model: type[models.Model],
    given: list[str],
    rows: Iterable[tuple[Any, ...]],
) -> None:
    """COPY `rows` (values for the fields `given`, by attname, in that order) into
    `model`'s table. Every other concrete column gets its field's default: Django keeps
    defaults in Python, not in the database, so a field added to the model later (with a
    default) still loads."""
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(given) - set(by_name)
    if unknown:
        raise CommandError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    rest = [f for name, f in by_name.items() if name not in given]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(by_name[name])) for name in given)
    columns += "".join(f", {quote(_column(f))}" for f in rest)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + defaults)


def _column(field: models.Field[Any, Any]) -> str:
    # A concrete field is one with a column (Django sets `concrete` from `column is not None`);
    # the stubs type every field's column as optional.
    assert field.column is not None
    return field.column


def _drop_secondary(cursor: Cursor, tables: list[type[models.Model]]) -> list[str]:
    """Drop foreign keys, unique constraints and indexes other than the primary key of
    `tables`, returning the statements that put them back exactly (loading a million rows
    and building each index once is many times faster than updating it per row)."""
    names = [m._meta.db_table for m in tables]
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) "
        "AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
        [names],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [names],
    )
    indexes = cursor.fetchall()
    restore = []
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
        restore.append(definition)
    # Indexes, then unique constraints, then foreign keys (checked in one pass each).
    for table, name, definition, _kind in constraints:
        restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    return restore


def _restore_secondary(cursor: Cursor, restore: list[str]) -> None:
    for statement in restore:
        cursor.execute(statement)
