"""The layout's furniture from community: the guidelines banner and the queue link."""

import pytest

from tests.factories import UserFactory

QUEUE_LINK = 'href="/moderation/"'


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "linked"), [("member", False), ("moderator", True)])
def test_only_moderators_see_the_queue_link(client, role, linked):
    client.force_login(UserFactory(role=role))
    assert (QUEUE_LINK in client.get("/").content.decode()) is linked


@pytest.mark.django_db
def test_visitors_see_the_guidelines_banner_and_no_queue_link(client):
    html = client.get("/").content.decode()
    assert QUEUE_LINK not in html
    assert "guidelines" in html.lower()
