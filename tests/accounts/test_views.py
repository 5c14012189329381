from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

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


EDIT = {"display_name": "River", "pronouns": "they/them", "bio": "Hello."}


@pytest.mark.django_db
def test_a_muted_member_is_told_until_when_and_cannot_change_the_public_profile(client):
    until = timezone.now() + timedelta(days=2)
    member = UserFactory(muted_until=until, display_name="Before", bio="old bio")
    client.force_login(member)
    page = client.get(reverse("accounts:edit_profile"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your account is muted until" in html
    assert until.strftime("%-d %b %Y, %H:%M UTC") in html
    assert "Save profile" not in html
    response = client.post(reverse("accounts:edit_profile"), EDIT)
    assert response.status_code == 403
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Before", "old bio")


@pytest.mark.django_db
def test_a_member_whose_mute_ended_may_edit_again(client):
    member = UserFactory(muted_until=timezone.now() - timedelta(minutes=1))
    client.force_login(member)
    assert client.post(reverse("accounts:edit_profile"), EDIT).status_code == 302
    member.refresh_from_db()
    assert member.display_name == "River"


@pytest.mark.django_db
@override_settings(MEMBER_RATE_LIMITS={"profile": ("2/h", "2/h")})
def test_profile_edits_are_rate_limited_and_the_refusal_keeps_what_was_typed(client):
    cache.clear()
    member = UserFactory()
    client.force_login(member)
    url = reverse("accounts:edit_profile")
    assert client.post(url, {**EDIT, "display_name": "One"}).status_code == 302
    assert client.post(url, {**EDIT, "display_name": "Two"}).status_code == 302
    response = client.post(url, {**EDIT, "display_name": "Three", "bio": "typed with care"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "changed your profile several times" in html
    assert 'value="Three"' in html and "typed with care" in html
    member.refresh_from_db()
    assert member.display_name == "Two"
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["Oak (Moderator)", "Lantern team", "Peer Specialist Sam", "Staff"]
)
def test_display_names_that_claim_a_role_are_refused_kindly(member_client, member, name):
    response = member_client.post(
        reverse("accounts:edit_profile"), {**EDIT, "display_name": name, "bio": "kept"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "can&#x27;t mention moderators" in html
    assert "kept" in html
    member.refresh_from_db()
    assert member.display_name == ""


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["\u041eak", "OAK", "o.a.k", "\u041e\u0430k"])
def test_display_names_confusable_with_another_members_are_refused(member_client, member, name):
    UserFactory(username="oak")
    response = member_client.post(reverse("accounts:edit_profile"), {**EDIT, "display_name": name})
    assert response.status_code == 200
    assert "looks very much like another member" in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == ""


@pytest.mark.django_db
def test_a_member_may_keep_a_display_name_like_their_own_username(client):
    member = UserFactory(username="willow_tree")
    client.force_login(member)
    response = client.post(
        reverse("accounts:edit_profile"), {**EDIT, "display_name": "willow tree"}
    )
    assert response.status_code == 302
