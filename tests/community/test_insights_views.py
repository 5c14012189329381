"""The insights page, a moderator's own load and the break (community/insights_views.py), and
the break suggestion that the queue and item pages include (_care_notice.html)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from community.models import CareBreak, DutyRota, ReviewItem
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db

URLS = ["community:insights", "community:my_load", "community:take_break"]


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PEER_SPECIALIST])
@pytest.mark.parametrize("name", URLS)
def test_members_are_told_these_pages_do_not_exist(role, name, moderator):
    item = ReviewItem.objects.create(
        post=make_reply(topic=make_topic()), claimed_by=moderator, claimed_at=timezone.now()
    )
    client = Client()
    client.force_login(UserFactory(role=role))
    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name)).status_code == 404
    assert not CareBreak.objects.exists()
    item.refresh_from_db()
    assert item.claimed_by_id == moderator.pk


@pytest.mark.parametrize("name", URLS)
def test_visitors_are_asked_to_log_in(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_page_switches_between_7_30_and_90_days(moderator_client):
    page = moderator_client.get(reverse("community:insights")).content.decode()
    assert '<a href="?days=7" aria-current="page"' in page
    assert "over the last 7 days" in page

    page = moderator_client.get(reverse("community:insights"), {"days": "30"}).content.decode()
    assert '<a href="?days=30" aria-current="page"' in page
    assert page.count('<tr><th scope="row">') >= 30

    for nonsense in ("5", "many", ""):
        page = moderator_client.get(reverse("community:insights"), {"days": nonsense})
        assert '<a href="?days=7" aria-current="page"' in page.content.decode()


def test_every_chart_has_a_title_a_description_and_a_table(moderator_client):
    page = moderator_client.get(reverse("community:insights")).content.decode()
    svgs = re.findall(r"<svg [^>]*role=\"img\"[^>]*>", page)
    assert len(svgs) == 4
    for key in ("daily", "first-action", "at-risk", "reports"):
        assert f'<title id="chart-{key}-title">' in page
        assert f'<desc id="chart-{key}-desc">' in page
    assert page.count('<table class="figures">') == 4
    assert "style=" not in page
    assert "<script>" not in page


def test_figures_and_times_are_in_the_moderators_zone(moderator, moderator_client, decided):
    DutyRota.objects.create(moderator=moderator, time_zone="America/New_York")
    now = timezone.now()
    opened = now - timedelta(hours=30)
    post = make_reply(topic=make_topic(title="A title nobody should see here"))
    item = ReviewItem.objects.create(post=post, opened_at=opened, at_risk=True)
    decided(
        opened_at=now - timedelta(hours=2),
        alerted_at=now - timedelta(hours=2),
        claimed_at=now - timedelta(hours=2) + timedelta(minutes=7),
        decided_at=now - timedelta(hours=1),
        at_risk=True,
    )

    page = moderator_client.get(reverse("community:insights")).content.decode()

    local = opened.astimezone(ZoneInfo("America/New_York"))
    assert f"{local.day} {local:%b %Y, %H:%M} {local.tzname()}</time>" in page
    assert "America/New_York" in page
    assert reverse("community:review_item", args=[item.pk]) in page
    assert "The oldest has waited 30 h" in page
    assert "and someone may be at risk" in page
    assert "<td>7 min</td>" in page  # alert to claim, median and 90th percentile
    assert "A title nobody should see here" not in page
    assert post.body not in page


def _page_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("community:insights"), {"days": 90}).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_whatever_the_history(moderator_client, decided):
    now = timezone.now()
    decided(opened_at=now - timedelta(days=2), decided_at=now - timedelta(days=1), reported=True)
    _page_queries(moderator_client)  # warms the session and the cached guidelines
    few = _page_queries(moderator_client)
    topic = make_topic()
    for n in range(20):
        ReviewItem.objects.create(post=make_reply(topic=topic), opened_at=now - timedelta(days=n))
        decided(
            opened_at=now - timedelta(days=n, hours=3),
            alerted_at=now - timedelta(days=n, hours=3),
            claimed_at=now - timedelta(days=n, hours=2),
            decided_at=now - timedelta(days=n, hours=1),
            at_risk=n % 2 == 0,
        )
    assert _page_queries(moderator_client) == few


# --- my load and the break -------------------------------------------------------------------


def test_my_load_shows_the_last_day_and_week(moderator, moderator_client, decided):
    now = timezone.now()
    for hours, at_risk in ((1, True), (2, False), (50, True)):
        decided(
            opened_at=now - timedelta(hours=hours + 1),
            decided_at=now - timedelta(hours=hours),
            at_risk=at_risk,
            moderator=moderator,
        )
    decided(opened_at=now, decided_at=now, at_risk=True)  # someone else's

    page = moderator_client.get(reverse("community:my_load")).content.decode()

    assert re.search(r'Last 24 hours</th><td class="num">2</td><td class="num">1</td>', page)
    assert re.search(r'Last 7 days</th><td class="num">3</td><td class="num">2</td>', page)
    assert "Time for a break?" not in page


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=2)
def test_taking_a_break_hands_claims_back_and_says_so(moderator, moderator_client, decided):
    now = timezone.now()
    for _ in range(2):
        decided(opened_at=now, decided_at=now, at_risk=True, moderator=moderator)
    topic = make_topic()
    mine = [
        ReviewItem.objects.create(
            post=make_reply(topic=topic), claimed_by=moderator, claimed_at=now
        )
        for _ in range(2)
    ]
    page = moderator_client.get(reverse("community:my_load")).content.decode()
    assert "Time for a break?" in page
    assert "You have 2 items claimed." in page

    response = moderator_client.post(reverse("community:take_break"))

    assert response.status_code == 302
    assert response["Location"] == reverse("community:my_load")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "The 2 items you had claimed are back in the queue" in message
    assert ReviewItem.objects.filter(pk__in=[i.pk for i in mine], claimed_by=None).count() == 2
    assert CareBreak.objects.get(moderator=moderator).claims_returned == 2
    assert (
        "Time for a break?"
        not in moderator_client.get(reverse("community:my_load")).content.decode()
    )


def test_a_break_is_post_only(moderator_client):
    assert moderator_client.get(reverse("community:take_break")).status_code == 405
    assert not CareBreak.objects.exists()


# --- the include the queue and item pages carry ----------------------------------------------


def _render_notice(user):
    request = RequestFactory().get("/moderation/")
    request.user = user
    template = engines["django"].from_string(
        '{% include "community/moderation/_care_notice.html" %}'
    )
    return template.render({}, request)


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=3)
def test_the_notice_appears_for_a_moderator_past_the_threshold_only(moderator, decided):
    now = timezone.now()
    for _ in range(2):
        decided(opened_at=now, decided_at=now, at_risk=True, moderator=moderator)
    assert _render_notice(moderator).strip() == ""
    decided(opened_at=now, decided_at=now, at_risk=True, moderator=moderator)

    html = _render_notice(moderator)

    assert "Time for a break?" in html
    assert "You've been with 3 members who may be at risk in the last 24 hours." in html
    assert f'action="{reverse("community:take_break")}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=1)
def test_members_never_see_the_notice(decided):
    member = UserFactory()
    now = timezone.now()
    decided(opened_at=now, decided_at=now, at_risk=True, moderator=member)
    assert _render_notice(member).strip() == ""


def test_the_moderation_menu_links_insights_and_my_load(moderator_client):
    page = moderator_client.get(reverse("community:my_load")).content.decode()
    assert f'<a href="{reverse("community:insights")}"' in page
    assert f'<a href="{reverse("community:my_load")}" aria-current="page">My load</a>' in page


def test_dates_on_my_load_are_local_and_labelled(moderator, moderator_client):
    DutyRota.objects.create(moderator=moderator, time_zone="Asia/Tokyo")
    taken = datetime(2026, 11, 30, 20, 0, tzinfo=ZoneInfo("UTC"))
    CareBreak.objects.create(moderator=moderator, taken_at=taken, claims_returned=1)
    page = moderator_client.get(reverse("community:my_load")).content.decode()
    assert 'data-when="kept">1 Dec 2026, 05:00 JST</time>' in page


@override_settings(MODERATOR_BREAK_AFTER_AT_RISK=1)
def test_the_queue_and_item_pages_carry_the_notice(moderator, moderator_client, decided):
    now = timezone.now()
    decided(opened_at=now, decided_at=now, at_risk=True, moderator=moderator)
    item = ReviewItem.objects.create(post=make_reply(topic=make_topic()))
    for url in (reverse("community:queue"), item.get_absolute_url()):
        assert "Time for a break?" in moderator_client.get(url).content.decode(), url


def test_the_page_shows_how_soon_stories_are_answered(moderator_client):
    page = moderator_client.get(reverse("community:insights")).content.decode()
    assert "First replies to stories" in page
    assert "Median time to a first reply" in page
    assert "Answered within 24 hours" in page
    assert reverse("community:waiting_stories") in page
