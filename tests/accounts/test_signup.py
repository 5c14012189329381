"""Signup, verification, login and reset through allauth, as a browser would post them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"


def signup(client, **overrides):
    data = {
        "email": "newcomer@example.test",
        "username": "new_leaf",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_guidelines": "on",
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def verification_link(message) -> str:
    return re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


@pytest.mark.django_db
def test_signup_records_guidelines_and_requires_email_verification(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(username="new_leaf")
    assert user.guidelines_version == 1
    assert user.guidelines_accepted_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in until the address is confirmed.
    assert client.get(reverse("forum:category", args=["introductions"])).status_code == 302

    assert len(mail.outbox) == 1
    link = verification_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    assert client.login(username="new_leaf", password=PASSWORD)


@pytest.mark.django_db
def test_signup_without_ticking_the_guidelines_keeps_what_was_typed(client):
    response = signup(client, accept_guidelines="")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please read the community guidelines and tick the box" in html
    assert 'value="newcomer@example.test"' in html
    assert 'value="new_leaf"' in html
    assert not User.objects.filter(username="new_leaf").exists()


@pytest.mark.django_db
def test_identifying_username_is_refused_with_an_explanation(client):
    response = signup(client, username="Jane_Doe")
    assert response.status_code == 200
    assert "first and last name" in response.content.decode()
    assert not User.objects.filter(username="Jane_Doe").exists()


@pytest.mark.django_db
def test_short_password_is_refused(client):
    response = signup(client, password1="short1", password2="short1")
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()


@pytest.mark.django_db
def test_signup_with_a_known_email_looks_identical_to_a_new_one(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        known = signup(client, email="taken@example.test", username="someone_else")
    client.cookies.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = signup(client, email="fresh@example.test", username="another_one")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # The owner of the known address is told by email, not the person at the keyboard.
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_login_failure_is_identical_for_known_and_unknown_email(client):
    UserFactory(email="known@example.test")
    url = reverse("account_login")
    known = client.post(url, {"login": "known@example.test", "password": "wrong-password-x"})
    unknown = client.post(url, {"login": "nobody@example.test", "password": "wrong-password-x"})
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert known.status_code == unknown.status_code == 200
    assert strip(known).replace("known@", "X@") == strip(unknown).replace("nobody@", "X@")


@pytest.mark.django_db
def test_password_reset_is_identical_for_known_and_unknown_email(client):
    UserFactory(email="known@example.test")
    url = reverse("account_reset_password")
    known = client.post(url, {"email": "known@example.test"})
    unknown = client.post(url, {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


@pytest.mark.django_db
def test_login_by_email_and_logout_only_by_post(client):
    user = UserFactory(email="river@example.test")
    response = client.post(
        reverse("account_login"),
        {"login": "river@example.test", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.context["user"] == user
    # A GET shows a confirmation page and does not sign out (no logout by link or image).
    client.get(reverse("account_logout"))
    assert client.get("/").context["user"] == user
    client.post(reverse("account_logout"))
    assert not client.get("/").context["user"].is_authenticated


@pytest.mark.django_db
def test_change_password_page_needs_login(client):
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


@pytest.mark.django_db
def test_suspended_member_cannot_log_in(client):
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.now() + timedelta(days=1)
    UserFactory(email="paused@example.test", suspended_until=until)
    response = client.post(
        reverse("account_login"),
        {"login": "paused@example.test", "password": "a-long-test-password"},
        follow=True,
    )
    assert not response.context["user"].is_authenticated
    assert response.redirect_chain[-1][0] == reverse("accounts:paused")
    html = response.content.decode()
    assert "Your account is paused" in html
    assert until.strftime("%-d %b %Y, %H:%M UTC") in html


@pytest.mark.django_db
def test_account_emails_are_signed_by_lantern_not_a_placeholder_site(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    message = mail.outbox[0]
    assert "example.com" not in message.subject + message.body
    assert "Lantern" in message.subject


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["quiet_river.", "quiet.river", "quiet__river"])
def test_a_username_confusable_with_an_existing_one_is_refused_and_kept(client, username):
    UserFactory(username="quiet_river")
    response = signup(client, username=username)
    assert response.status_code == 200
    html = response.content.decode()
    assert "looks very much like another member" in html
    assert 'value="newcomer@example.test"' in html
    assert not User.objects.filter(email="newcomer@example.test").exists()


@pytest.mark.django_db
def test_a_username_that_claims_a_role_is_refused(client):
    response = signup(client, username="lantern_moderator")
    assert response.status_code == 200
    assert "can&#x27;t mention moderators" in response.content.decode()


# --- errors beside their fields, pseudonym advice --------------------------------------------


def field_block(html: str, name: str) -> str:
    """The markup of one field: from its wrapper to the next field's."""
    start = html.index(f'id="id_{name}"')
    start = html.rindex('<div class="field', 0, start)
    end = html.find('<div class="field', start + 1)
    return html[start : end if end != -1 else len(html)]


@pytest.mark.django_db
def test_each_error_sits_under_its_own_field_and_is_described(client):
    response = signup(client, username="Jane_Doe")
    html = response.content.decode()
    username = field_block(html, "username")
    assert "first and last name" in username
    assert "first and last name" not in field_block(html, "email")
    assert re.search(
        r'<input[^>]*aria-describedby="id_username_helptext id_username_error"[^>]*'
        r'id="id_username"',
        username,
    )
    assert 'aria-invalid="true"' in username
    assert 'id="id_username_error"' in username
    # The error comes after the input, where a reader looks for it.
    assert username.index('id="id_username"') < username.index("first and last name")


