"""The admin's login page signs nobody in, even for a member already signed in as staff.

allauth's `secure_admin_login` sends visitors to allauth's login, but it hands a signed-in staff
member to the admin's own login view, which checks a posted username and password itself: no
rate limit, no second step. A staff member could then guess another staff account's password
there, or sign in as an admin who has two-factor authentication without its code.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-test-password"


@pytest.fixture
def keeper(db):
    user = UserFactory(role="admin", is_staff=True, is_superuser=True)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    return user


@pytest.fixture
def helper(db):
    return UserFactory(is_staff=True)


@pytest.mark.parametrize("password", [PASSWORD, "a-wrong-guess-1234"])
def test_a_signed_in_staff_member_cannot_sign_in_as_another_through_the_admin_login(
    client, helper, keeper, password
):
    client.force_login(helper)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": keeper.username, "password": password, "next": "/admin/"},
    )
    assert client.session["_auth_user_id"] == str(helper.pk)
    # Nothing was checked, so a right and a wrong password get the same answer.
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_a_signed_in_staff_member_opening_the_admin_login_goes_to_the_admin(client, helper):
    client.force_login(helper)
    response = client.get("/admin/login/?next=/admin/auth/group/")
    assert response.status_code == 302
    assert response.url == "/admin/auth/group/"


def test_the_way_back_from_the_admin_login_stays_on_the_site(client, helper):
    client.force_login(helper)
    response = client.get("/admin/login/?next=https://elsewhere.example/")
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_a_signed_in_member_who_is_not_staff_is_refused(client, db):
    client.force_login(UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403


def test_where_moderators_need_two_factor_the_admin_needs_it_too(client, db, settings):
    settings.MODERATORS_REQUIRE_MFA = True
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    response = client.get("/admin/auth/group/", follow=True)
    # Setting up an authenticator asks for the password again first (allauth).
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain
    assert "The admin needs two-factor authentication" in response.content.decode()
    client.post("/admin/auth/group/add/", {"name": "Keepers"})
    assert not Group.objects.exists()


def test_staff_with_two_factor_reach_the_admin(client, keeper, settings):
    settings.MODERATORS_REQUIRE_MFA = True
    client.force_login(keeper)
    assert client.get("/admin/auth/group/").status_code == 200
    client.post("/admin/auth/group/add/", {"name": "Keepers"})
    assert Group.objects.filter(name="Keepers").exists()
