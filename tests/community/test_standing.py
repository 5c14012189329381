"""How much a report weighs towards hiding a post (community/standing.py), with known sums."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from accounts.models import Role
from community import services, standing
from community.models import ModerationAction, ModerationReason, ReportReason, ReviewItem
from community.selectors import reporters_towards_hiding
from tests.factories import UserFactory, established_member, make_reply, make_topic

NOW = timezone.now()


def _standing(*, age=timedelta(days=30), posts=2, upheld=0, moderates=False):
    return standing.Standing(
        joined_at=NOW - age,
        published_posts=posts,
        upheld_reports=upheld,
        moderates=moderates,
    )


NEW_ACCOUNT = {"age": timedelta(minutes=1), "posts": 0, "upheld": 0}


def test_the_shipped_settings_keep_new_accounts_below_the_threshold(settings):
    assert Fraction(str(settings.AUTO_HIDE_NEWCOMERS_MAX)) < Fraction(
        str(settings.AUTO_HIDE_THRESHOLD)
    )


@pytest.mark.parametrize(
    ("fields", "weight"),
    [
        (NEW_ACCOUNT, Fraction(1, 4)),
        # Young, even with posts published: still new.
        ({"age": timedelta(hours=23), "posts": 2}, Fraction(1, 4)),
        # Old, but never published a post nor had a report upheld: no standing yet.
        ({"age": timedelta(days=90), "posts": 0}, Fraction(1, 4)),
        ({"age": timedelta(days=2), "posts": 1}, Fraction(1)),
        ({"age": timedelta(days=2), "posts": 0, "upheld": 1}, Fraction(5, 4)),
        ({"upheld": 1}, Fraction(5, 4)),
        ({"upheld": 2}, Fraction(3, 2)),
        # Capped: a long record of upheld reports never makes one member a moderator.
        ({"upheld": 40}, Fraction(3, 2)),
        ({"moderates": True, **NEW_ACCOUNT}, Fraction(3)),
    ],
)
def test_each_reporter_weighs_by_their_standing(fields, weight):
    assert standing.report_weight(_standing(**fields), now=NOW) == weight


@pytest.mark.parametrize("count", [3, 10, 100])
def test_new_accounts_together_never_hide_a_post(count):
    newcomers = [_standing(**NEW_ACCOUNT)] * count
    assert standing.total_weight(newcomers, now=NOW) == min(Fraction(count, 4), 1)
    assert not standing.hides(newcomers, now=NOW)


def test_the_worked_example_in_docs_security():
    ten_new = [_standing(**NEW_ACCOUNT)] * 10
    members = [_standing(), _standing()]
    # Ten new accounts: 10 x 0.25 = 2.5, capped at 1.
    assert standing.total_weight(ten_new, now=NOW) == 1
    # Two members: 2 (not yet 3).
    assert not standing.hides(members, now=NOW)
    # Both together: 1 + 2 = 3, the threshold.
    assert standing.total_weight(ten_new + members, now=NOW) == 3
    assert standing.hides(ten_new + members, now=NOW)
    # Two members whose reports were upheld twice each: 1.5 + 1.5 = 3.
    assert standing.hides([_standing(upheld=2), _standing(upheld=2)], now=NOW)
    # Three members hide a post, as before.
    assert standing.hides([_standing()] * 3, now=NOW)
    # One moderator hides it at once.
    assert standing.hides([_standing(moderates=True)], now=NOW)


def test_the_weights_are_settings(settings):
    settings.AUTO_HIDE_THRESHOLD = 2
    settings.AUTO_HIDE_NEWCOMER_WEIGHT = 0.1
    settings.AUTO_HIDE_NEWCOMERS_MAX = 0.5
    assert standing.hides([_standing(), _standing()], now=NOW)
    assert standing.total_weight([_standing(**NEW_ACCOUNT)] * 10, now=NOW) == Fraction(1, 2)
    settings.AUTO_HIDE_NEW_ACCOUNT_HOURS = 24 * 60
    assert standing.is_newcomer(_standing(age=timedelta(days=30)), now=NOW)


def _decide(post, action, reporter):
    with_item = services.report_post(reporter=reporter, post=post, reason=ReportReason.SPAM)
    services.fold_report(report_id=with_item.pk)
    item = ReviewItem.objects.get(post=post)
    services.act_on_item(
        moderator=UserFactory(role=Role.MODERATOR),
        item=item,
        action=action,
        reason=ModerationReason.SPAM,
        explanation="Decided.",
    )


def test_a_report_is_upheld_when_the_decision_hid_or_removed_the_post(db):
    reporter = established_member()
    topic = make_topic()
    _decide(make_reply(topic=topic), ModerationAction.HIDE, reporter)
    _decide(make_reply(topic=topic), ModerationAction.REMOVE, reporter)
    _decide(make_reply(topic=topic), ModerationAction.KEEP, reporter)
    _decide(make_reply(topic=topic), ModerationAction.WARN, reporter)
    # Still open: not decided yet, so neither upheld nor dismissed.
    services.report_post(reporter=reporter, post=make_reply(topic=topic), reason=ReportReason.SPAM)
    assert standing.upheld_reports([reporter]) == {reporter.pk: 2}
    [found] = standing.standings([reporter])
    assert (found.upheld_reports, found.published_posts, found.moderates) == (2, 2, False)


def test_standing_costs_two_queries_whatever_the_number_of_reporters(db, django_assert_num_queries):
    post = make_reply(topic=make_topic())
    for _ in range(12):
        services.report_post(reporter=established_member(), post=post, reason=ReportReason.SPAM)
    with django_assert_num_queries(2):
        weighed = standing.standings(reporters_towards_hiding(post))
        assert standing.hides(weighed, now=timezone.now())


def test_a_muted_moderators_report_weighs_as_a_members(db):
    muted = UserFactory(
        role=Role.MODERATOR,
        muted_until=timezone.now() + timedelta(hours=1),
        date_joined=timezone.now() - timedelta(days=30),
    )
    [found] = standing.standings([muted])
    assert not found.moderates
    assert standing.report_weight(found, now=timezone.now()) == 1
