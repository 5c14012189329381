"""The member is read once per request; a suspended member is signed out."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
def test_a_suspended_member_with_a_live_session_is_signed_out_and_told_why(client):
    member = UserFactory(suspended_until=timezone.now() + timedelta(days=1))
    client.force_login(member)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "_auth_user_id" not in client.session
    assert "Your account is paused for now" in response.content.decode()
