"""Every allauth page a visitor or member can reach speaks the site's voice.

Sentence case, "Log in" and "Join Lantern": never allauth's own "Sign In", "Signup" or
"Remember Me:". Each page is rendered through the client as a person would reach it, and its
visible words (tags stripped) are checked.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BANNED = re.compile(r"sign[ -]?in|sign[ -]?up|sign[ -]?out|remember me", re.IGNORECASE)
# Words that keep their capital inside a sentence-case heading.
PROPER = {"Lantern", "I", "Need", "Email"}
HEADING = re.compile(r"<(h[1-3]|title|button|label|legend)\b[^>]*>(.*?)</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
HEAD = re.compile(r"<head>.*?</head>", re.DOTALL)
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def visible_text(html: str) -> str:
    body = SCRIPT.sub(" ", HEAD.sub(" ", html))
    return " ".join(unescape(TAG.sub(" ", body)).split())


def title_cased(html: str) -> list[str]:
    """Headings, titles, buttons and labels with a capital after their first word."""
    found = []
    for _, inner in HEADING.findall(html):
        text = " ".join(unescape(TAG.sub(" ", inner)).split())
        # A title names the site after a separator; only the part before it is a heading.
        text = text.split(" · ")[0]
        words = re.findall(r"[A-Za-z][\w'-]*", text)
        if any(word[0].isupper() and word not in PROPER for word in words[1:]):
            found.append(text)
    return found


def assert_site_voice(response, *, must_say: tuple[str, ...] = ()) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    text = visible_text(html)
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert BANNED.findall(text + " " + title) == [], text
    assert "Remember Me" not in html
    assert title_cased(html) == []
    for words in must_say:
        assert words in text, (words, text)
    return html


@pytest.fixture
def member():
    return UserFactory(email="member@example.test", username="quiet_harbour")


@pytest.fixture
def member_client(member):
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": "member@example.test", "password": "a-long-test-password"},
    )
    return client


def test_login_says_log_in_and_join_lantern(client):
    html = assert_site_voice(
        client.get(reverse("account_login")),
        must_say=("Log in", "Join Lantern", "Keep me logged in on this device"),
    )
    assert "<title>Log in · Lantern</title>" in html
    assert re.search(r'<button[^>]*type="submit"[^>]*>Log in</button>', html)


def test_a_failed_login_keeps_the_voice(client, member):
    response = client.post(
        reverse("account_login"), {"login": "member@example.test", "password": "wrong-one-x"}
    )
    assert_site_voice(response, must_say=("Log in",))


def test_a_failed_login_says_so_calmly_without_saying_whether_the_account_exists(client, member):
    known = client.post(
        reverse("account_login"), {"login": "member@example.test", "password": "wrong-one-x"}
    ).content.decode()
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.test", "password": "wrong-one-x"}
    ).content.decode()
    for html in (known, unknown):
        text = visible_text(html)
        assert "and/or" not in text and "specified" not in text
        assert "don't match an account" in text


def test_a_taken_username_is_explained_in_the_sites_voice(client, member):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "someone-new@example.test",
            "username": "quiet_harbour",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "accept_guidelines": "on",
        },
    )
    text = visible_text(response.content.decode())
    assert "A user with that username already exists" not in text
    assert "That username is taken" in text


def test_allauths_error_messages_speak_the_sites_voice():
    from allauth.account.adapter import get_adapter

    stiff = re.compile(r"and/or|specified|^Invalid|^Incorrect|Be patient|currently", re.I)
    for key, message in get_adapter().error_messages.items():
        # Lantern has no phone numbers: those messages are never shown.
        if not key.startswith("phone_"):
            assert not stiff.search(str(message)), (key, message)


def test_signup_says_join_lantern(client):
    html = assert_site_voice(
        client.get(reverse("account_signup")), must_say=("Join Lantern", "Log in")
    )
    assert "<title>Join Lantern</title>" in html
    assert re.search(r'<button[^>]*type="submit"[^>]*>Join Lantern</button>', html)


def test_verification_sent_says_what_happens_next(client):
    assert_site_voice(
        client.get(reverse("account_email_verification_sent")),
        must_say=("Check your email", "logged in straight away"),
    )


def test_password_reset_pages(client, member):
    assert_site_voice(
        client.get(reverse("account_reset_password")), must_say=("Reset your password",)
    )
    done = client.post(
        reverse("account_reset_password"), {"email": "member@example.test"}, follow=True
    )
    assert_site_voice(done, must_say=("Check your email",))

    key = default_token_generator.make_token(member)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(member), "key": key},
    )
    assert_site_voice(
        client.get(url, follow=True), must_say=("Choose a new password", "New password")
    )
    bad = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(member), "key": "not-a-key"},
    )
    assert_site_voice(client.get(bad, follow=True), must_say=("This link has expired",))
    assert_site_voice(
        client.get(reverse("account_reset_password_from_key_done")),
        must_say=("Password changed",),
    )


def test_email_confirmation_pages(client):
    newcomer = UserFactory(email="new@example.test")
    address = EmailAddress.objects.get_or_create(
        user=newcomer, email="new@example.test", defaults={"primary": True}
    )[0]
    EmailAddress.objects.filter(pk=address.pk).update(verified=False)
    address.refresh_from_db()
    key = EmailConfirmationHMAC(address).key
    assert_site_voice(
        client.get(reverse("account_confirm_email", args=[key])),
        must_say=("Confirm your email address", "Confirm"),
    )
    assert_site_voice(
        client.get(reverse("account_confirm_email", args=["no-such-key"])),
        must_say=("has expired or is not valid",),
    )


def test_inactive_page(client):
    assert_site_voice(client.get(reverse("account_inactive")), must_say=("closed",))


def test_member_account_pages(member_client):
    assert_site_voice(member_client.get(reverse("account_email")), must_say=("Email address",))
    assert_site_voice(
        member_client.get(reverse("account_change_password")),
        must_say=("Change your password", "Current password", "New password"),
    )
    assert_site_voice(member_client.get(reverse("account_logout")), must_say=("Log out",))
    assert_site_voice(
        member_client.get(reverse("account_reauthenticate")), must_say=("Confirm it's you",)
    )
    assert_site_voice(member_client.get(reverse("usersessions_list")))


def test_reauthenticating_by_email_code(member_client, django_capture_on_commit_callbacks):
    url = reverse("account_request_reauthentication_code")
    assert_site_voice(member_client.get(url), must_say=("Email me a code",))
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(url, {"recipient": "member@example.test"}, follow=True)
    html = assert_site_voice(response, must_say=("Enter your code",))
    assert "<title>Enter your code · Lantern</title>" in html


def test_two_factor_pages(member_client, member):
    assert_site_voice(
        member_client.get(reverse("mfa_index")), must_say=("Two-factor authentication",)
    )
    assert_site_voice(member_client.get(reverse("mfa_activate_totp"), follow=True))
    TOTP.activate(member, generate_totp_secret())
    assert_site_voice(member_client.get(reverse("mfa_index")))
    assert_site_voice(member_client.get(reverse("mfa_deactivate_totp"), follow=True))
    assert_site_voice(member_client.get(reverse("mfa_generate_recovery_codes"), follow=True))


def test_two_factor_login_step(client, member):
    TOTP.activate(member, generate_totp_secret())
    response = client.post(
        reverse("account_login"),
        {"login": "member@example.test", "password": "a-long-test-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert_site_voice(response, must_say=("Log in",))


def test_messages_speak_the_site_voice(member_client):
    # A message from allauth is shown on the next page.
    response = member_client.post(reverse("account_logout"), follow=True)
    assert_site_voice(response, must_say=("You have logged out.",))


def test_the_check_catches_allauths_own_words():
    allauth_page = "<h1>Sign In</h1><label>Remember Me:</label><button>Sign Up</button>"
    assert BANNED.findall(visible_text(allauth_page))
    assert title_cased(allauth_page) == ["Sign In", "Remember Me:", "Sign Up"]
    assert title_cased("<h1>Join Lantern</h1><title>Log in · Lantern</title>") == []


@pytest.mark.parametrize(
    ("route", "button"),
    [
        ("account_change_password", "Change password"),
        ("account_reauthenticate", "Confirm"),
        ("account_request_reauthentication_code", "Email me a code"),
        ("account_reset_password", "Send me a reset link"),
    ],
)
def test_single_form_pages_post_to_themselves_with_their_own_words(member_client, route, button):
    # These pages share one form frame (templates/account/snippets/form.html).
    html = member_client.get(reverse(route)).content.decode()
    form = re.search(rf'<form[^>]*action="{reverse(route)}"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form, "the page's form posts to the page itself"
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    submit = re.search(r'<button[^>]*type="submit"[^>]*>(.*?)</button>', form.group(1), re.DOTALL)
    assert submit and " ".join(submit.group(1).split()) == button
