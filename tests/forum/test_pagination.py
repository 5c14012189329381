"""Page numbers: the arithmetic, and every paginated page leading a missing page to the
nearest real one (302, other query parameters kept) rather than a dead end."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Role
from community.models import ModerationAction, ModerationLog, ModerationReason
from forum.models import Status, Topic
from forum.pagination import PageInfo, page_from_request, redirect_to_page
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, PageInfo(1, 3)),
        ("", PageInfo(1, 3)),
        ("1", PageInfo(1, 3)),
        ("2", PageInfo(2, 3)),
        ("3", PageInfo(3, 3)),
        ("last", PageInfo(3, 3)),
        ("99", PageInfo(3, 3, exact=False)),
        ("4", PageInfo(3, 3, exact=False)),
        ("0", PageInfo(1, 3, exact=False)),
        ("-2", PageInfo(1, 3, exact=False)),
        ("abc", PageInfo(1, 3, exact=False)),
        ("2.5", PageInfo(1, 3, exact=False)),
        ("02", PageInfo(2, 3, exact=False)),
    ],
)
def test_a_request_names_a_real_page_or_the_nearest_one(raw, expected):
    assert page_from_request(raw, items=25, per_page=10) == expected


def test_an_empty_list_still_has_one_page():
    assert page_from_request("5", items=0, per_page=10) == PageInfo(1, 1, exact=False)


def test_the_redirect_keeps_every_other_query_parameter():
    request = RequestFactory().get("/c/small-wins/", {"sort": "new", "page": "99", "q": "a b"})
    response = redirect_to_page(request, PageInfo(3, 3, exact=False))
    assert response.status_code == 302
    assert response.url == "/c/small-wins/?sort=new&page=3&q=a+b"


# --- every paginated page ------------------------------------------------------------------


@pytest.fixture
def long_topic(db, settings):
    settings.POSTS_PER_PAGE = 2
    topic = make_topic(title="Week one", body="Hard but okay.")
    for n in range(2, 6):  # five posts: three pages
        make_reply(topic=topic, body=f"reply number {n}")
    return topic


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "lands"),
    [("99", "3"), ("4", "3"), ("0", "1"), ("-1", "1"), ("abc", "1")],
)
def test_a_topic_page_that_does_not_exist_leads_to_the_nearest(
    member_client, long_topic, asked, lands
):
    url = long_topic.get_absolute_url()
    response = member_client.get(f"{url}?page={asked}&from=inbox")
    assert response.status_code == 302
    assert response.url == f"{url}?page={lands}&from=inbox"
    page = member_client.get(response.url).content.decode()
    assert f"Page {lands} of 3" in page


@pytest.mark.django_db
def test_the_last_topic_page_reached_by_redirect_shows_the_last_posts(member_client, long_topic):
    page = member_client.get(f"{long_topic.get_absolute_url()}?page=99", follow=True)
    html = page.content.decode()
    assert page.redirect_chain == [(f"{long_topic.get_absolute_url()}?page=3", 302)]
    assert "reply number 5" in html and "reply number 3" not in html


@pytest.mark.django_db
def test_a_hidden_topic_stays_not_found_whatever_the_page(member_client, long_topic):
    Topic.objects.filter(pk=long_topic.pk).update(status=Status.HIDDEN)
    response = member_client.get(f"{long_topic.get_absolute_url()}?page=99")
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("asked", "lands"), [("9", "3"), ("0", "1"), ("two", "1")])
def test_a_category_page_that_does_not_exist_leads_to_the_nearest(
    member_client, settings, asked, lands
):
    settings.TOPICS_PER_PAGE = 2
    category = CategoryFactory()
    for n in range(5):
        make_topic(category=category, title=f"Topic number {n}")
    url = category.get_absolute_url()
    response = member_client.get(f"{url}?page={asked}")
    assert response.status_code == 302
    assert response.url == f"{url}?page={lands}"
    assert f"Page {lands} of 3" in member_client.get(response.url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("asked", "lands"), [("99", "2"), ("-3", "1"), ("x", "1")])
def test_a_moderation_log_page_that_does_not_exist_leads_to_the_nearest(
    client, monkeypatch, asked, lands
):
    monkeypatch.setattr("community.views.LOG_PER_PAGE", 2)
    moderator = UserFactory(role=Role.MODERATOR)
    member = UserFactory()
    for _ in range(3):  # two pages
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationAction.KEEP,
            target_user=member,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Seeded.",
        )
    client.force_login(moderator)
    url = reverse("community:log")
    response = client.get(f"{url}?page={asked}")
    assert response.status_code == 302
    assert response.url == f"{url}?page={lands}"
    assert f"Page {lands} of 2" in client.get(response.url).content.decode()
