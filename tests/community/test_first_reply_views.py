"""The waiting stories page, taking a story, and volunteering, through the client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.models import StoryTake
from forum.models import Post, Topic
from tests.factories import CategoryFactory, UserFactory, make_topic, mute

pytestmark = pytest.mark.django_db


def waiting_story(title="Day one"):
    topic = make_topic(category=CategoryFactory(holds_stories=True), title=title)
    then = timezone.now() - timedelta(hours=13)
    Topic.objects.filter(pk=topic.pk).update(created_at=then)
    Post.objects.filter(topic=topic).update(created_at=then)
    return topic


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_who_has_not_volunteered_is_told_how(db):
    waiting_story(title="Not for everyone's eyes yet")
    page = signed_in(UserFactory()).get(reverse("community:waiting_stories")).content.decode()
    assert "Volunteer for first replies" in page
    assert "Not for everyone" not in page


def test_volunteering_shows_the_list_and_the_nav_link(db):
    member = UserFactory()
    topic = waiting_story()
    client = signed_in(member)
    response = client.post(reverse("community:first_reply_settings"), {"volunteer": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for volunteering." in page
    assert topic.title in page and "One story is waiting." in page
    assert 'href="/waiting/"' in page  # the member's nav now has "Waiting stories"
    client.post(reverse("community:first_reply_settings"), {"volunteer": "0"})
    member.refresh_from_db()
    assert not member.first_reply_volunteer


def test_taking_a_story_goes_to_its_reply_box_and_holds_it(db):
    topic = waiting_story()
    volunteer = UserFactory(first_reply_volunteer=True)
    response = signed_in(volunteer).post(reverse("community:take_story", args=[topic.pk]))
    assert response["Location"] == f"{topic.get_absolute_url()}?page=last#reply"
    assert StoryTake.objects.get(topic=topic).volunteer == volunteer
    other = signed_in(UserFactory(role="peer_specialist"))
    response = other.post(reverse("community:take_story", args=[topic.pk]), follow=True)
    page = response.content.decode()
    assert "Another volunteer is writing a reply to this story." in page
    assert StoryTake.objects.get(topic=topic).volunteer == volunteer


def test_a_member_who_cannot_answer_is_told_taking_does_not_exist(db):
    topic = waiting_story()
    assert (
        signed_in(UserFactory()).post(reverse("community:take_story", args=[topic.pk])).status_code
        == 404
    )
    muted = UserFactory(first_reply_volunteer=True)
    mute(muted)
    client = signed_in(muted)
    assert client.post(reverse("community:take_story", args=[topic.pk])).status_code == 404
    page = client.get(reverse("community:waiting_stories")).content.decode()
    assert "the list is paused for you too" in page
    assert not StoryTake.objects.exists()
