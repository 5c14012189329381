"""Topic lists: rows shared by every reader, and a change shows at once."""

import re

import pytest

from forum import services, topic_rows
from forum.models import Status, Topic
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic


@pytest.fixture
def category(db):
    category = CategoryFactory()
    make_topic(category=category, title="Small steps")
    return category


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_every_reader_shares_the_rows(client, category, renders):
    client.force_login(UserFactory())
    assert "Small steps" in page(client, category.get_absolute_url())
    assert renders.count(topic_rows.CATEGORY_ROW_TEMPLATE) == 1
    client.force_login(UserFactory())
    assert "Small steps" in page(client, category.get_absolute_url())
    assert renders.count(topic_rows.CATEGORY_ROW_TEMPLATE) == 1


@pytest.mark.django_db
def test_a_reply_renders_only_the_row_it_changed(member_client, category, renders):
    other = make_topic(category=category, title="Other road")
    page(member_client, category.get_absolute_url())
    assert renders.count(topic_rows.CATEGORY_ROW_TEMPLATE) == 2
    make_reply(topic=other)
    page(member_client, category.get_absolute_url())
    assert renders.count(topic_rows.CATEGORY_ROW_TEMPLATE) == 3


@pytest.mark.django_db
def test_replies_edits_and_closing_show_at_once(member_client, category):
    url = category.get_absolute_url()
    topic = Topic.objects.get(category=category)
    page(member_client, url)
    replier = UserFactory(username="willow")
    make_reply(topic=topic, author=replier)
    html = page(member_client, url)
    assert 'class="num">1</td>' in html and "by willow" in html
    services.edit_post(
        editor=topic.author, post=topic.posts.get(position=1), body="Today.", title="Big steps"
    )
    html = page(member_client, url)
    assert "Big steps" in html and "Small steps" not in html
    services.set_topic_locked(topic=topic, locked=True)
    assert '<span class="badge">Closed</span>' in page(member_client, url)


@pytest.mark.django_db
def test_rows_show_absolute_times_for_the_script_to_make_relative(member_client, category):
    topic = Topic.objects.get(category=category)
    html = page(member_client, category.get_absolute_url())
    stamp = topic.last_activity_at
    expected = (
        f'<time datetime="{stamp.isoformat()}" title="{stamp.day} {stamp:%b %Y, %H:%M} UTC" '
        f'data-when="utc">{stamp.day} {stamp:%b %Y, %H:%M} UTC</time>'
    )
    assert expected in html
    assert "ago" not in html, "nothing in a cached row may depend on when it is read"


@pytest.mark.django_db
def test_home_latest_rows_name_the_category_and_follow_replies(member_client, category, renders):
    html = page(member_client, "/")
    assert re.search(rf"in {re.escape(category.name)} · 0 replies · last by \S+ <time", html)
    assert renders.count(topic_rows.LATEST_ROW_TEMPLATE) == 1
    make_reply(topic=Topic.objects.get(category=category))
    assert f"in {category.name} · 1 reply" in page(member_client, "/")


@pytest.mark.django_db
def test_hidden_topics_leave_the_rows(member_client, category):
    topic = Topic.objects.get(category=category)
    page(member_client, category.get_absolute_url())
    services.set_post_status(post=topic.posts.get(position=1), status=Status.HIDDEN)
    assert "Small steps" not in page(member_client, category.get_absolute_url())
    assert "Small steps" not in page(member_client, "/")
