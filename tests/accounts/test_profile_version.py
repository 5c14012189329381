"""The version pages that name members are keyed by moves when a public profile changes."""

import pytest
from django.core.cache import cache

from accounts import profile_version, services
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_profile_change_starts_a_new_version_once_it_commits(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    before = profile_version.current()
    assert profile_version.current() == before
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_profile(user=member, display_name="Willow", bio="", pronouns="")
    assert profile_version.current() == before, "not before the change is committed"
    for callback in callbacks:
        callback()
    assert profile_version.current() != before


def test_a_lost_version_is_replaced_by_one_no_key_used():
    before = profile_version.current()
    cache.delete(profile_version.KEY)
    assert profile_version.current() != before
