"""Milestones: private counters, sharing through forum.services, and the Small wins read."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import milestones, services
from forum.models import (
    Milestone,
    MilestoneCounter,
    MilestoneKind,
    Notification,
    Post,
    Status,
    Topic,
)
from forum.post_cards import PostRow
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db


def counter_of(owner, *, days: int, label: str = "Days since my last drink") -> MilestoneCounter:
    started = timezone.localdate() - timedelta(days=days)
    return milestones.start_counter(owner=owner, label=label, started_on=started)


def share(author, *, counter=None, label="30 days", body="Thirty days today."):
    return milestones.share_milestone(
        author=author, label=label, title="A month today", body=body, counter=counter
    )


def test_days_since_counts_whole_days_and_never_goes_negative():
    today = timezone.localdate()
    assert milestones.days_since(today, today=today) == 0
    assert milestones.days_since(today - timedelta(days=30), today=today) == 30
    assert milestones.days_since(today + timedelta(days=2), today=today) == 0


def test_counters_are_read_only_through_their_owner():
    owner, other = UserFactory(), UserFactory()
    counter = counter_of(owner, days=3)
    assert list(MilestoneCounter.objects.owned_by(owner)) == [counter]
    assert not MilestoneCounter.objects.owned_by(other).exists()


def test_reset_moves_the_start_to_today_and_touches_nothing_else():
    owner = UserFactory()
    counter = counter_of(owner, days=40)
    topic = make_topic(author=owner)
    topic_revision = Topic.objects.get(pk=topic.pk).revision
    notifications = Notification.objects.count()
    milestones.reset_counter(counter=counter)
    counter.refresh_from_db()
    assert counter.started_on == timezone.localdate()
    assert Notification.objects.count() == notifications
    assert Topic.objects.get(pk=topic.pk).revision == topic_revision
    assert MilestoneCounter.objects.count() == 1


def test_sharing_from_a_counter_publishes_a_topic_in_encouragement_with_the_card():
    member = UserFactory()
    counter = counter_of(member, days=30)
    post = share(member, counter=counter)
    assert post.topic.category.slug == "encouragement"
    assert post.status == Status.PUBLISHED
    assert post.body_html == "<p>Thirty days today.</p>\n"
    card = Milestone.objects.get(post=post)
    assert (card.label, card.kind, card.days) == ("30 days", MilestoneKind.COUNTER, 30)


def test_a_shared_card_keeps_its_days_when_the_counter_is_reset_or_deleted():
    member = UserFactory()
    counter = counter_of(member, days=30)
    post = share(member, counter=counter)
    milestones.reset_counter(counter=counter)
    milestones.delete_counter(counter=counter)
    assert Milestone.objects.get(post=post).days == 30


def test_a_free_milestone_has_no_days():
    post = share(UserFactory(), label="First therapy session")
    card = Milestone.objects.get(post=post)
    assert (card.kind, card.days) == (MilestoneKind.MOMENT, None)


def test_sharing_the_same_form_twice_writes_one_post_and_one_card():
    member = UserFactory()
    token = uuid.uuid4()
    kwargs = {"author": member, "label": "Back at work", "title": "Back", "body": "Hello."}
    first = milestones.share_milestone(**kwargs, submission_token=token)
    second = milestones.share_milestone(**kwargs, submission_token=token)
    assert first == second
    assert Milestone.objects.count() == 1


def test_a_new_members_milestone_waits_for_review_like_any_first_post():
    post = share(UserFactory(approved_post_count=0))
    assert post.status == Status.PENDING
    assert Milestone.objects.filter(post=post).exists()


def test_the_stream_shows_only_published_milestones_newest_first():
    reader = UserFactory()
    older = share(UserFactory(), label="Back at work")
    newer = share(UserFactory(), label="First therapy session")
    pending = share(UserFactory(approved_post_count=0), label="A waiting milestone")
    hidden = share(UserFactory(), label="A hidden milestone")
    services.set_post_status(post=hidden, status=Status.HIDDEN)
    deleted_author = UserFactory()
    deleted = share(deleted_author, label="A deleted milestone")
    services.delete_post(user=deleted_author, post=deleted)
    page = milestones.small_wins_page(viewer=reader, number=1)
    assert [win.card.pk for win in page.wins] == [newer.pk, older.pk]
    assert [win.card.milestone_label for win in page.wins] == [
        "First therapy session",
        "Back at work",
    ]
    # Not even to their authors: the stream is what everyone may read.
    for author_post in (pending, hidden):
        own = milestones.small_wins_page(viewer=author_post.author, number=1)
        assert author_post.pk not in [win.card.pk for win in own.wins]


def test_the_stream_offers_encouragement_on_others_milestones_only():
    author, reader = UserFactory(), UserFactory()
    post = share(author)
    services.set_reaction(user=reader, post=post, kind="proud", on=True)
    (win,) = milestones.small_wins_page(viewer=reader, number=1).wins
    assert win.card.can_react
    assert [(e.kind, e.mine) for e in win.card.encouragement if e.mine] == [("proud", True)]
    (own,) = milestones.small_wins_page(viewer=author, number=1).wins
    assert not own.card.can_react


def test_the_stream_pages_without_counting(settings):
    settings.SMALL_WINS_PER_PAGE = 2
    reader = UserFactory()
    posts = [share(UserFactory(), label=f"Win {i}") for i in range(3)]
    first = milestones.small_wins_page(viewer=reader, number=1)
    second = milestones.small_wins_page(viewer=reader, number=2)
    assert first.has_next and not second.has_next
    assert [w.card.pk for w in second.wins] == [posts[0].pk]


def test_the_stream_reads_two_queries_whatever_it_holds(settings):
    settings.SMALL_WINS_PER_PAGE = 30
    reader = UserFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            milestones.small_wins_page(viewer=reader, number=1)
        return len(ctx)

    share(UserFactory())
    small = queries()
    for i in range(12):
        post = share(UserFactory(), label=f"Win {i}")
        services.set_reaction(user=reader, post=post, kind="hear", on=True)
    assert queries() == small == 2


def test_a_post_row_carries_its_milestone():
    post = share(UserFactory(), counter=counter_of(UserFactory(), days=7))
    row = PostRow.of(Post.objects.select_related("author", "milestone").get(pk=post.pk))
    assert (row.milestone_label, row.milestone_days) == ("30 days", 7)