@pytest.mark.django_db
def test_values_are_kept_and_both_passwords_say_to_type_them_again(client):
    response = signup(client, username="Jane_Doe", password1="short1", password2="short1")
    html = response.content.decode()
    assert 'value="newcomer@example.test"' in html
    assert 'value="Jane_Doe"' in html
    assert "short1" not in html
    for name in ("password1", "password2"):
        block = field_block(html, name)
        assert "Please type your password again" in block, name
        assert 'aria-describedby="' in block and f"id_{name}_error" in block
    assert "at least 10 characters" in field_block(html, "password1")


@pytest.mark.django_db
def test_a_form_without_errors_does_not_ask_to_retype(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Please type your password again" not in html


@pytest.mark.django_db
def test_pseudonym_advice_is_there_before_typing_and_describes_the_field(client):
    html = client.get(reverse("account_signup")).content.decode()
    username = field_block(html, "username")
    assert "Choose a pseudonym" in username
    assert "not your real name" in username
    assert re.search(r'aria-describedby="id_username_helptext"[^>]*id="id_username"', username)
    assert 'id="id_username_helptext"' in username


@pytest.mark.django_db
def test_the_guidelines_box_comes_last_before_the_button(client):
    html = client.get(reverse("account_signup")).content.decode()
    order = [html.index(f'id="id_{name}"') for name in ("email", "username", "password1")]
    assert order == sorted(order)
    assert html.index('id="id_accept_guidelines"') > html.index('id="id_password2"')


# --- signed in straight after confirming -------------------------------------------------


@pytest.mark.django_db
def test_confirming_in_the_same_browser_signs_the_member_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = verification_link(mail.outbox[0])
    response = client.post(link, follow=True)
    assert response.context["user"].username == "new_leaf"
    assert response.redirect_chain[-1][0] == reverse("forum:home")
    assert client.get(reverse("forum:category", args=["introductions"])).status_code == 200


@pytest.mark.django_db
def test_confirming_in_another_browser_confirms_without_signing_in(
    client, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    link = verification_link(mail.outbox[0])
    elsewhere = Client()
    response = elsewhere.post(link, follow=True)
    assert not response.context["user"].is_authenticated
    assert EmailAddress.objects.get(email="newcomer@example.test").verified


# --- the first-visit welcome ---------------------------------------------------------------

WELCOME = "Welcome to Lantern, new_leaf"


def sign_up_and_confirm(client, capture) -> None:
    with capture(execute=True):
        signup(client)
    client.post(verification_link(mail.outbox[0]))


@pytest.mark.django_db
def test_the_first_visit_welcome_says_where_to_start_until_closed(
    client, django_capture_on_commit_callbacks
):
    sign_up_and_confirm(client, django_capture_on_commit_callbacks)
    html = client.get(reverse("forum:home")).content.decode()
    assert WELCOME in html
    assert reverse("community:guidelines") in html
    assert reverse("forum:category", args=["introductions"]) in html
    assert "read by a moderator before other members see them" in html
    # Only on the home page, where the first sign-in lands.
    other = client.get(reverse("forum:category", args=["introductions"])).content.decode()
    assert WELCOME not in other

    closed = client.post(reverse("accounts:dismiss_welcome"), {"next": "/"})
    assert closed.status_code == 302
    assert closed.url == "/"
    assert WELCOME not in client.get(reverse("forum:home")).content.decode()


@pytest.mark.django_db
def test_a_first_visit_is_not_welcomed_back_and_its_headings_start_at_one(
    client, django_capture_on_commit_callbacks
):
    sign_up_and_confirm(client, django_capture_on_commit_callbacks)
    html = client.get(reverse("forum:home")).content.decode()
    assert "Welcome back" not in html
    headings = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html)
    assert headings[0] == ("1", WELCOME)
    # Once closed, the home page greets a returning member as before.
    client.post(reverse("accounts:dismiss_welcome"), {"next": "/"})
    assert "<h1>Welcome back, new_leaf</h1>" in client.get(reverse("forum:home")).content.decode()


@pytest.mark.django_db
def test_the_welcome_is_not_shown_again_at_a_later_sign_in(
    client, django_capture_on_commit_callbacks
):
    sign_up_and_confirm(client, django_capture_on_commit_callbacks)
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": "newcomer@example.test", "password": PASSWORD})
    html = client.get(reverse("forum:home")).content.decode()
    assert html.count("new_leaf") >= 1
    assert WELCOME not in html


@pytest.mark.django_db
def test_closing_the_welcome_goes_back_only_to_this_site(client):
    member = UserFactory()
    client.force_login(member)
    response = client.post(reverse("accounts:dismiss_welcome"), {"next": "https://evil.test/"})
    assert response.url == reverse("forum:home")


# --- titles ----------------------------------------------------------------------------------


def page_title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL).group(1)


@pytest.mark.django_db
def test_titles_name_the_page_then_the_site_without_running_together(client):
    assert page_title(client.get("/")) == "Lantern · peer support for recovery"
    assert page_title(client.get(reverse("account_login"))) == "Log in · Lantern"
    assert page_title(client.get(reverse("community:guidelines"))) == (
        "Community guidelines · Lantern"
    )
    client.force_login(UserFactory())
    assert page_title(client.get("/")) == "Home · Lantern"
