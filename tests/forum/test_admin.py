"""The admin shows forum content but never changes what only the services may change."""

import pytest

from forum.models import Status
from tests.factories import UserFactory, make_reply, make_topic


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, role="admin"))
    return client


@pytest.mark.django_db
def test_post_and_topic_status_are_read_only(admin_client):
    topic = make_topic()
    post = make_reply(topic=topic)
    for url in (f"/admin/forum/post/{post.pk}/change/", f"/admin/forum/topic/{topic.pk}/change/"):
        html = admin_client.get(url).content.decode()
        assert 'name="status"' not in html, url
        assert "Published" in html, url
    admin_client.post(f"/admin/forum/post/{post.pk}/change/", {"status": Status.REMOVED})
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


@pytest.mark.django_db
def test_content_warnings_are_read_only_in_the_admin(admin_client):
    topic = make_topic()
    post = topic.posts.get()
    for url in (f"/admin/forum/post/{post.pk}/change/", f"/admin/forum/topic/{topic.pk}/change/"):
        html = admin_client.get(url).content.decode()
        assert 'name="warning_flags"' not in html, url
    assert (
        'name="warning_note"'
        not in admin_client.get(f"/admin/forum/post/{post.pk}/change/").content.decode()
    )
