"""A request whose database connection was killed under it is answered again, once, if safe.

CONN_HEALTH_CHECKS replaces a connection that died between requests before its first query.
A connection terminated while a request is using it (a PostgreSQL restart or failover,
pg_terminate_backend, an idle-in-transaction timeout) still fails that request, and Django has
no mechanism to replay it. This middleware, outermost, does: when a request failed (5xx) and a
database connection it used is no longer usable, the broken connection is closed and the
request runs again on a fresh one, provided running it twice cannot do anything twice:

- a GET, HEAD or OPTIONS request (no writes, by the project's rules), or
- any other request that had not yet written anything (no INSERT, UPDATE or DELETE succeeded),
  so the first attempt changed nothing.

A request that wrote before the connection died is not replayed (it may have committed): it
answers the kind 503 page from community/outage.py. One retry only: if the database is really
down, the second attempt fails fast and the 503 stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "MERGE")


class WriteWatch:
    """An execute wrapper that remembers whether any write statement succeeded."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(WRITE_STATEMENTS):
            self.wrote = True
        return result


def _lost_connections() -> list[str]:
    """Aliases whose connection failed during this request and no longer answers."""
    lost = []
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and conn.errors_occurred and not conn.is_usable():
            lost.append(conn.alias)
    return lost


class RetryOnLostConnectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        watch = WriteWatch()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(watch))
            response = self.get_response(request)
        if response.status_code < 500:
            return response
        lost = _lost_connections()
        if not lost:
            return response
        for alias in lost:
            # Outside any atomic block by now, so close() drops it and the next query reconnects.
            connections[alias].close()
        if request.method not in SAFE_METHODS and watch.wrote:
            logger.warning(
                "database connection lost after a write; not replaying %s %s",
                request.method,
                request.path,
            )
            return response
        logger.warning(
            "database connection lost mid-request; replaying %s %s once",
            request.method,
            request.path,
        )
        return self.get_response(request)
