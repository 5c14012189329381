"""What a member is told when the forum turns an action down for a while."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from forum import refusals
from tests.factories import UserFactory


@pytest.mark.django_db
def test_until_reads_like_a_person_would_say_it_in_the_sites_time_zone():
    member = UserFactory(muted_until=datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("UTC")))
    assert refusals.until(member) == "3 December at 14:00 UTC"
    with timezone.override("Europe/Paris"):
        assert refusals.until(member) == "3 December at 15:00 CET"


@pytest.mark.django_db
def test_the_muted_message_says_until_when_and_what_is_still_open():
    member = UserFactory(muted_until=datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("UTC")))
    message = refusals.muted_message(member)
    assert "until 3 December at 14:00 UTC" in message
    assert "You can still read, follow topics and report posts" in message
