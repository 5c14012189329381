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
    assert until.strftime("%-d %B %Y") in html


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
