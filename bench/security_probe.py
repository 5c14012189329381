"""`make security-probe`: issue 10's eleven holes, each tried again from outside.

Starts Lantern as production runs it (production settings, gunicorn with config/gunicorn.py, the
compose environment) on 127.0.0.1 with its own PostgreSQL database and Redis database, seeds the
members the probe needs, then makes, for each item of issue 10, the request(s) the issue
describes and prints one table: item, request, expected, got, ok. Exits 1 when a row is not ok.

Gunicorn believes forwarded headers from 127.0.0.1 only (FORWARDED_ALLOW_IPS), so the probe
plays the reverse proxy: every request from 127.0.0.1 carries X-Forwarded-For naming the client
it stands for, and item 11 also connects from 127.0.0.2, a client that bypasses the proxy.
Traffic goes only to 127.0.0.1; every burst is bounded in count and the run takes a few minutes.
The Celery tasks requests schedule are queued in the probe's Redis database and never run.

Environment:
  DATABASE_URL   the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/lantern);
                 the probe's database <name>_security_probe is dropped and created on each run
  PROBE_REDIS_URL  the Redis database to use and empty (default redis://127.0.0.1:6379/9)
  PROBE_ONLY     comma-separated item methods to run (default: all), e.g. existence,muted

Subcommands, run by the probe itself in the app's environment:
  python bench/security_probe.py seed                  -> JSON: ids, names, a token
  python bench/security_probe.py sanction NAME ACTION  -> a moderator mutes or suspends NAME
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = Path(sys.executable)
LOGS = ROOT / "var" / "security_probe"
PASSWORD = "a-long-probe-password-4471"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
PROXY = "127.0.0.1"  # FORWARDED_ALLOW_IPS: the address the probe's "reverse proxy" sends from
BYPASS = "127.0.0.2"  # a client connecting to gunicorn directly, around the proxy
SECRET_KEY = "security-probe-only-secret-key-9c1e7a5b2d8046e1c93f0a6b7d2e4c8f1a3b5d7e9f"


# --- inside the app: seed and sanctions --------------------------------------------------------


def seed() -> None:
    import django

    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.utils import timezone

    from accounts.models import User
    from community import services as community_services
    from community.models import ModerationAction, ModerationReason, ReviewItem
    from community.selectors import current_guidelines
    from forum import services
    from forum.models import Category, Post, Status
    from forum.notifications.unsubscribe import DIGEST_TOKEN_KIND, unsubscribe_token

    guidelines = current_guidelines()
    version = guidelines.version if guidelines is not None else 1
    joined = timezone.now() - timedelta(days=60)

    def member(name: str, *, new: bool = False, **fields) -> User:
        user = User.objects.create(
            username=name,
            email=f"{name}@probe.invalid",
            date_joined=timezone.now() if new else joined,
            guidelines_version=version,
            guidelines_accepted_at=joined,
            approved_post_count=0 if new else settings.NEW_MEMBER_REVIEW_POSTS,
            **fields,
        )
        user.set_password(PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    keeper = member("keeper", role="admin", is_staff=True, is_superuser=True)
    Authenticator.objects.create(
        user=keeper, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
    )
    warden = member("warden", role="moderator")
    member("helper", is_staff=True)  # staff without two-factor: may use the admin, not moderate
    names = ["writer", "reader", "poster", "paused", "owner", "impostor", "oak", "quiet_river"]
    members = {name: member(name) for name in names}
    members["oak"].display_name = "Oak"
    members["oak"].save(update_fields=["display_name"])
    newcomer = member("newcomer", new=True)
    quiet = member("quiet")
    for name in ("proxied_a", "proxied_b", "direct_a", "direct_b"):
        members[name] = member(name)

    category = Category.objects.order_by("position", "pk").first()
    assert category is not None, "the seeded categories are missing"
    writer = members["writer"]
    topic = services.create_topic(
        author=writer, category=category, title="A probe topic", body="Checking in this week."
    )
    # Published replies by someone else: what the poster reports and reacts to.
    others = [
        services.create_reply(author=members["reader"], topic=topic, body=f"Reply {i}.")
        for i in range(12)
    ]
    pending = services.create_reply(author=newcomer, topic=topic, body="My first words here.")
    assert pending.status == Status.PENDING, pending.status
    hidden = services.create_reply(author=members["oak"], topic=topic, body="To be hidden.")
    community_services.act_on_item(
        moderator=warden,
        item=ReviewItem.objects.create(post=hidden),
        action=ModerationAction.HIDE,
        reason=ModerationReason.JUDGING,
        explanation="Hidden while we look at it.",
    )
    _sanction(quiet, "mute")
    muted_post = Post.objects.filter(author=quiet).values_list("pk", flat=True).get()
    last = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    print(
        json.dumps(
            {
                "category": category.slug,
                "topic": topic.pk,
                "others": [post.pk for post in others],
                "pending": pending.pk,
                "hidden": hidden.pk,
                "missing": last + 1000,
                "muted_post": muted_post,
                "token": unsubscribe_token(user=writer, kind=DIGEST_TOKEN_KIND),
            }
        )
    )


def _sanction(user, action: str) -> str:
    """`user` muted or suspended for three days by a moderator's decision; the end, ISO."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from community import services as community_services
    from community.models import ModerationAction, ModerationReason, ReviewItem
    from forum import services
    from forum.models import Topic

    topic = Topic.objects.order_by("pk").first()
    assert topic is not None
    post = services.create_reply(author=user, topic=topic, body="Words a moderator looked at.")
    until = timezone.now() + timedelta(days=3)
    community_services.act_on_item(
        moderator=User.objects.get(username="warden"),
        item=ReviewItem.objects.create(post=post),
        action=ModerationAction(action),
        reason=ModerationReason.JUDGING,
        explanation="Let's take a breather.",
        until=until,
    )
    return until.isoformat()


