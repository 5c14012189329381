"""Every message about a post comes from its one situation, for author, reader and moderator."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from forum import services
from forum.models import Status
from forum.situation import WORDS, Situation, situation_of, words_for
from tests.factories import UserFactory, make_reply, make_topic

CRISIS_TEXT = "Tonight I just want to end my life."


@pytest.mark.parametrize(
    ("status", "crisis", "expected"),
    [
        (Status.PUBLISHED, False, Situation.PUBLISHED),
        (Status.PUBLISHED, True, Situation.PUBLISHED_CRISIS),
        (Status.PENDING, False, Situation.WAITING_FIRST_POSTS),
        (Status.PENDING, True, Situation.WAITING_CRISIS),
        (Status.HIDDEN, True, Situation.HIDDEN),
        (Status.REMOVED, False, Situation.REMOVED),
        (Status.DELETED, True, Situation.DELETED),
    ],
)
def test_one_place_decides_where_a_post_stands(status, crisis, expected):
    assert situation_of(status=status, crisis_language=crisis) == expected


def test_every_situation_has_words():
    assert set(WORDS) == set(Situation)


def test_the_important_words_for_each_state():
    waiting_crisis = WORDS[Situation.WAITING_CRISIS]
    assert waiting_crisis.panel.startswith(
        "Your post is waiting for a moderator, who usually reads it within minutes. Only you "
        "and the moderators can see it for now. If you need to talk to someone now,"
    )
    assert "members will read" not in waiting_crisis.panel
    assert "top of the queue" in waiting_crisis.moderator
    assert "crisis language" in waiting_crisis.moderator
    assert "stays published" not in waiting_crisis.moderator
    assert "Only you and the moderators can see" in waiting_crisis.author

    first_posts = WORDS[Situation.WAITING_FIRST_POSTS]
    assert "first posts" in first_posts.moderator
    assert "only you and the moderators can see this post" in first_posts.author
    assert "notification when it's published" in first_posts.posted

    published_crisis = WORDS[Situation.PUBLISHED_CRISIS]
    assert published_crisis.panel.startswith("Your post is published and members can read it.")
    assert "stays published" in published_crisis.moderator

    assert WORDS[Situation.HIDDEN].reader == "This post is hidden while moderators take a look."
    assert WORDS[Situation.REMOVED].reader == "This post was removed by a moderator."
    assert WORDS[Situation.DELETED].reader == "This post was removed by its author."
    # A published post says nothing above itself; the author is told once, after posting.
    assert WORDS[Situation.PUBLISHED].author == WORDS[Situation.PUBLISHED].moderator == ""


@pytest.fixture
def waiting_crisis_reply(db):
    topic = make_topic()
    newcomer = UserFactory(approved_post_count=0)
    post = make_reply(topic=topic, author=newcomer, body=CRISIS_TEXT)
    assert (post.status, post.crisis_language) == (Status.PENDING, True)
    return post


def test_the_topic_page_tells_each_reader_the_truth(client, waiting_crisis_reply):
    post = waiting_crisis_reply
    words = words_for(status=post.status, crisis_language=True)
    url = post.topic.get_absolute_url()

    client.force_login(post.author)
    page = client.get(url).content.decode()
    assert escape(words.author) in page and CRISIS_TEXT in page

    client.force_login(UserFactory(role=Role.MODERATOR))
    page = client.get(url).content.decode()
    assert escape(words.moderator) in page and CRISIS_TEXT in page

    client.force_login(UserFactory())
    page = client.get(url).content.decode()
    assert CRISIS_TEXT not in page
    assert escape(words.author) not in page and escape(words.moderator) not in page


def test_a_hidden_post_reads_the_same_from_the_situation(client, db):
    topic = make_topic()
    post = make_reply(topic=topic, body="Words under review.")
    services.set_post_status(post=post, status=Status.HIDDEN)
    words = words_for(status=Status.HIDDEN, crisis_language=False)
    client.force_login(post.author)
    assert escape(words.author) in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    page = client.get(topic.get_absolute_url()).content.decode()
    assert words.reader in page and "Words under review." not in page


def test_after_posting_the_author_is_told_where_it_stands(client, db):
    topic = make_topic()
    client.force_login(UserFactory(approved_post_count=0))
    response = client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": "Hello all."}, follow=True
    )
    page = response.content.decode()
    assert escape(WORDS[Situation.WAITING_FIRST_POSTS].posted) in page

    client.force_login(UserFactory())
    response = client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": "A good day."}, follow=True
    )
    assert WORDS[Situation.PUBLISHED].posted in response.content.decode()
