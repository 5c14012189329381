import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_profile_shows_public_details_but_never_the_email(member_client, other_member):
    other_member.display_name = "Willow"
    other_member.pronouns = "she/her"
    other_member.bio = "One day at a time."
    other_member.save()
    response = member_client.get(other_member.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Willow" in html and "she/her" in html and "One day at a time." in html
    assert "member since" in html
    assert other_member.email not in html


@pytest.mark.django_db
def test_profiles_need_login(client, member):
    response = client.get(member.get_absolute_url())
    assert response.status_code == 302


@pytest.mark.django_db
def test_edit_profile(member_client, member):
    response = member_client.post(
        reverse("accounts:edit_profile"),
        {"display_name": "River", "pronouns": "they/them", "bio": "Hello."},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.pronouns, member.bio) == ("River", "they/them", "Hello.")


@pytest.mark.django_db
def test_display_name_with_contact_details_is_refused_and_kept(member_client, member):
    response = member_client.post(
        reverse("accounts:edit_profile"),
        {"display_name": "me@example.com", "pronouns": "", "bio": "my bio stays"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "email address" in html
    assert "my bio stays" in html
    member.refresh_from_db()
    assert member.display_name == ""


@pytest.mark.django_db
def test_profile_badge_and_edit_link_are_decided_by_the_view(client):
    admin = UserFactory(role="admin")
    viewer = UserFactory()
    client.force_login(viewer)
    html = client.get(admin.get_absolute_url()).content.decode()
    assert '<span class="badge badge-mod">Moderator</span>' in html
    assert "Edit your profile" not in html
    assert "Edit your profile" in client.get(viewer.get_absolute_url()).content.decode()
