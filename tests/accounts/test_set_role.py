"""`manage.py set_role` and the admin both go through accounts.services.set_role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from tests.factories import UserFactory


def run(*args) -> str:
    out = StringIO()
    call_command("set_role", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_sets_a_role_by_username_and_says_what_changed():
    user = UserFactory(username="harbor")
    assert run("harbor", "moderator") == "harbor: member -> moderator.\n"
    user.refresh_from_db()
    assert user.role == Role.MODERATOR and user.is_moderator


@pytest.mark.django_db
def test_sets_a_role_by_email_case_insensitively():
    user = UserFactory(email="river@example.test")
    assert "member -> peer specialist" in run("RIVER@example.test", "peer_specialist")
    user.refresh_from_db()
    assert user.role == Role.PEER_SPECIALIST


@pytest.mark.django_db
def test_setting_the_same_role_says_nothing_changed():
    UserFactory(username="oak", role=Role.MODERATOR)
    assert "nothing changed" in run("oak", "moderator")


@pytest.mark.django_db
def test_unknown_member_is_a_clear_error():
    with pytest.raises(CommandError, match="No member has the username or email 'nobody'"):
        run("nobody", "moderator")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["wizard", "admin", ""])
def test_unknown_role_is_a_clear_error_and_changes_nothing(role):
    user = UserFactory()
    with pytest.raises(CommandError, match="Unknown role"):
        run(user.username, role)
    assert User.objects.get(pk=user.pk).role == Role.MEMBER


@pytest.mark.django_db
def test_the_admin_changes_roles_through_the_service(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    user = UserFactory(username="quiet_river")
    client.force_login(admin)
    url = f"/admin/accounts/user/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "isoformat"):
            # The admin splits date-times into a date and a time input.
            data[f"{name}_0"], data[f"{name}_1"] = value.date(), value.time()
        else:
            data[name] = value
    data["role"] = Role.ADMIN
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.ADMIN
    # set_role gives staff access with the admin role.
    assert user.is_staff
