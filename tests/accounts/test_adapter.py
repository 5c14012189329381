"""Nothing in an answer tells whether an address has an account: status, page or timing.

Signup, login, password reset and adding an email address are each posted with an address that
has an account and one that does not; the answers must have the same status, the same page once
the CSRF token and the echoed address are removed, and medians of 21 interleaved timings within
20% of each other. These tests use the real Argon2 hasher (test settings use MD5 for speed).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

import config.settings.base as base
from accounts.models import AccountMail, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUNS = 21
PASSWORD = "correct-horse-battery-staple"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def argon2():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        yield


def page(response, *addresses: str) -> str:
    text = CSRF.sub("", response.content.decode())
    for address in addresses:
        text = text.replace(address, "ADDRESS")
    return text


def medians(
    known: Callable[[int], object], unknown: Callable[[int], object]
) -> tuple[float, float]:
    """Median seconds of `known(i)` and `unknown(i)`, interleaved so load hits both alike."""
    for i in range(2):  # warm caches, templates and connections for both paths
        known(1000 + i)
        unknown(1000 + i)
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for i in range(RUNS):
        pair = [("known", known), ("unknown", unknown)]
        for name, action in pair if i % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            action(i)
            times[name].append(time.perf_counter() - started)
    return statistics.median(times["known"]), statistics.median(times["unknown"])


def assert_same_timing(known: Callable[[int], object], unknown: Callable[[int], object]) -> None:
    """The medians differ by less than 20% of the larger.

    A shared, busy machine can skew one round; a real difference in work skews every round. So
    a round that differs is measured again, up to three rounds, and one close round passes.
    """
    rounds = []
    for attempt in range(3):
        k, u = medians(lambda i: known(i + 100 * attempt), lambda i: unknown(i + 100 * attempt))
        rounds.append(f"known {k * 1000:.1f} ms, unknown {u * 1000:.1f} ms")
        print(rounds[-1])  # shown with -s: the numbers behind docs/security.md
        if abs(k - u) / max(k, u) < 0.2:
            return
    pytest.fail("timings differ by 20% or more in every round: " + "; ".join(rounds))


# --- signup ----------------------------------------------------------------------------------


def signup(address: str, username: str):
    return Client().post(
        reverse("account_signup"),
        {
            "email": address,
            "username": username,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_guidelines": "on",
        },
        follow=True,
    )


@pytest.mark.usefixtures("argon2")
def test_signup_answers_alike_for_a_known_and_a_new_address():
    UserFactory(email="taken@example.test")
    known = signup("taken@example.test", "known_visitor")
    unknown = signup("fresh@example.test", "fresh_visitor")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert page(known, "taken@example.test") == page(unknown, "fresh@example.test")


@pytest.mark.usefixtures("argon2")
def test_signup_takes_as_long_for_a_known_address_as_for_a_new_one():
    UserFactory(email="taken@example.test")
    assert_same_timing(
        lambda i: signup("taken@example.test", f"known_{i}"),
        lambda i: signup(f"fresh{i}@example.test", f"fresh_{i}"),
    )


def test_both_signup_mails_go_through_the_outbox_with_only_an_id(
    django_capture_on_commit_callbacks,
):
    UserFactory(email="taken@example.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signup("taken@example.test", "known_visitor")
        signup("fresh@example.test", "fresh_visitor")
    # Nothing was sent in the request: each mail is a row, handed over after commit.
    assert mail.outbox == []
    assert sorted(AccountMail.objects.values_list("to", flat=True)) == [
        "fresh@example.test",
        "taken@example.test",
    ]
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["fresh@example.test", "taken@example.test"]
    assert AccountMail.objects.filter(sent_at__isnull=True).count() == 0
    # The links are credentials: the stored copies are gone once sent.
    assert set(AccountMail.objects.values_list("body", "html")) == {("", "")}


# --- login -----------------------------------------------------------------------------------


def login(address: str):
    return Client().post(
        reverse("account_login"), {"login": address, "password": "not-the-password-1"}
    )


@pytest.mark.usefixtures("argon2")
def test_login_answers_alike_and_as_fast_for_a_known_and_an_unknown_address():
    UserFactory(email="known@example.test")
    known, unknown = login("known@example.test"), login("nobody@example.test")
    assert known.status_code == unknown.status_code == 200
    assert page(known, "known@example.test") == page(unknown, "nobody@example.test")
    assert_same_timing(
        lambda i: login("known@example.test"), lambda i: login("nobody@example.test")
    )


# --- password reset --------------------------------------------------------------------------


def reset(address: str):
    return Client().post(reverse("account_reset_password"), {"email": address}, follow=True)


@pytest.mark.usefixtures("argon2")
def test_password_reset_answers_alike_and_as_fast_for_a_known_and_an_unknown_address():
    UserFactory(email="known@example.test")
    known, unknown = reset("known@example.test"), reset("nobody@example.test")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert page(known, "known@example.test") == page(unknown, "nobody@example.test")
    assert_same_timing(
        lambda i: reset("known@example.test"), lambda i: reset("nobody@example.test")
    )


# --- adding an email address -----------------------------------------------------------------


@pytest.fixture
def signed_in():
    member = UserFactory(email="me@example.test")
    client = Client()
    client.force_login(member)
    return client


def add_email(client: Client, address: str):
    return client.post(reverse("account_email"), {"action_add": "", "email": address}, follow=True)


@pytest.mark.usefixtures("argon2")
def test_adding_an_address_answers_alike_and_as_fast_whether_it_has_an_account(signed_in):
    UserFactory(email="someone@example.test")
    known = add_email(signed_in, "someone@example.test")
    unknown = add_email(signed_in, "new-address@example.test")
    assert known.status_code == unknown.status_code
    assert known.redirect_chain == unknown.redirect_chain
    assert page(known, "someone@example.test") == page(unknown, "new-address@example.test")
    # A prober tries a different address each time: each known one belongs to an account.
    indices = [*range(RUNS), *range(100, 100 + RUNS), *range(200, 200 + RUNS), 1000, 1001]
    owners = User.objects.bulk_create(
        User(username=f"owner_{i}", email=f"taken{i}@example.test", password="!") for i in indices
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=owner, email=owner.email, verified=True, primary=True) for owner in owners
    )
    assert_same_timing(
        lambda i: add_email(signed_in, f"taken{i}@example.test"),
        lambda i: add_email(signed_in, f"new{i}@example.test"),
    )


# --- allauth's rate limits (off in test settings, the production rates here) ----------------

PRODUCTION_LIMITS = override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)


@pytest.fixture
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@PRODUCTION_LIMITS
@pytest.mark.usefixtures("fresh_counts")
def test_signups_are_limited_per_address_with_a_kind_page():
    client = Client()
    for n in range(20):
        response = client.post(
            reverse("account_signup"),
            {"email": f"s{n}@example.test", "username": f"sign_{n}", "accept_guidelines": "on"},
            REMOTE_ADDR="198.51.100.3",
        )
        assert response.status_code == 200  # refused only for the missing password
    response = client.post(reverse("account_signup"), {}, REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 429
    assert "Please wait a moment" in response.content.decode()
    other = Client().post(reverse("account_signup"), {}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 200


@PRODUCTION_LIMITS
@pytest.mark.usefixtures("fresh_counts")
def test_password_resets_are_limited_per_address_and_per_email():
    UserFactory(email="known@example.test")
    answers = [
        Client().post(
            reverse("account_reset_password"),
            {"email": "known@example.test"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers[:5]] == [302] * 5
    # The sixth for the same address in a minute is refused, and the page says why, kindly.
    assert answers[5].status_code == 429
    assert "Please wait a moment" in answers[5].content.decode()
    many = [
        Client().post(
            reverse("account_reset_password"),
            {"email": f"n{n}@example.test"},
            REMOTE_ADDR="203.0.113.9",
        )
        for n in range(21)
    ]
    assert [a.status_code for a in many[:20]] == [302] * 20
    assert many[20].status_code == 429


@PRODUCTION_LIMITS
@pytest.mark.usefixtures("fresh_counts")
def test_failed_logins_are_limited_and_a_right_password_is_then_refused_too():
    UserFactory(email="known@example.test")
    for n in range(10):
        login_from = Client().post(
            reverse("account_login"),
            {"login": "known@example.test", "password": "wrong-password-x"},
            REMOTE_ADDR="198.51.100.9",
        )
        assert "paused sign-ins" not in login_from.content.decode()
    refused = Client().post(
        reverse("account_login"),
        {"login": "known@example.test", "password": "a-long-test-password"},
        REMOTE_ADDR="198.51.100.9",
    )
    assert refused.status_code == 200
    assert "paused sign-ins" in refused.content.decode()
