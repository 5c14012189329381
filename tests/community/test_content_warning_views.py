"""The moderator's page for a post's content warnings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import ModerationAction, ModerationLog
from forum.content_warnings import ContentWarning
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


def test_a_moderator_changes_warnings_from_the_post_card(client, moderator):
    topic = make_topic()
    reply = make_reply(topic=topic, body="REPLYBODY")
    client.force_login(moderator)
    url = reverse("community:post_warnings", kwargs={"pk": reply.pk})
    page = client.get(topic.get_absolute_url()).content.decode()
    assert url in page
    form = client.get(url).content.decode()
    assert "<legend>Content warnings (optional)</legend>" in form
    response = client.post(
        url, {"warnings": [str(ContentWarning.EATING)], "explanation": "For readers."}
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.warning_flags == ContentWarning.EATING
    log = ModerationLog.objects.get()
    assert log.action == ModerationAction.SET_WARNINGS and log.post == reply
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Content warning: Eating" in page


def test_members_never_see_the_link_and_the_page_does_not_exist_for_them(client):
    reply = make_reply(topic=make_topic())
    member = UserFactory()
    client.force_login(member)
    url = reverse("community:post_warnings", kwargs={"pk": reply.pk})
    assert url not in client.get(reply.topic.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"warnings": ["1"]}).status_code == 404
    reply.refresh_from_db()
    assert reply.warning_flags == 0
