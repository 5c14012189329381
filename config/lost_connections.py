"""A request whose database connection was killed under it is answered again, once, if safe.

CONN_HEALTH_CHECKS replaces a connection that died between requests before its first query.
A connection terminated while a request is using it (a PostgreSQL restart or failover,
pg_terminate_backend, an idle-in-transaction timeout) still fails that request, and Django has
no mechanism to replay it. This middleware, outermost, does: when a request failed (5xx) after
a query failed because its connection stopped answering, the broken connection is closed and
the request runs again on a fresh one, provided running it twice cannot do anything twice:

- a GET, HEAD or OPTIONS request (no writes, by the project's rules), or
- any other request that had not yet committed a write (an INSERT, UPDATE or DELETE in autocommit,
  or in a transaction whose commit succeeded, which Django's on_commit tells), so the first
  attempt changed nothing: a transaction the kill interrupted was rolled back.

A request that committed a write before the connection died is not replayed: it answers the
kind 503 page from community/outage.py. The one window left is a COMMIT the server applied
whose acknowledgement the kill lost: the replay then writes again. One retry only: if the
database is really down, the second attempt fails fast and the 503 stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "MERGE")


class WriteWatch:
    """An execute wrapper that remembers whether a write was committed and whether a
    connection was lost under a query."""

    def __init__(self) -> None:
        self.wrote = False
        self.lost = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        connection = context["connection"]
        try:
            result = execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            # Asked now: by the time the response is back, something may have reconnected.
            # A timeout or a cancelled statement leaves the connection usable: not a loss.
            if not connection.is_usable():
                self.lost = True
            raise
        if not self.wrote and sql.lstrip().upper().startswith(WRITE_STATEMENTS):
            if connection.in_atomic_block:
                # Written only if the transaction commits: a kill before that rolls it back,
                # and replaying it is safe.
                connection.on_commit(self._committed)
            else:
                self.wrote = True
        return result

    def _committed(self) -> None:
        self.wrote = True


def _close_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.is_usable():
            # Outside any atomic block by now: close() drops it, the next query reconnects.
            conn.close()


class RetryOnLostConnectionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        watch = WriteWatch()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(watch))
            response = self.get_response(request)
        if response.status_code < 500 or not watch.lost:
            return response
        _close_broken_connections()
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