def sanction(username: str, action: str) -> None:
    import django

    django.setup()
    from accounts.models import User

    print(_sanction(User.objects.get(username=username), action))


# --- outside: a browser that speaks HTTP to gunicorn -------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Browser:
    """One visitor: its own cookies, the client address the proxy reports for it, and the
    address it connects from (the proxy's unless it bypasses it)."""

    port: int
    client: str
    source: str = PROXY
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Answer:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        sent = {"Host": "127.0.0.1", "X-Forwarded-For": self.client, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        seconds = time.perf_counter() - started
        for line in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        answered = {k.lower(): v for k, v in response.getheaders()}
        return Answer(response.status, answered, text, seconds)

    def get(self, path: str, **kw) -> Answer:
        return self.request("GET", path, **kw)

    def csrf(self, path: str) -> str:
        """The CSRF token of the form on `path` (or, failing that, of the login page)."""
        found = CSRF_INPUT.search(self.get(path).body)
        if found is None:
            found = CSRF_INPUT.search(self.get("/accounts/login/").body)
        assert found is not None, f"no form on {path}"
        return found.group(1)

    def post(self, path: str, data: dict, *, form: str | None = None, **kw) -> Answer:
        token = self.csrf(form or path)
        return self.request("POST", path, data={"csrfmiddlewaretoken": token, **data}, **kw)

    def log_in(self, email: str, password: str = PASSWORD) -> Answer:
        return self.post("/accounts/login/", {"login": email, "password": password})

    @property
    def signed_in(self) -> bool:
        return self.get("/notifications/").status == 200


def totp_code(secret: str) -> str:
    """RFC 6238: the six-digit code an authenticator app shows now."""
    digest = hmac.new(
        base64.b32decode(secret), struct.pack(">Q", int(time.time()) // 30), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def email(name: str) -> str:
    return f"{name}@probe.invalid"


def blanked(html: str) -> str:
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', html)


LOCKED = "several unsuccessful attempts to sign in"


# --- the items --------------------------------------------------------------------------------


@dataclass
class Row:
    item: str
    request: str
    expected: str
    got: str
    ok: bool


class Probe:
    def __init__(self, port: int, seeded: dict, env: dict[str, str], log: Path):
        self.port, self.seed, self.env, self.log = port, seeded, env, log
        self.rows: list[Row] = []
        self._clients = 0

    def browser(self, *, client: str | None = None, source: str = PROXY) -> Browser:
        self._clients += 1
        return Browser(self.port, client or f"198.51.100.{self._clients % 250 + 1}", source)

    def row(self, item: str, request: str, expected: str, got: str, ok: bool) -> None:
        self.rows.append(Row(item, request, expected, got, ok))
        print(f"  {'ok ' if ok else 'NO '} {item:>3} {request}: {got}", flush=True)

    def member(self, name: str, **kw) -> Browser:
        browser = self.browser(**kw)
        answer = browser.log_in(email(name))
        assert answer.status == 302, (name, answer.status)
        # The next page shows "You have signed in" once; pages compared later must not differ
        # by it.
        browser.get(answer.location)
        return browser

    # 1
    def admin_login(self) -> None:
        side = self.browser()
        token = side.csrf("/accounts/login/")
        answer = side.request(
            "POST",
            "/admin/login/?next=/admin/",
            data={"csrfmiddlewaretoken": token, "username": "keeper", "password": PASSWORD},
        )
        admin, moderation = side.get("/admin/"), side.get("/moderation/")
        self.row(
            "1",
            "POST /admin/login/ (admin's password, TOTP set up), then GET /admin/, /moderation/",
            "302 to allauth's login; both pages still ask to log in",
            f"{answer.status} {answer.location}; /admin/ {admin.status}, "
            f"/moderation/ {moderation.status} {moderation.location}",
            answer.status == 302
            and answer.location.startswith("/accounts/login/")
            and admin.status == 302
            and moderation.status == 302
            and moderation.location.startswith("/accounts/login/"),
        )
        front = self.browser()
        answer = front.log_in(email("keeper"))
        moderation = front.get("/moderation/")
        self.row(
            "1",
            "POST /accounts/login/ (same account), then GET /moderation/ without the code",
            "302 to the 2FA step; /moderation/ asks to log in",
            f"{answer.status} {answer.location}; /moderation/ {moderation.status}",
            answer.status == 302
            and answer.location == "/accounts/2fa/authenticate/"
            and moderation.status == 302,
        )
        answer = front.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
        admin, moderation = front.get("/admin/"), front.get("/moderation/")
        self.row(
            "1",
            "POST /accounts/2fa/authenticate/ (the code), then GET /admin/, /moderation/",
            "302, then 200 and 200",
            f"{answer.status}; /admin/ {admin.status}, /moderation/ {moderation.status}",
            answer.status == 302 and admin.status == 200 and moderation.status == 200,
        )

        helper = self.member("helper")
        token = helper.csrf("/accounts/password/change/")
        answers = [
            helper.request(
                "POST",
                "/admin/login/?next=/admin/",
                data={"csrfmiddlewaretoken": token, "username": "keeper", "password": password},
            )
            for password in (PASSWORD, "a-wrong-guess-1234")
        ]
        moderation = helper.get("/moderation/")
        setup = "/accounts/2fa/totp/activate/"
        self.row(
            "1",
            "signed in as staff without 2FA: POST /admin/login/ with the admin's password, "
            "then a wrong one; GET /moderation/",
            f"302 to {setup} both (nothing checked); still the staff member: /moderation/ 404",
            f"{[(a.status, a.location) for a in answers]}; /moderation/ {moderation.status}",
            all(a.status == 302 and a.location == setup for a in answers)
            and moderation.status == 404,
        )
        admin = helper.get("/admin/")
        login = helper.get(admin.location) if admin.status == 302 else admin
        self.row(
            "1",
            "signed in as staff without 2FA: GET /admin/",
            f"302 to /admin/login/, then to {setup}",
            f"{admin.status} {admin.location} -> {login.status} {login.location}",
            admin.status == 302 and login.status == 302 and login.location == setup,
        )

    # 2
    def signup_timing(self) -> None:
        def sign_up(address: str, n: int) -> Answer:
            browser = self.browser(client=f"192.0.2.{n % 250 + 1}")
            return browser.post(
                "/accounts/signup/",
                {
                    "email": address,
                    "username": f"probe_joiner_{n}",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "accept_guidelines": "on",
                },
            )

        known: list[float] = []
        new: list[float] = []
        answers: set[tuple[int, str]] = set()
        for n in range(20):
            for existing in (True, False):
                address = email("writer") if existing else f"joiner{n}@probe.invalid"
                answer = sign_up(address, 2 * n + existing)
                (known if existing else new).append(answer.seconds)
                answers.add((answer.status, answer.location))
        k, u = statistics.median(known), statistics.median(new)
        difference = abs(k - u) / max(k, u)
        self.row(
            "2",
            "POST /accounts/signup/ x20 existing email, x20 new (interleaved)",
            "same answer; medians within 20%",
            f"{sorted(answers)}; {k * 1000:.0f} vs {u * 1000:.0f} ms ({difference:.0%})",
            len(answers) == 1 and difference < 0.2,
        )

    # 3
    def suspended_session(self) -> None:
        browser = self.member("paused")
        before = browser.get("/")
        until = datetime.fromisoformat(self._manage("sanction", "paused", "suspend"))
        answer = browser.get("/")
        page = browser.get(answer.location) if answer.status == 302 else answer
        after = browser.get("/notifications/")
        day = f"{until.day} {until.strftime('%B %Y')}"
        words = ["Your account is paused", day, "ask for a review"]
        self.row(
            "3",
            "GET / with a live session, after a moderator suspends the member",
            "302 to /account/paused/: 200 saying until when and how to ask for a review; "
            "signed out",
            f"before {before.status}; {answer.status} {answer.location} -> {page.status}, "
            f"words {sum(w in page.body for w in words)}/3; /notifications/ after: "
            f"{after.status} {after.location.split('?')[0]}",
            before.status == 200
            and answer.status == 302
            and answer.location == "/account/paused/"
            and page.status == 200
            and all(w in page.body for w in words)
            and after.status == 302
            and after.location.startswith("/accounts/login/"),
        )
        again = browser.log_in(email("paused"))
        page = browser.get(again.location) if again.status == 302 else again
        self.row(
            "3",
            "POST /accounts/login/ (right password) while suspended",
            "302 to /account/paused/ (the same kind page), not signed in",
            f"{again.status} {again.location} -> {page.status}, signed in: {browser.signed_in}",
            again.location == "/account/paused/"
            and "Your account is paused" in page.body
            and not browser.signed_in,
        )

    # 4
    def lockout(self) -> None:
        owner = self.member("owner", client="192.0.2.200")
        owner.post("/accounts/logout/", {}, form="/")
        attacker = self.browser(client="203.0.113.40")
        wrong = [attacker.log_in(email("owner"), "not-the-password") for _ in range(5)]
        fresh = self.browser(client="192.0.2.200")
        answer = fresh.log_in(email("owner"))
        self.row(
            "4",
            "5 wrong passwords from 203.0.113.40, then the owner's right one from 192.0.2.200",
            "200 (form again) x5; the owner: 302, signed in",
            f"{sorted({a.status for a in wrong})} x5; owner {answer.status}",
            all(a.status == 200 for a in wrong) and answer.status == 302 and fresh.signed_in,
        )
        more = [attacker.log_in(email("owner"), "not-the-password") for _ in range(6)]
        first_paused = next((n + 6 for n, a in enumerate(more) if LOCKED in a.body), None)
        self.row(
            "4",
            "6 more wrong passwords from 203.0.113.40 (11 in all)",
            "the 11th is paused (per address: 10 / 15 min)",
            f"paused from attempt {first_paused}",
            LOCKED not in more[4].body and LOCKED in more[5].body,
        )
        for n in range(41, 45):
            spread = self.browser(client=f"203.0.113.{n}")
            for _ in range(6):
                spread.log_in(email("owner"), "not-the-password")
        stranger = self.browser(client="198.18.7.7")
        refused = stranger.log_in(email("owner"))
        self.row(
            "4",
            "24 more from 4 addresses (>30 failures/h), then the right password, new browser",
            "paused (per account: 30 / hour for unknown browsers)",
            f"{refused.status}, paused: {LOCKED in refused.body}",
            refused.status == 200 and LOCKED in refused.body and not stranger.signed_in,
        )
        guesser = self.browser(client="203.0.113.60")
        step = guesser.log_in(email("keeper"))
        token = guesser.csrf("/accounts/2fa/authenticate/")
        codes = []
        for _ in range(11):
            wrong = f"{(int(totp_code(TOTP_SECRET)) + 1) % 1_000_000:06d}"
            codes.append(
                guesser.request(
                    "POST",
                    "/accounts/2fa/authenticate/",
                    data={"csrfmiddlewaretoken": token, "code": wrong},
                )
            )
        self.row(
            "4",
            "the admin's right password, then 11 wrong two-factor codes from one address",
            "the 11th is paused (the same per-address limit)",
            f"{step.status} {step.location}; paused at the 11th: {LOCKED in codes[10].body}",
            step.location == "/accounts/2fa/authenticate/"
            and LOCKED not in codes[9].body
            and LOCKED in codes[10].body,
        )
        fresh.post("/accounts/logout/", {}, form="/")
        answer = owner.log_in(email("owner"))
        self.row(
            "4",
            "then the owner's right password from their own browser and address",
            "302, signed in (a known browser is never locked out)",
            f"{answer.status} {answer.location}",
            answer.status == 302 and owner.signed_in,
        )

    # 5
    def posting_limits(self) -> None:
        poster = self.member("poster")
        topic = self.seed["topic"]
        token = poster.csrf(f"/t/{topic}/reply/")
        statuses = []
        kept = True
        for n in range(50):
            body = f"Probe reply {n}: one more small step today."
            answer = poster.request(
                "POST",
                f"/t/{topic}/reply/",
                data={"csrfmiddlewaretoken": token, "body": body, "submission_token": uuid.uuid4()},
            )
            statuses.append(answer.status)
            if answer.status == 429:
                kept = (
                    kept
                    and body in answer.body
                    and "Anything you wrote is still here" in answer.body
                )
        self.row(
            "5",
            f"POST /t/{topic}/reply/ x50 fast (established member: 6/min)",
            "6 x 302, then 429 with the text kept",
            f"{statuses.count(302)} x 302, {statuses.count(429)} x 429, text kept: {kept}",
            statuses[:6] == [302] * 6 and set(statuses[6:]) == {429} and kept,
        )
        newcomer = self.member("newcomer")
        statuses = []
        for n in range(5):
            answer = newcomer.post(f"/t/{topic}/reply/", {"body": f"Newcomer reply {n}."})
            statuses.append(answer.status)
        self.row(
            "5",
            f"POST /t/{topic}/reply/ x5 (new member: 3/min)",
            "3 x 302, then 429",
            " ".join(map(str, statuses)),
            statuses == [302, 302, 302, 429, 429],
        )
        new_topic = f"/c/{self.seed['category']}/new/"
        statuses = []
        for n in range(12):
            answer = poster.post(new_topic, {"title": f"Probe topic {n}", "body": "Small steps."})
            statuses.append(answer.status)
        self.row(
            "5",
            f"POST {new_topic} x12 (established member: 10/hour)",
            "10 x 302, then 429",
            f"{statuses.count(302)} x 302, then {statuses[10:]}",
            statuses == [302] * 10 + [429] * 2,
        )
        statuses, kept = [], False
        for pk in self.seed["others"][:11]:
            note = f"Probe note about post {pk}."
            answer = poster.post(f"/p/{pk}/report/", {"reason": "other", "note": note})
            statuses.append(answer.status)
            kept = note in answer.body
        self.row(
            "5",
            "POST /p/<pk>/report/ on 11 posts (10 per 10 min)",
            "10 x 302, then 429 with the note kept",
            f"{statuses.count(302)} x 302, then {statuses[10:]}, note kept: {kept}",
            statuses == [302] * 10 + [429] and kept,
        )
        post = self.seed["others"][0]
        token = poster.csrf(f"/t/{topic}/")
        statuses = [
            poster.request(
                "POST",
                f"/p/{post}/react/",
                data={"csrfmiddlewaretoken": token, "reaction": f"hear:{'on' if n % 2 else 'off'}"},
            ).status
            for n in range(61)
        ]
        self.row(
            "5",
            f"POST /p/{post}/react/ x61 (60/min)",
            "60 x 302, then 429",
            f"{statuses.count(302)} x 302, then {statuses[60:]}",
            statuses == [302] * 60 + [429],
        )
        statuses = [
            poster.request(
                "POST",
                f"/t/{topic}/{'follow' if n % 2 else 'unfollow'}/",
                data={"csrfmiddlewaretoken": token},
            ).status
            for n in range(31)
        ]
        self.row(
            "5",
            f"POST /t/{topic}/follow/, /unfollow/ x31 (30/min)",
            "30 x 302, then 429",
            f"{statuses.count(302)} x 302, then {statuses[30:]}",
            statuses == [302] * 30 + [429],
        )
        statuses, kept = [], False
        token = poster.csrf("/settings/profile/")
        for n in range(11):
            bio = f"Probe bio, version {n}."
            answer = poster.request(
                "POST",
                "/settings/profile/",
                data={"csrfmiddlewaretoken": token, "display_name": "", "bio": bio},
            )
            statuses.append(answer.status)
            kept = bio in answer.body
        self.row(
            "5",
            "POST /settings/profile/ x11 (10/hour)",
            "10 x 302, then 429 with the text kept",
            f"{statuses.count(302)} x 302, then {statuses[10:]}, text kept: {kept}",
            statuses == [302] * 10 + [429] and kept,
        )

    # 6
    def existence(self) -> None:
        reader = self.member("reader")
        missing = self.seed["missing"]
        token = reader.csrf(f"/t/{self.seed['topic']}/")
        forms = {"react/": {"reaction": "hear:on"}, "report/": {"reason": "other"}}
        requests = [("GET", suffix) for suffix in ("", "report/", "edit/", "history/")] + [
            ("POST", suffix) for suffix in ("report/", "edit/", "delete/", "react/")
        ]
        for method, suffix in requests:
            data = {"csrfmiddlewaretoken": token, **forms.get(suffix, {"body": "Changed."})}
            sent = data if method == "POST" else None
            gone = reader.request(method, f"/p/{missing}/{suffix}", data=sent)
            for state in ("pending", "hidden"):
                answer = reader.request(method, f"/p/{self.seed[state]}/{suffix}", data=sent)
                same = blanked(answer.body) == blanked(gone.body)
                if not same:
                    (LOGS / f"6-{state}.html").write_text(answer.body)
                    (LOGS / "6-missing.html").write_text(gone.body)
                self.row(
                    "6",
                    f"{method} /p/<{state} pk>/{suffix} vs /p/<missing pk>/{suffix} (member)",
                    "404 both, same body (CSRF blanked)",
                    f"{answer.status} vs {gone.status}, same body: {same}",
                    answer.status == gone.status == 404 and same,
                )
        visitor = self.browser()
        gone = visitor.get(f"/p/{missing}/")
        answer = visitor.get(f"/p/{self.seed['pending']}/")
        same = answer.location.replace(str(self.seed["pending"]), "?") == gone.location.replace(
            str(missing), "?"
        )
        self.row(
            "6",
            "GET /p/<pending pk>/ vs /p/<missing pk>/ (visitor)",
            "302 to log in, both, before any lookup",
            f"{answer.status} vs {gone.status}, same but for the id: {same}",
            answer.status == gone.status == 302
            and answer.location.startswith("/accounts/login/")
            and same,
        )
        huge = "99999999999999999999"
        requests = [
            ("GET", f"/p/{huge}/"),
            ("GET", f"/t/{huge}/"),
            ("GET", f"/p/{huge}/report/"),
            ("GET", f"/my/decisions/{huge}/"),
            ("GET", f"/messages/{huge}/"),
            ("POST", f"/notifications/{huge}/read/"),
            ("POST", f"/t/{huge}/follow/"),
        ]
        data = {"csrfmiddlewaretoken": token}
        statuses = [
            reader.request(method, path, data=data if method == "POST" else None).status
            for method, path in requests
        ]
        self.row(
            "6",
            f"GET /p/, /t/, /p/…/report/, /my/decisions/, /messages/; POST "
            f"/notifications/…/read/, /t/…/follow/ with id {huge}",
            "404 each",
            " ".join(map(str, statuses)),
            statuses == [404] * len(requests),
        )

    # 7
    def impersonation(self) -> None:
        impostor = self.member("impostor")
        for name, why in (
            ("Oak (Moderator)", "Names here can&#x27;t mention moderators"),
            ("\u041eak", "looks very much like another member"),
            ("quiet river", "looks very much like another member"),
        ):
            answer = impostor.post("/settings/profile/", {"display_name": name, "bio": ""})
            profile = impostor.get("/u/impostor/")
            typed = f'value="{name}"'
            self.row(
                "7",
                f"POST /settings/profile/ display_name={name!r} ('Oak', 'quiet_river' exist)",
                "200, refused with kind words, typed name kept, profile unchanged",
                f"{answer.status}, words: {why in answer.body}, kept: "
                f"{typed.strip() in answer.body}, shown: {name in profile.body}",
                answer.status == 200
                and why in answer.body
                and typed.strip() in answer.body
                and name not in profile.body,
            )
        for username, why, exists in (
            ("quiet_river.", "looks very much like another member", "'quiet_river' exists"),
            ("0AK", "looks very much like another member", "'oak' exists"),
            ("oak_moderator", "can&#x27;t mention moderators", "a role"),
            ("lantern_team", "can&#x27;t mention moderators", "the site's name"),
        ):
            joiner = self.browser()
            answer = joiner.post(
                "/accounts/signup/",
                {
                    "email": f"{username.strip('.').lower()}@probe.invalid",
                    "username": username,
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                    "accept_guidelines": "on",
                },
            )
            kept = f'value="{username}"' in answer.body
            self.row(
                "7",
                f"POST /accounts/signup/ username={username!r} ({exists})",
                "200, refused with kind words, typed name kept",
                f"{answer.status}, words: {why in answer.body}, kept: {kept}",
                answer.status == 200 and why in answer.body and kept,
            )

    # 8
    def muted(self) -> None:
        quiet = self.member("quiet")
        topic, post = self.seed["topic"], self.seed["others"][1]
        new_topic, own = f"/c/{self.seed['category']}/new/", self.seed["muted_post"]
        until = "paused for you until"
        checks = [
            ("POST", f"/p/{post}/react/", {"reaction": "hear:on"}, f"/t/{topic}/", 403, until),
            ("POST", f"/t/{topic}/reply/", {"body": "Muted words."}, None, 403, until),
            ("POST", new_topic, {"title": "Muted topic", "body": "Muted words."}, None, 403, until),
            ("POST", f"/p/{own}/edit/", {"body": "Muted edit."}, f"/t/{topic}/", 403, until),
            ("POST", "/settings/profile/", {"display_name": "Quiet one"}, None, 403, "until"),
            ("GET", "/settings/profile/", None, None, 200, "until"),
            ("POST", f"/t/{topic}/follow/", {}, f"/t/{topic}/", 302, ""),
            ("POST", f"/p/{post}/report/", {"reason": "other"}, None, 302, ""),
            ("GET", f"/t/{topic}/", None, None, 200, ""),
        ]
        for method, path, data, form, status, words in checks:
            answer = quiet.get(path) if data is None else quiet.post(path, data, form=form)
            self.row(
                "8",
                f"muted: {method} {path}",
                f"{status}" + (" saying until when" if words else ""),
                f"{answer.status}" + (f", until: {words in answer.body}" if words else ""),
                answer.status == status and words in answer.body,
            )
        profile = quiet.get("/u/quiet/")
        self.row(
            "8",
            "muted: GET /u/quiet/ after the refused profile edit",
            "display name unchanged",
            f"'Quiet one' shown: {'Quiet one' in profile.body}",
            profile.status == 200 and "Quiet one" not in profile.body,
        )

    # 9
    def private_caching(self) -> None:
        writer = self.member("writer")
        for path in (
            "/",
            f"/t/{self.seed['topic']}/",
            "/notifications/",
            "/u/writer/",
            "/settings/profile/",
            "/my/reports/",
            "/my/safety-plan/",
            "/messages/",
            f"/p/{self.seed['missing']}/",
        ):
            answer = writer.get(path)
            control = answer.headers.get("cache-control", "")
            parts = {part.strip() for part in control.split(",")}
            self.row(
                "9",
                f"GET {path} (signed in)",
                "Cache-Control: private, no-store",
                f"{answer.status}, {control or '(none)'}",
                {"private", "no-store"} <= parts,
            )

    # 10
    def token_logs(self) -> None:
        token = self.seed["token"]
        url = f"/notifications/unsubscribe/{token}/"
        visitor = self.browser()
        page = visitor.get(url)
        bad = visitor.get(f"/notifications/unsubscribe/{token}x/")
        # Browsers send the full same-origin address as the Referer (Referrer-Policy same-origin).
        visitor.get("/", headers={"Referer": f"http://127.0.0.1:{self.port}{url}"})
        reset = visitor.get("/accounts/password/reset/key/1-probe0secret0key0123456789/")
        confirm = visitor.get("/accounts/confirm-email/probe0confirm0key0123456789/")
        time.sleep(1)  # gunicorn writes the access line after the response
        text = self.log.read_text()
        secrets = [token, *token.split(":"), "probe0secret0key", "probe0confirm0key"]
        leaked = [s for s in secrets if len(s) >= 6 and s in text]
        masked = text.count("[masked]")
        self.row(
            "10",
            f"GET {url[:40]}… ({page.status}), altered ({bad.status}), as Referer, "
            f"reset key ({reset.status}), confirm key ({confirm.status})",
            "no token in gunicorn's access or error log, nor Django's; [masked] instead",
            f"{len(leaked)} secrets in the log, {masked} lines with [masked]",
            not leaked
            and masked >= 6
            and "Bad Request: /notifications/unsubscribe/[masked]/" in text,
        )

    # 11
    def forwarded(self) -> None:
        guesser = self.browser(client="203.0.113.99")
        attempts = [guesser.log_in(email("proxied_a"), "not-the-password") for _ in range(11)]
        other = self.browser(client="203.0.113.100")
        answer = other.log_in(email("proxied_b"))
        self.row(
            "11",
            "via the proxy: 11 wrong passwords as 203.0.113.99, then another client signs in",
            "the guesser is paused at the 11th; the other client: 302",
            f"guesser paused: {LOCKED in attempts[10].body}, other: {answer.status}",
            LOCKED not in attempts[9].body and LOCKED in attempts[10].body and answer.status == 302,
        )
        attempts = []
        for n in range(11):
            forger = Browser(self.port, f"198.18.{n}.1", BYPASS)
            attempts.append(forger.log_in(email("direct_a"), "not-the-password"))
        forger = Browser(self.port, "198.18.200.1", BYPASS)
        answer = forger.log_in(email("direct_b"))
        self.row(
            "11",
            "from 127.0.0.2 (not the proxy): 11 wrong passwords, a new X-Forwarded-For each",
            "X-Forwarded-For ignored: paused at the 11th, and its next sign-in too",
            f"paused at 11th: {LOCKED in attempts[10].body}, next sign-in: {answer.status}, "
            f"paused: {LOCKED in answer.body}",
            LOCKED not in attempts[9].body
            and LOCKED in attempts[10].body
            and answer.status == 200
            and LOCKED in answer.body,
        )

    def _manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(PY), str(Path(__file__)), *args],
            env={**os.environ, **self.env, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    def run(self) -> None:
        only = set(filter(None, os.environ.get("PROBE_ONLY", "").split(",")))
        for step in (
            self.admin_login,
            self.signup_timing,
            self.suspended_session,
            self.lockout,
            self.posting_limits,
            self.existence,
            self.impersonation,
            self.muted,
            self.private_caching,
            self.token_logs,
            self.forwarded,
        ):
            if only and step.__name__ not in only:
                continue
            print(f"[probe {time.strftime('%H:%M:%S')}] {step.__name__}", flush=True)
            try:
                step()
            except Exception as error:  # a crashed item is a failed row, not a lost table
                self.row("?", step.__name__, "runs", f"{type(error).__name__}: {error}", False)


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, redis_url: str, port: int) -> dict[str, str]:
    site = f"http://127.0.0.1:{port}"
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": site,
        "SITE_URL": site,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "9",
        "LOG_LEVEL": "INFO",
        "FORWARDED_ALLOW_IPS": PROXY,
        "TRUSTED_PROXY_COUNT": "1",
        "WEB_CONCURRENCY": "2",
    }


def fresh_database() -> str:
    import psycopg

    base = urlparse(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/lantern")
    if base.scheme not in ("postgres", "postgresql"):
        raise SystemExit("security-probe: DATABASE_URL must name a PostgreSQL server")
    name = (base.path.lstrip("/") or "lantern") + "_security_probe"
    admin = urlunparse(base._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(base._replace(path=f"/{name}"))


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def wait_listening(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("security-probe: gunicorn exited; see var/security_probe/web.log")
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("security-probe: gunicorn did not start listening")


def table(rows: list[Row]) -> str:
    lines = ["| item | request | expected | got | ok |", "|---|---|---|---|---|"]
    for row in rows:
        cells = [row.item, row.request, row.expected, row.got, "yes" if row.ok else "NO"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main() -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    redis_url = os.environ.get("PROBE_REDIS_URL", "redis://127.0.0.1:6379/9")
    port = free_port()
    env = environment(fresh_database(), redis_url, port)
    empty_redis(redis_url)
    run_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    manage = [str(PY), "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], env=run_env, cwd=ROOT, check=True)
    seeded = subprocess.run(
        [str(PY), str(Path(__file__)), "seed"],
        env=run_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    seed_data = json.loads(seeded.stdout.strip().splitlines()[-1])
    log = LOGS / "web.log"
    gunicorn = [
        str(PY.parent / "gunicorn"),
        "config.wsgi:application",
        "-c",
        "config/gunicorn.py",
        "-b",
        f"127.0.0.1:{port}",
    ]
    with log.open("w") as out:
        web = subprocess.Popen(
            gunicorn, env=run_env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    started = datetime.now(UTC)
    try:
        wait_listening(port, web)
        probe = Probe(port, seed_data, env, log)
        probe.run()
    finally:
        web.send_signal(signal.SIGTERM)
        try:
            web.wait(timeout=30)
        except subprocess.TimeoutExpired:
            web.kill()
        empty_redis(redis_url)
    print()
    print(f"Security probe, {started:%Y-%m-%d %H:%M} UTC, production settings behind gunicorn")
    print(table(probe.rows))
    failed = [row for row in probe.rows if not row.ok]
    print(f"\n{len(probe.rows) - len(failed)} of {len(probe.rows)} rows hold.")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        seed()
    elif sys.argv[1:2] == ["sanction"]:
        sanction(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
