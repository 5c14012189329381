"""Post cards: shared where readers see the same thing, never where they don't, and every
change shows at once."""

import pytest

from accounts import services as account_services
from forum import fragments, services
from forum.models import Status
from forum.post_cards import CARD_TEMPLATE, PostRow, card_for, reader_situation
from tests.factories import UserFactory, make_reply, make_topic


def topic_html(client, topic) -> str:
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def topic(db, other_member):
    return make_topic(author=other_member, title="Cards", body="The **first** words.")


def row_of(post) -> PostRow:
    return PostRow.of(type(post).objects.select_related("author").get(pk=post.pk))


@pytest.mark.django_db
def test_readers_in_the_same_situation_share_one_card(client, topic, renders):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    topic_html(client, topic)
    assert renders.count(CARD_TEMPLATE) == 1
    client.force_login(second)
    assert "The <strong>first</strong> words." in topic_html(client, topic)
    assert renders.count(CARD_TEMPLATE) == 1, "the second reader rendered no new card"


@pytest.mark.django_db
def test_the_authors_card_with_edit_links_is_not_shown_to_others(client, topic, other_member):
    client.force_login(other_member)
    html = topic_html(client, topic)
    assert "Edit</a>" in html and "Report</a>" not in html
    client.force_login(UserFactory())
    html = topic_html(client, topic)
    assert "Edit</a>" not in html
    assert "Report</a>" in html


@pytest.mark.django_db
def test_an_edit_shows_at_once_with_earlier_versions_for_the_author_only(
    client, topic, other_member
):
    reader = UserFactory()
    client.force_login(reader)
    topic_html(client, topic)
    services.edit_post(editor=other_member, post=topic.posts.get(), body="Changed words.")
    html = topic_html(client, topic)
    assert "Changed words." in html and "The <strong>first</strong> words." not in html
    assert "edited" in html and "Earlier versions" not in html
    client.force_login(other_member)
    assert "Earlier versions" in topic_html(client, topic)


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
    services.set_reaction(user=member, post=post, kind="proud", on=False)
    html = topic_html(member_client, topic)
    assert 'aria-pressed="false">Proud of you <span class="count">1</span>' in html


@pytest.mark.django_db
def test_a_new_display_name_a_new_role_and_a_deletion_show_at_once(
    member_client, topic, other_member, django_capture_on_commit_callbacks
):
    reply = make_reply(topic=topic, author=other_member, body="Soon gone.")
    topic_html(member_client, topic)
    # Profile changes start a new profile version once they commit.
    with django_capture_on_commit_callbacks(execute=True):
        account_services.update_profile(
            user=other_member, display_name="Willow", bio="", pronouns=""
        )
    assert "Willow" in topic_html(member_client, topic)
    with django_capture_on_commit_callbacks(execute=True):
        account_services.set_role(user=other_member, role="peer_specialist")
    assert "badge-peer" in topic_html(member_client, topic)
    services.delete_post(user=other_member, post=reply)
    html = topic_html(member_client, topic)
    assert "Soon gone." not in html and "removed by its author" in html


@pytest.mark.django_db
def test_a_hidden_post_is_a_placeholder_for_others_and_readable_for_its_author(
    client, topic, other_member
):
    services.set_post_status(post=topic.posts.get(), status=Status.HIDDEN)
    client.force_login(UserFactory())
    assert client.get(topic.get_absolute_url()).status_code == 404  # the topic is hidden too
    reply = make_reply(topic=make_topic(author=UserFactory()), author=other_member, body="Mine.")
    services.set_post_status(post=reply, status=Status.HIDDEN)
    html = topic_html(client, reply.topic)
    assert "Mine." not in html and "hidden while moderators take a look" in html
    client.force_login(other_member)
    html = topic_html(client, reply.topic)
    assert "Mine." in html and "Hidden from other members: only you and the moderators" in html


@pytest.mark.django_db
def test_the_card_key_covers_what_the_card_shows(topic, other_member):
    row = row_of(topic.posts.get())
    reader = UserFactory()

    def key(row, viewer=reader, mine=frozenset()):
        return fragments.fragment_key(CARD_TEMPLATE, card_for(row, viewer=viewer, mine=mine))

    base = key(row)
    assert key(row) == base
    assert key(row.__class__(**{**_fields(row), "status": Status.HIDDEN})) != base
    assert key(row.__class__(**{**_fields(row), "author_role": "peer_specialist"})) != base
    assert key(row.__class__(**{**_fields(row), "counts": (1, 0, 0, 0)})) != base
    assert key(row, mine=frozenset({(row.pk, "hear")})) != base
    assert key(row, viewer=other_member) != base
    assert key(row, viewer=UserFactory()) == base, "another reader in the same situation"


def _fields(row: PostRow) -> dict:
    return {name: getattr(row, name) for name in row.__dataclass_fields__}


def _plain(value: object) -> bool:
    if isinstance(value, tuple):
        return all(_plain(item) for item in value)
    return isinstance(value, bool | int | str)


@pytest.mark.django_db
def test_the_reader_situation_is_plain_values_so_its_key_is_the_same_in_every_process(topic):
    row = row_of(topic.posts.get())
    sent = frozenset({(row.pk, "hear"), (row.pk, "proud"), (row.pk, "metoo")})
    situation = reader_situation([row], viewer=UserFactory(), sent=sent)
    assert _plain(situation), situation
    assert situation == reader_situation([row], viewer=UserFactory(), sent=frozenset(sent))
