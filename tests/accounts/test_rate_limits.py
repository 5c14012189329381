from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from accounts import rate_limits
from tests.factories import UserFactory

LIMITS = {action: ("3/m", "2/m") for action in rate_limits.ACTIONS}


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.mark.django_db
@override_settings(MEMBER_RATE_LIMITS=LIMITS)
def test_a_member_is_refused_after_the_limit_with_a_kind_message():
    member = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    results = [rate_limits.consume(_request(member), action="reply") for _ in range(4)]
    assert results[:3] == [None, None, None]
    refusal = results[3]
    assert refusal is not None
    assert 0 < refusal.retry_after <= 60
    assert refusal.message == (
        "You have posted several replies in a short time, so we have paused this for a moment. "
        "You can try again in about a minute. Anything you wrote is still here."
    )


@pytest.mark.django_db
@override_settings(MEMBER_RATE_LIMITS=LIMITS)
def test_new_members_have_the_tighter_rate_and_actions_count_apart():
    newcomer = UserFactory()
    assert rate_limits.is_new_member(newcomer)
    assert rate_limits.consume(_request(newcomer), action="topic") is None
    assert rate_limits.consume(_request(newcomer), action="topic") is None
    assert rate_limits.consume(_request(newcomer), action="topic") is not None
    # Another action, and another member, have their own counts.
    assert rate_limits.consume(_request(newcomer), action="reply") is None
    assert rate_limits.consume(_request(UserFactory()), action="topic") is None


@pytest.mark.django_db
def test_limits_switched_off_let_everything_through():
    member = UserFactory()
    assert all(rate_limits.consume(_request(member), action="reply") is None for _ in range(20))


def test_only_refusals_of_written_things_promise_the_words_are_kept():
    assert "still here" in rate_limits.Refusal(action="reply", retry_after=5).message
    assert "still here" not in rate_limits.Refusal(action="reaction", retry_after=5).message
    assert "still here" not in rate_limits.Refusal(action="follow", retry_after=5).message


def test_waits_read_naturally():
    assert rate_limits.Refusal(action="reply", retry_after=59).wait == "a minute"
    assert rate_limits.Refusal(action="reply", retry_after=61).wait == "2 minutes"
    assert rate_limits.Refusal(action="reply", retry_after=3600).wait == "an hour"
    assert rate_limits.Refusal(action="reply", retry_after=7300).wait == "3 hours"


def test_unknown_actions_are_a_programming_error():
    with pytest.raises(ValueError):
        rate_limits.consume(_request(None), action="shout")
