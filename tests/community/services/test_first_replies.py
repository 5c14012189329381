"""No story left unanswered: the waiting list, takes, volunteering, the daily count, figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community import first_replies
from community.models import StoryTake, WaitingStoriesDigest
from community.services import first_replies as services
from community.services.errors import TakeRefused
from forum import services as forum_services
from forum.models import Category, Post, Status, Topic
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic, mute

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories():
    return CategoryFactory(name="Stories to answer", holds_stories=True)


def story(category, *, hours_ago=13, author=None, title="Day one"):
    topic = make_topic(category=category, author=author or UserFactory(), title=title)
    then = timezone.now() - timedelta(hours=hours_ago)
    Topic.objects.filter(pk=topic.pk).update(created_at=then)
    Post.objects.filter(topic=topic).update(created_at=then)
    topic.refresh_from_db()
    return topic


@pytest.fixture
def volunteer():
    return UserFactory(first_reply_volunteer=True)


def listed(reader):
    return list(first_replies.waiting_stories(reader=reader))


def test_the_seeded_story_categories_hold_stories():
    holding = set(Category.objects.filter(holds_stories=True).values_list("slug", flat=True))
    assert holding == {"introductions", "recovery-stories", "asking-for-support"}


def test_a_story_waits_after_twelve_hours_oldest_first(stories, volunteer):
    older = story(stories, hours_ago=30, title="Older")
    newer = story(stories, hours_ago=13, title="Newer")
    story(stories, hours_ago=11, title="Too soon")
    story(CategoryFactory(holds_stories=False), hours_ago=30, title="Not a story")
    assert listed(volunteer) == [older, newer]


def test_the_authors_own_replies_do_not_answer_it_anyone_elses_do(stories, volunteer):
    topic = story(stories)
    make_reply(topic=topic, author=topic.author, body="Adding a little more.")
    assert listed(volunteer) == [topic]
    make_reply(topic=topic, body="I hear you. What helped me was a routine.")
    assert listed(volunteer) == []


def test_a_reply_still_waiting_for_a_moderator_does_not_answer_it(stories, volunteer):
    topic = story(stories)
    newcomer = UserFactory(approved_post_count=0)
    reply = make_reply(topic=topic, author=newcomer)
    assert reply.status == Status.PENDING
    assert listed(volunteer) == [topic]


def test_unseen_locked_and_own_stories_are_never_listed(stories, volunteer):
    waiting = story(stories, author=UserFactory(approved_post_count=0))
    assert waiting.status == Status.PENDING
    locked = story(stories)
    Topic.objects.filter(pk=locked.pk).update(is_locked=True)
    own = story(stories, author=volunteer)
    assert listed(volunteer) == []
    # The count every volunteer hears includes the volunteer's own story, waiting for others.
    assert first_replies.count_waiting() == 1
    assert listed(UserFactory(role="peer_specialist")) == [own]


def test_who_may_answer(volunteer):
    assert first_replies.can_answer_waiting_stories(volunteer)
    assert first_replies.can_answer_waiting_stories(UserFactory(role="peer_specialist"))
    assert first_replies.can_answer_waiting_stories(UserFactory(role="moderator"))
    assert not first_replies.can_answer_waiting_stories(UserFactory())
    mute(volunteer)
    assert not first_replies.can_answer_waiting_stories(volunteer)


def test_a_take_keeps_a_story_from_a_second_volunteer_until_it_expires(stories, volunteer):
    topic = story(stories)
    other = UserFactory(role="peer_specialist")
    services.take_story(volunteer=volunteer, topic=topic)
    with pytest.raises(TakeRefused, match="Another volunteer is writing a reply"):
        services.take_story(volunteer=other, topic=topic)
    rows, total = first_replies.listing(reader=other)
    assert total == 1 and rows[0].taken == "taken"
    assert first_replies.listing(reader=volunteer)[0][0].taken == "mine"
    later = timezone.now() + timedelta(minutes=61)
    take = services.take_story(volunteer=other, topic=topic, now=later)
    assert take.volunteer == other and StoryTake.objects.count() == 1


def test_letting_go_puts_it_back(stories, volunteer):
    topic = story(stories)
    services.take_story(volunteer=volunteer, topic=topic)
    assert services.release_story(volunteer=volunteer, topic=topic)
    assert not services.release_story(volunteer=volunteer, topic=topic)
    services.take_story(volunteer=UserFactory(role="moderator"), topic=topic)


def test_an_answered_story_cannot_be_taken(stories, volunteer):
    topic = story(stories)
    make_reply(topic=topic)
    with pytest.raises(TakeRefused, match="no longer waiting"):
        services.take_story(volunteer=volunteer, topic=topic)


def test_stopping_volunteering_lets_go_of_what_was_held(stories, volunteer):
    topic = story(stories)
    services.take_story(volunteer=volunteer, topic=topic)
    services.set_volunteering(member=volunteer, volunteering=False)
    volunteer.refresh_from_db()
    assert not volunteer.first_reply_volunteer
    assert not StoryTake.objects.exists()


def test_volunteers_hear_once_a_day_a_count_and_never_a_title(
    stories, volunteer, django_capture_on_commit_callbacks
):
    story(stories, title="My private title")
    story(stories, title="Another private title")
    UserFactory(first_reply_volunteer=True, verified=False)
    UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tell_volunteers() == 1
        assert services.tell_volunteers() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [volunteer.email]
    assert message.subject == "Lantern: Stories waiting for a first reply"
    assert "2 stories are waiting for a first reply" in message.body
    assert "/waiting/" in message.body
    assert "private title" not in message.body + message.alternatives[0][0]
    assert WaitingStoriesDigest.objects.get().waiting == 2


def test_nobody_hears_when_nothing_waits(stories, volunteer):
    story(stories, hours_ago=2)
    assert services.tell_volunteers() == 0
    assert mail.outbox == []


def test_median_time_to_a_first_reply_and_the_share_answered_within_a_day(stories):
    since = timezone.now() - timedelta(days=7)
    quick = story(stories, hours_ago=50)
    slow = story(stories, hours_ago=60)
    story(stories, hours_ago=40)  # a day old, never answered
    story(stories, hours_ago=2)  # too young to count for the share
    for topic, after in ((quick, 2), (slow, 30)):
        reply = forum_services.create_reply(author=UserFactory(), topic=topic, body="With you.")
        Post.objects.filter(pk=reply.pk).update(
            created_at=topic.created_at + timedelta(hours=after)
        )
    figures = first_replies.first_reply_times(since=since)
    assert figures.stories == 4
    assert figures.median_minutes == 16 * 60  # the middle of 2 h and 30 h
    assert figures.day_old == 3
    assert figures.within_a_day == pytest.approx(1 / 3)
