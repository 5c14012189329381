"""Every route, as every actor, with GET and POST: the right answer, and nothing changed where
nothing may change (issue 10, "Keep them closed").

The routes come from the URLconf and their classes from tests/security/routes.py; the answers
below follow from the class, the actor and the target. Cases where today's code answers
differently are listed in KNOWN_GAPS and expected to fail (strictly: a fixed gap fails the
suite until its line is removed).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.routes import ROUTES, Access, Allow, Route
from tests.security.world import ACTORS, World, admin_kwargs, post_data, snapshot

LOGIN = resolve_url(settings.LOGIN_URL)
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

# Targets written by "member" (see conftest.build_world).
OWNED = frozenset(
    {"post", "pending", "hidden", "topic", "pending_topic", "hidden_topic", "decision"}
    | {"notification"}
)
# Seen only by their author and the moderators; anyone else is told they do not exist.
AUTHOR_AND_MODERATORS = frozenset({"pending", "hidden", "pending_topic", "hidden_topic"})
AUTHOR_AND_MODERATORS |= {"decision"}
# Seen only by their owner.
OWNER_ONLY = frozenset({"notification"})
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
    owner = actor == "member" and target in OWNED
    if target in OWNER_ONLY:
        return owner
    if target in AUTHOR_AND_MODERATORS:
        return owner or actor == "moderator"
    return True


def permitted(allow: Allow, *, owner: bool, moderator: bool) -> bool:
    return {
        Allow.ANYONE: True,
        Allow.OWNER: owner,
        Allow.OWNER_OR_MODERATOR: owner or moderator,
        Allow.NOT_OWNER: not owner,
        Allow.MODERATOR: moderator,
    }[allow]


def expect(route: Route, target: str, actor: str, method: str) -> Expect:
    """The right answer for `actor` asking `route` about `target` with `method`."""
    if actor == "suspended":
        # accounts/middleware.py signs a suspended member out on any request.
        return Expect(302, login=LOGIN)
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
    moderator = actor == "moderator"
    if route.access is Access.MODERATOR and not moderator:
        return Expect(403)
    if method not in route.methods:
        return Expect(405)
    if not visible(target, actor):
        return Expect(404)
    owner = actor == "member" and target in OWNED
    allow = route.allow_post if method == "POST" and route.allow_post else route.allow
    if (
        not permitted(allow, owner=owner, moderator=moderator)
        or (route.posting and actor == "muted")
        or target in route.refused_on
    ):
        return Expect(403)
    return ok(route, method)


# Why each known gap is wrong (the right answer is what the test expects).
PENDING_POST_LEAKS = "answers 403 for another member's waiting post: it should not exist (404)"
HIDDEN_POST_LEAKS = "answers 403 for another member's hidden post: it should not exist (404)"
PERMALINK_LEAKS = "redirects (302) to another member's waiting or hidden post instead of 404"
DECISION_LEAKS = "answers 403 for a decision about another member: it should not exist (404)"
MUTED_REACTS = "a muted member can still send encouragement (302 and a reaction row)"

# Cases where today's code answers wrongly: case id -> why. Each is expected to fail (strict),
# so fixing one fails the suite until its line is removed here.
KNOWN_GAPS: dict[str, str] = {
    "forum:post[pending]-other_member-GET": PERMALINK_LEAKS,
    "forum:post[pending]-other_member-POST": PERMALINK_LEAKS,
    "forum:post[pending]-peer_specialist-GET": PERMALINK_LEAKS,
    "forum:post[pending]-peer_specialist-POST": PERMALINK_LEAKS,
    "forum:post[pending]-muted-GET": PERMALINK_LEAKS,
    "forum:post[pending]-muted-POST": PERMALINK_LEAKS,
    "forum:post[hidden]-other_member-GET": PERMALINK_LEAKS,
    "forum:post[hidden]-other_member-POST": PERMALINK_LEAKS,
    "forum:post[hidden]-peer_specialist-GET": PERMALINK_LEAKS,
    "forum:post[hidden]-peer_specialist-POST": PERMALINK_LEAKS,
    "forum:post[hidden]-muted-GET": PERMALINK_LEAKS,
    "forum:post[hidden]-muted-POST": PERMALINK_LEAKS,
    "forum:edit_post[pending]-other_member-GET": PENDING_POST_LEAKS,
    "forum:edit_post[pending]-other_member-POST": PENDING_POST_LEAKS,
    "forum:edit_post[pending]-peer_specialist-GET": PENDING_POST_LEAKS,
    "forum:edit_post[pending]-peer_specialist-POST": PENDING_POST_LEAKS,
    "forum:edit_post[pending]-muted-GET": PENDING_POST_LEAKS,
    "forum:edit_post[pending]-muted-POST": PENDING_POST_LEAKS,
    "forum:edit_post[hidden]-other_member-GET": HIDDEN_POST_LEAKS,
    "forum:edit_post[hidden]-other_member-POST": HIDDEN_POST_LEAKS,
    "forum:edit_post[hidden]-peer_specialist-GET": HIDDEN_POST_LEAKS,
    "forum:edit_post[hidden]-peer_specialist-POST": HIDDEN_POST_LEAKS,
    "forum:edit_post[hidden]-muted-GET": HIDDEN_POST_LEAKS,
    "forum:edit_post[hidden]-muted-POST": HIDDEN_POST_LEAKS,
    "forum:post_history[pending]-other_member-GET": PENDING_POST_LEAKS,
    "forum:post_history[pending]-other_member-POST": PENDING_POST_LEAKS,
    "forum:post_history[pending]-peer_specialist-GET": PENDING_POST_LEAKS,
    "forum:post_history[pending]-peer_specialist-POST": PENDING_POST_LEAKS,
    "forum:post_history[pending]-muted-GET": PENDING_POST_LEAKS,
    "forum:post_history[pending]-muted-POST": PENDING_POST_LEAKS,
    "forum:post_history[hidden]-other_member-GET": HIDDEN_POST_LEAKS,
    "forum:post_history[hidden]-other_member-POST": HIDDEN_POST_LEAKS,
    "forum:post_history[hidden]-peer_specialist-GET": HIDDEN_POST_LEAKS,
    "forum:post_history[hidden]-peer_specialist-POST": HIDDEN_POST_LEAKS,
    "forum:post_history[hidden]-muted-GET": HIDDEN_POST_LEAKS,
    "forum:post_history[hidden]-muted-POST": HIDDEN_POST_LEAKS,
    "forum:delete_post[pending]-other_member-GET": PENDING_POST_LEAKS,
    "forum:delete_post[pending]-other_member-POST": PENDING_POST_LEAKS,
    "forum:delete_post[pending]-peer_specialist-GET": PENDING_POST_LEAKS,
    "forum:delete_post[pending]-peer_specialist-POST": PENDING_POST_LEAKS,
    "forum:delete_post[pending]-muted-GET": PENDING_POST_LEAKS,
    "forum:delete_post[pending]-muted-POST": PENDING_POST_LEAKS,
    "forum:delete_post[hidden]-other_member-GET": HIDDEN_POST_LEAKS,
    "forum:delete_post[hidden]-other_member-POST": HIDDEN_POST_LEAKS,
    "forum:delete_post[hidden]-peer_specialist-GET": HIDDEN_POST_LEAKS,
    "forum:delete_post[hidden]-peer_specialist-POST": HIDDEN_POST_LEAKS,
    "forum:delete_post[hidden]-muted-GET": HIDDEN_POST_LEAKS,
    "forum:delete_post[hidden]-muted-POST": HIDDEN_POST_LEAKS,
    "forum:react[pending]-other_member-POST": PENDING_POST_LEAKS,
    "forum:react[pending]-peer_specialist-POST": PENDING_POST_LEAKS,
    "forum:react[pending]-muted-POST": PENDING_POST_LEAKS,
    "forum:react[hidden]-other_member-POST": HIDDEN_POST_LEAKS,
    "forum:react[hidden]-peer_specialist-POST": HIDDEN_POST_LEAKS,
    "forum:react[hidden]-muted-POST": HIDDEN_POST_LEAKS,
    "community:report_post[pending]-other_member-GET": PENDING_POST_LEAKS,
    "community:report_post[pending]-other_member-POST": PENDING_POST_LEAKS,
    "community:report_post[pending]-peer_specialist-GET": PENDING_POST_LEAKS,
    "community:report_post[pending]-peer_specialist-POST": PENDING_POST_LEAKS,
    "community:report_post[pending]-muted-GET": PENDING_POST_LEAKS,
    "community:report_post[pending]-muted-POST": PENDING_POST_LEAKS,
    "community:report_post[hidden]-other_member-GET": HIDDEN_POST_LEAKS,
    "community:report_post[hidden]-other_member-POST": HIDDEN_POST_LEAKS,
    "community:report_post[hidden]-peer_specialist-GET": HIDDEN_POST_LEAKS,
    "community:report_post[hidden]-peer_specialist-POST": HIDDEN_POST_LEAKS,
    "community:report_post[hidden]-muted-GET": HIDDEN_POST_LEAKS,
    "community:report_post[hidden]-muted-POST": HIDDEN_POST_LEAKS,
    "community:decision[decision]-other_member-GET": DECISION_LEAKS,
    "community:decision[decision]-other_member-POST": DECISION_LEAKS,
    "community:decision[decision]-peer_specialist-GET": DECISION_LEAKS,
    "community:decision[decision]-peer_specialist-POST": DECISION_LEAKS,
    "community:decision[decision]-muted-GET": DECISION_LEAKS,
    "community:decision[decision]-muted-POST": DECISION_LEAKS,
    "forum:react[post]-muted-POST": MUTED_REACTS,
}


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


def url_for(case: Case, world: World) -> str:
    pattern = URLCONF[case.key]
    if not case.key.startswith("admin"):
        return reverse(case.key, kwargs=world.kwargs[case.target])
    kwargs = admin_kwargs(case.key, pattern, world)
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


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(cases()))
def test_route(case: Case, world: World):
    route = ROUTES[case.key]
    wanted = expect(route, case.target, case.actor, case.method)
    client = client_for(case.actor, world)
    url = url_for(case, world)
    if case.method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, post_data(case.key, world, world.actors[case.actor]))
    location = response.get("Location", "")
    answer = f"{case.method} {url} as {case.actor}: {response.status_code} {location}"
    assert response.status_code == wanted.status, answer
    if wanted.login:
        assert location.startswith(wanted.login), answer
    elif response.status_code == 302 and route.access not in (Access.PUBLIC, Access.TOKEN):
        assert not location.startswith(LOGIN), answer
    if not wanted.may_change:
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
