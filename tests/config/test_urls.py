"""The admin's login page is no side door: it hands over to allauth's login and its 2FA step."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


@pytest.fixture
def admin_with_totp(db):
    user = UserFactory(role="admin", is_staff=True, email="keeper@example.test")
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    return user


def test_posting_a_password_to_the_admin_login_signs_nobody_in(client, admin_with_totp):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_with_totp.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/moderation/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_page_sends_people_to_allauth_and_back(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fadmin%2F"


def test_the_same_account_must_give_its_code_through_allauth(client, admin_with_totp):
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "keeper@example.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_signed_in_admin_reaches_the_admin(client, admin_with_totp):
    client.force_login(admin_with_totp)
    assert client.get("/admin/").status_code == 200
