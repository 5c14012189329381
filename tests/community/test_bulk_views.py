"""The bulk approval page: every post in full, a checkbox each, one reason for all."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from community import services
from community.models import ModerationLog, ReviewStatus
from forum.models import Post, Status
from tests.community.queue_helpers import reported_item, waiting_item
from tests.factories import UserFactory

URL = reverse("community:approve_new_members")


def test_the_page_shows_each_waiting_post_in_full(client, moderator):
    long_body = "A first post that goes on. " * 30
    item = waiting_item(body=long_body)
    reported = reported_item(body="Reported words, not waiting.")
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    assert long_body.strip() in page
    assert f'name="items" value="{item.pk}"' in page
    assert "Reported words" not in page
    assert f'value="{reported.pk}"' not in page


def test_approving_the_ticked_posts_logs_each_and_says_what_was_skipped(client, moderator):
    first, second, untouched = waiting_item(), waiting_item(), waiting_item()
    theirs = waiting_item()
    services.claim_item(moderator=UserFactory(role=Role.MODERATOR), item=theirs)
    client.force_login(moderator)
    page = client.get(URL).content.decode()
    # Claimed by someone else: no checkbox, their name instead.
    assert f'value="{theirs.pk}"' not in page
    response = client.post(
        URL,
        {"items": [first.pk, second.pk, theirs.pk], "reason": "within_guidelines"},
        follow=True,
    )
    text = response.content.decode()
    assert "Approved 2 posts, each logged." in text
    assert "Skipped 1 post another moderator is working on." in text
    assert ModerationLog.objects.filter(review_item__in=[first, second]).count() == 2
    assert Post.objects.get(pk=untouched.post_id).status == Status.PENDING
    theirs.refresh_from_db()
    assert theirs.status == ReviewStatus.OPEN


def test_nothing_ticked_is_explained_and_changes_nothing(client, moderator):
    waiting_item()
    client.force_login(moderator)
    response = client.post(URL, {"reason": "within_guidelines"})
    assert response.status_code == 400
    assert "Please tick the posts you read" in response.content.decode()
    assert ModerationLog.objects.count() == 0


def test_members_are_told_the_page_does_not_exist(client, db):
    item = waiting_item()
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"items": [item.pk], "reason": "within_guidelines"}).status_code == 404
    assert not ModerationLog.objects.exists()
