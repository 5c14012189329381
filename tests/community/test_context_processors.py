"""The layout's furniture from community: the guidelines banner, the queue link, the muted
banner (its pages are in tests/community/test_errors.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.context_processors import muted
from forum.refusals import until
from tests.factories import UserFactory, mute

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


@pytest.mark.django_db
def test_the_muted_processor_runs_no_query_for_a_member_who_is_not_muted(
    rf, member, django_assert_num_queries
):
    request = rf.get("/")
    request.user = member
    with django_assert_num_queries(0):
        assert muted(request) == {}


@pytest.mark.django_db
def test_the_banner_costs_a_muted_member_one_query(client, member, rf):
    mute(member)
    request = rf.get("/")
    request.user = member
    with CaptureQueriesContext(connection) as queries:
        notice = muted(request)["muted_notice"]
    assert len(queries) == 1
    assert notice.until == until(member)
