"""The member is read once per request; a suspended member is signed out."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SuspendedMemberMiddleware
from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_views_get_the_member_model_not_a_lazy_proxy(client, rf):
    member = UserFactory()
    client.force_login(member)
    seen = []
    middleware = SuspendedMemberMiddleware(lambda request: seen.append(request.user) or None)
    request = rf.get("/")
    request.session = client.session
    with CaptureQueriesContext(connection) as ctx:
        middleware(request)
    assert type(seen[0]) is User and seen[0].pk == member.pk
    assert len(ctx) == 1


@pytest.mark.django_db
def test_a_suspended_member_with_a_live_session_is_signed_out_and_told_until_when(client):
    until = timezone.now() + timedelta(days=3)
    member = UserFactory(suspended_until=until)
    client.force_login(member)
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("accounts:paused"), 302)]
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "Your account is paused" in html
    assert until.strftime("%-d %b %Y, %H:%M UTC") in html
    assert "ask for a review" in html
    assert f"mailto:{settings.MODERATION_CONTACT_EMAIL}" in html
    assert reverse("community:guidelines") in html


@pytest.mark.django_db
def test_the_paused_page_says_nothing_to_a_browser_no_pause_sent_there(client):
    response = client.get(reverse("accounts:paused"))
    assert response.status_code == 302
    assert response.url == reverse("account_login")
