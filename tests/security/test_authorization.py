"""Every route, as every actor, with GET and POST: the right answer, and nothing changed where
nothing may change (issue 10, "Keep them closed").

The routes come from the URLconf and their classes from tests/security/routes.py; the answers
below follow from the class, the actor and the target. Cases where today's code answers
differently are listed in KNOWN_GAPS and expected to fail (strictly: a fixed gap fails the
suite until its line is removed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.routes import ROUTES, Access, Allow, Route
from tests.security.world import ACTORS, SECRETS, World, admin_kwargs, post_data, snapshot

LOGIN = resolve_url(settings.LOGIN_URL)
PAUSED = reverse("accounts:paused")
# Routes Django adds only for serving files in development, which the suite does not cover.
NOT_ROUTES = ("static/", "media/")


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(key, full pattern) of every route: key is namespace:name, or the pattern if unnamed."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            if pattern.startswith(NOT_ROUTES):
                continue
            if entry.name:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), pattern
            else:
                yield pattern, pattern


URLCONF: dict[str, str] = dict(walk(get_resolver()))


@pytest.mark.parametrize("key", sorted(URLCONF))
def test_every_route_is_classified(key):
    assert key in ROUTES, (
        f"route {key!r} ({URLCONF[key]}) is not classified in tests/security/routes.py"
    )


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_every_classified_route_exists(key):
    assert key in URLCONF, f"tests/security/routes.py classifies {key!r}, which no URL serves"


# --- who sees what ---------------------------------------------------------------------------

# Targets written by (or, for a conversation, with) "member" (see world.build_world).
OWNED = frozenset(
    {"post", "pending", "hidden", "report_hidden", "topic", "pending_topic", "hidden_topic"}
    | {"decision", "notification", "conversation", "counter"}
)
# Who may see each target that not everyone may; to anyone else it does not exist.
AUTHOR_AND_MODERATORS = frozenset({"member", "moderator"})
SEEN_BY: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        ("pending", "hidden", "report_hidden", "pending_topic", "hidden_topic", "decision"),
        AUTHOR_AND_MODERATORS,
    ),
    "notification": frozenset({"member"}),
    # A milestone counter: its owner's alone; anyone else finds nothing there.
    "counter": frozenset({"member"}),
    # Started by the peer specialist with the member: they and every moderator read it.
    "conversation": frozenset({"member", "moderator", "peer_specialist"}),
}
BAD_TOKENS = frozenset({"bad_unsubscribe_token"})


@dataclass(frozen=True)
class Expect:
    status: int
    # Where a refusal redirects (a login page), or None.
    login: str | None = None
    # Only an allowed POST of a route that writes may change rows.
    may_change: bool = False


def ok(route: Route, method: str) -> Expect:
    if method == "GET":
        return Expect(route.ok_get)
    status = route.ok_post if route.ok_post is not None else (302 if route.writes else 200)
    return Expect(status, may_change=route.writes)


def visible(target: str, actor: str) -> bool:
    return actor in SEEN_BY.get(target, frozenset(ACTORS))


def permitted(allow: Allow, *, owner: bool, actor: str) -> bool:
    moderator = actor == "moderator"
    return {
        Allow.ANYONE: True,
        Allow.OWNER: owner,
        Allow.OWNER_OR_MODERATOR: owner or moderator,
        Allow.NOT_OWNER: not owner,
        Allow.MODERATOR: moderator,
        Allow.SUPPORTER: not owner and actor in ("moderator", "peer_specialist"),
    }[allow]


def expect(route: Route, target: str, actor: str, method: str) -> Expect:
    """The right answer for `actor` asking `route` about `target` with `method`."""
    if actor == "suspended":
        # accounts/middleware.py signs a suspended member out on any request and tells them
        # until when on the paused page.
        return Expect(302, login=PAUSED)
    if route.access is Access.ADMIN:
        # No actor is staff: Django's admin sends everyone to its own login page.
        return Expect(302, login=route.refused_to)
    if route.access in (Access.PUBLIC, Access.TOKEN):
        who = "anonymous" if actor == "anonymous" else "signed_in"
        answer = dict(route.answers).get((who, method))
        if answer is not None:
            return Expect(answer)
        if target in BAD_TOKENS:
            return Expect(400)
        return ok(route, method)
    if actor == "anonymous":
        return Expect(302, login=LOGIN)
    if route.access is Access.MODERATOR and actor != "moderator":
        # Asked before the method: a moderation page does not exist for them at all.
        return Expect(404)
    if method not in route.methods:
        return Expect(405)
    if target in route.missing_on:
        return Expect(404)
    if not visible(target, actor) and target not in route.seen_before_hiding:
        return Expect(404)
    owner = actor == "member" and target in OWNED
    allow = route.allow_post if method == "POST" and route.allow_post else route.allow
    if not permitted(allow, owner=owner, actor=actor):
        return Expect(404 if route.refuse_as_missing else 403)
    muted_refused = route.posting and not (route.muted_may_open and method == "GET")
    if (muted_refused and actor == "muted") or target in route.refused_on:
        return Expect(403)
    return ok(route, method)


# Cases where today's code answers wrongly: case id -> why (the right answer is what the test
# expects). Each is expected to fail (strict), so fixing one fails the suite until its line is
# removed here.
KNOWN_GAPS: dict[str, str] = {}


@dataclass(frozen=True)
class Case:
    key: str
    target: str
    actor: str
    method: str

    @property
    def id(self) -> str:
        target = f"[{self.target}]" if self.target and self.target != "admin" else ""
        return f"{self.key}{target}-{self.actor}-{self.method}"


def cases() -> Iterator[pytest.param]:
    for key in sorted(ROUTES):
        route = ROUTES[key]
        for target in route.targets:
            for actor in ACTORS:
                for method in ("GET", "POST"):
                    case = Case(key, target, actor, method)
                    marks = []
                    if case.id in KNOWN_GAPS:
                        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[case.id]))
                    yield pytest.param(case, id=case.id, marks=marks)


_admin_kwargs: dict[str, dict[str, object]] = {}


def url_for(case: Case, world: World) -> str:
    pattern = URLCONF[case.key]
    if not case.key.startswith("admin"):
        return reverse(case.key, kwargs=world.kwargs[case.target])
    # Each admin route is asked 14 times about the same first row: look it up once.
    if case.key not in _admin_kwargs:
        _admin_kwargs[case.key] = admin_kwargs(case.key, pattern, world)
    kwargs = _admin_kwargs[case.key]
    if case.key != pattern:
        return reverse(case.key, kwargs=kwargs)
    if "url" in kwargs:
        return "/admin/" + kwargs["url"]
    # An unnamed admin route: an object's old URL, which redirects to its change page.
    return "/" + pattern.replace("<path:object_id>", str(kwargs["object_id"]))


def client_for(actor: str, world: World, **options) -> Client:
    client = Client(**options)
    if actor in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    return client


# Any statement that could change a row (conservatively: "FOR UPDATE" counts too).
WRITE_SQL = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|ALTER|DROP|CREATE)\b", re.I)


class WriteWatch:
    """Notes whether a request sent the database anything that could change a row: one that
    did not cannot have changed the data, so only the others pay for a snapshot of every
    table (reading every row was most of the suite's time)."""

    def __init__(self) -> None:
        self.seen = False
        self._wrapper = connection.execute_wrapper(self)

    def __call__(self, execute, sql, params, many, context):
        if not self.seen and WRITE_SQL.search(sql):
            self.seen = True
        return execute(sql, params, many, context)

    def __enter__(self) -> WriteWatch:
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._wrapper.__exit__(*exc_info)


# The project's own routes, whose 404 must read exactly like a missing id's (allauth's and the
# admin's answer by their own rules).
OWN_APPS = ("forum:", "community:", "accounts:")
# Values no object has, per URL kwarg.
MISSING = {"pk": 0, "slug": "no-such-category", "username": "no-such-member"}
# A path no route serves: what a route without an id is compared with.
NO_SUCH_PAGE = "/no-such-page/"
# Masked CSRF tokens (64 letters and digits) differ per response; nothing else may.
CSRF_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
# (route, actor, method) -> body of the same request naming nothing that exists.
_missing_bodies: dict[tuple[str, str, str], bytes] = {}


def missing_url(case: Case, world: World) -> str:
    kwargs = world.kwargs[case.target]
    if not kwargs:
        return NO_SUCH_PAGE
    return reverse(case.key, kwargs={name: MISSING[name] for name in kwargs})


def without_csrf(body: bytes) -> bytes:
    return CSRF_TOKEN.sub(b"<csrf>", body)


def missing_body(case: Case, world: World) -> bytes:
    key = (case.key, case.actor, case.method)
    if key not in _missing_bodies:
        client = client_for(case.actor, world)
        url = missing_url(case, world)
        data = post_data(case.key, world, world.actors[case.actor])
        response = client.get(url) if case.method == "GET" else client.post(url, data)
        assert response.status_code == 404, f"{case.method} {url}: {response.status_code}"
        _missing_bodies[key] = without_csrf(response.content)
    return _missing_bodies[key]


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(cases()))
def test_route(case: Case, world: World):
    route = ROUTES[case.key]
    wanted = expect(route, case.target, case.actor, case.method)
    client = client_for(case.actor, world)
    url = url_for(case, world)
    with WriteWatch() as writes:
        if case.method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, post_data(case.key, world, world.actors[case.actor]))
    location = response.get("Location", "")
    answer = f"{case.method} {url} as {case.actor}: {response.status_code} {location}"
    assert response.status_code == wanted.status, answer
    for words, readers in SECRETS.items():
        if case.actor not in readers:
            assert words.encode() not in response.content, f"{answer} shows {words!r}"
    if response.status_code == 404 and case.key.startswith(OWN_APPS):
        assert without_csrf(response.content) == missing_body(case, world), (
            f"{answer} differs from the answer for something that does not exist"
        )
    if wanted.login:
        assert location.startswith(wanted.login), answer
    elif response.status_code == 302 and route.access not in (Access.PUBLIC, Access.TOKEN):
        assert not location.startswith(LOGIN), answer
    if not wanted.may_change and writes.seen:
        after = snapshot()
        changed = sorted(table for table in after if after[table] != world.baseline.get(table))
        assert not changed, f"{case.method} {url} as {case.actor} changed {changed}"


# The unsubscribe link's one-click POST comes from mail clients without cookies or a token
# (RFC 8058): its signed token is the authority, so it is exempt from CSRF on purpose.
CSRF_EXEMPT = frozenset({"forum:unsubscribe"})


def csrf_cases() -> Iterator[pytest.param]:
    """For each route whose POST writes: the first actor and target allowed to write."""
    for key in sorted(ROUTES):
        route = ROUTES[key]
        if not route.writes or key in CSRF_EXEMPT:
            continue
        allowed = [
            Case(key, target, actor, "POST")
            for target in route.targets
            for actor in ACTORS
            if expect(route, target, actor, "POST").may_change
        ]
        assert allowed, f"{key} writes, but no actor may POST to it"
        yield pytest.param(allowed[0], id=allowed[0].id)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(csrf_cases()))
def test_post_without_csrf_token_is_refused(case: Case, world: World):
    client = client_for(case.actor, world, enforce_csrf_checks=True)
    url = url_for(case, world)
    response = client.post(url, post_data(case.key, world, world.actors[case.actor]))
    assert response.status_code == 403, f"POST {url} as {case.actor}: {response.status_code}"
    after = snapshot()
    assert [table for table in after if after[table] != world.baseline[table]] == []
