"""Runs inside a system's own virtualenv: sign a member in, or count queries per page.

    python probe.py session USERNAME            -> prints the session cookie name and value
    python probe.py queries USERNAME PATH...    -> prints JSON {path: {...}} for each page

DJANGO_SETTINGS_MODULE (and PYTHONPATH) select the system. Pages are fetched twice and the
second fetch is counted: that is the steady state a warm server sees (cached session,
cached guidelines, compiled templates).
"""

import json
import sys

import django


def _client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def _signed_in(username):
    from django.contrib.auth import get_user_model

    client = _client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def session(username):
    from django.conf import settings

    client = _signed_in(username)
    print(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)


def queries(username, paths):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for who, client in (("signed_in", _signed_in(username)), ("anonymous", _client())):
        for path in paths:
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            sql = [q["sql"] for q in captured.captured_queries]
            out.setdefault(path, {})[who] = {
                "status": response.status_code,
                "queries": len(sql),
                "writes": sum(
                    1 for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
                ),
                "sql": sql,
            }
    print(json.dumps(out))


if __name__ == "__main__":
    django.setup()
    command, username, *rest = sys.argv[1:]
    if command == "session":
        session(username)
    else:
        queries(username, rest)
