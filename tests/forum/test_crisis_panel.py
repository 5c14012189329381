"""The crisis panel stays on the author's own view of the topic for a day, until dismissed."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from forum import crisis_panel
from forum.models import Post
from tests.factories import UserFactory, make_topic

CRISIS_TEXT = "Tonight I just want to end my life."
PANEL = "Thank you for telling us how you are"


def _post_crisis(client, author) -> Post:
    topic = make_topic()
    client.force_login(author)
    client.post(reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT})
    return Post.objects.get(topic=topic, author=author)


@pytest.mark.django_db
def test_a_new_members_crisis_post_waits_and_the_panel_says_so(client):
    post = _post_crisis(client, UserFactory(approved_post_count=0))
    page = client.get(post.topic.get_absolute_url()).content.decode()
    assert PANEL in page
    assert (
        "Your post is waiting for a moderator, who usually reads it within minutes. Only you "
        "and the moderators can see it for now. If you need to talk to someone now" in page
    )
    # The old panel said the opposite of the notice right below it.
    assert "members will read them" not in page
    assert 'href="tel:988"' in page


@pytest.mark.django_db
def test_the_panel_stays_on_later_visits_and_a_no_js_button_hides_it(client):
    post = _post_crisis(client, UserFactory())
    url = post.topic.get_absolute_url()
    for _ in range(3):
        page = client.get(url).content.decode()
        assert PANEL in page
        assert "Your post is published and members can read it." in page
    dismiss = reverse("forum:dismiss_crisis_panel", kwargs={"pk": post.topic_id})
    assert f'action="{dismiss}"' in page
    response = client.post(dismiss)
    assert response.status_code == 302 and response["Location"] == url
    assert PANEL not in client.get(url).content.decode()


@pytest.mark.django_db
def test_only_the_author_and_only_on_that_topic(client):
    post = _post_crisis(client, UserFactory())
    assert PANEL not in client.get(make_topic().get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert PANEL not in client.get(post.topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_panel_ends_after_a_day(db):
    author = UserFactory()
    topic = make_topic(author=author, body=CRISIS_TEXT)
    post = Post.objects.get(topic=topic, position=1)
    session: dict = {}
    posted = time.time()
    crisis_panel.remember(session, post=post, now=posted)
    almost = posted + crisis_panel.CRISIS_PANEL_HOURS * 3600 - 60
    assert crisis_panel.panel_for(session, topic_id=topic.pk, author=author, now=almost)
    later = posted + crisis_panel.CRISIS_PANEL_HOURS * 3600 + 60
    assert crisis_panel.panel_for(session, topic_id=topic.pk, author=author, now=later) is None


@pytest.mark.django_db
def test_dismissing_a_topic_you_cannot_see_answers_404(client):
    client.force_login(UserFactory())
    response = client.post(reverse("forum:dismiss_crisis_panel", kwargs={"pk": 10**9}))
    assert response.status_code == 404
    assert client.get(reverse("forum:dismiss_crisis_panel", kwargs={"pk": 1})).status_code == 405
