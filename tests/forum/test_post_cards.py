"""Cached post cards: shared where readers see the same thing, never where they don't."""

import pytest
from django.core.cache import cache

from accounts import services as account_services
from forum import fragments, services
from forum.post_cards import CARD_TEMPLATE, card_shows
from tests.factories import UserFactory, make_reply, make_topic


def cards_in_cache() -> int:
    return sum(":fragment:forum/_post.html:" in key for key in cache._cache)


def topic_html(client, topic) -> str:
    return client.get(topic.get_absolute_url()).content.decode()


@pytest.fixture
def topic(db, other_member):
    return make_topic(author=other_member, title="Cards", body="The **first** words.")


@pytest.mark.django_db
def test_readers_in_the_same_situation_share_one_card(client, topic):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    topic_html(client, topic)
    cached = cards_in_cache()
    assert cached == 1
    client.force_login(second)
    assert "The <strong>first</strong> words." in topic_html(client, topic)
    assert cards_in_cache() == cached, "the second reader rendered no new card"


@pytest.mark.django_db
def test_the_authors_card_with_edit_links_is_not_shown_to_others(client, topic, other_member):
    client.force_login(other_member)
    assert "Edit</a>" in topic_html(client, topic)
    client.force_login(UserFactory())
    html = topic_html(client, topic)
    assert "Edit</a>" not in html
    assert "Report</a>" in html


@pytest.mark.django_db
def test_an_edit_shows_at_once(member_client, topic, other_member):
    topic_html(member_client, topic)
    services.edit_post(editor=other_member, post=topic.posts.get(), body="Changed words.")
    html = topic_html(member_client, topic)
    assert "Changed words." in html and "The <strong>first</strong> words." not in html
    assert "edited" in html


@pytest.mark.django_db
def test_encouragement_counts_and_own_state_show_at_once(member_client, member, topic):
    post = topic.posts.get()
    topic_html(member_client, topic)
    services.set_reaction(user=UserFactory(), post=post, kind="proud", on=True)
    html = topic_html(member_client, topic)
    assert 'aria-pressed="false">Proud of you <span class="count">1</span>' in html
    services.set_reaction(user=member, post=post, kind="proud", on=True)
    html = topic_html(member_client, topic)
    assert 'aria-pressed="true">Proud of you <span class="count">2</span>' in html


@pytest.mark.django_db
def test_a_new_display_name_and_a_deletion_show_at_once(member_client, topic, other_member):
    reply = make_reply(topic=topic, author=other_member, body="Soon gone.")
    topic_html(member_client, topic)
    account_services.update_profile(user=other_member, display_name="Willow", bio="", pronouns="")
    assert "Willow" in topic_html(member_client, topic)
    services.delete_post(user=other_member, post=reply)
    html = topic_html(member_client, topic)
    assert "Soon gone." not in html and "removed by its author" in html


def card_key(post, *, viewer) -> str:
    return fragments.fragment_key(CARD_TEMPLATE, card_shows(post, viewer=viewer))


@pytest.mark.django_db
def test_key_covers_what_the_card_shows(topic, other_member):
    post = topic.posts.select_related("author").get()
    reader = UserFactory()
    post.can_react = post.can_edit = post.can_delete = False
    post.reaction_summary = []
    base = card_key(post, viewer=reader)
    post.status = "hidden"
    assert card_key(post, viewer=reader) != base
    post.status = "published"
    post.author.role = "peer_specialist"
    assert card_key(post, viewer=reader) != base
    post.author.role = "member"
    assert card_key(post, viewer=reader) == base
    assert card_key(post, viewer=other_member) != base


@pytest.mark.django_db
def test_a_changed_card_template_gets_new_keys(topic, monkeypatch):
    post = topic.posts.select_related("author").get()
    post.can_react = post.can_edit = post.can_delete = False
    post.reaction_summary = []
    reader = UserFactory()
    before = card_key(post, viewer=reader)
    monkeypatch.setattr(fragments, "template_digest", lambda name: "another-template")
    assert card_key(post, viewer=reader) != before
