"""Private conversations through the client: who may read each page, and what it offers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from community import services
from community.models import Conversation, ConversationMessage, ReviewItem
from tests.factories import UserFactory, make_reply, make_topic

MEMBER_TEXT = "Something I'd rather not post about: my sponsor moved away."


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def peer(db):
    return UserFactory(role=Role.PEER_SPECIALIST)


@pytest.fixture
def post(db):
    return make_reply(topic=make_topic(), body="Tonight is hard.")


@pytest.fixture
def check_in(post, peer):
    """A check-in a peer specialist started with the post's author."""
    return services.check_in(
        sender=peer, post=post, body="Checking in on you.", include_crisis_resources=True
    )


@pytest.fixture
def actors(post, peer, moderator, member):
    return {
        "author": post.author,
        "other member": member,
        "moderator": moderator,
        "peer specialist who started it": peer,
        "other peer specialist": UserFactory(role=Role.PEER_SPECIALIST),
    }


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("author", True),
        ("other member", False),
        ("moderator", True),
        ("peer specialist who started it", True),
        ("other peer specialist", False),
    ],
)
def test_a_conversation_is_read_by_its_member_the_team_and_its_peer_specialist_only(
    check_in, actors, actor, sees
):
    client = _client(actors[actor])
    url = reverse("community:conversation", kwargs={"pk": check_in.pk})
    missing = reverse("community:conversation", kwargs={"pk": check_in.pk + 1000})
    page = client.get(url)
    assert page.status_code == (200 if sees else 404)
    assert client.get(missing).status_code == 404
    answer = client.post(url, {"body": "A reply."})
    assert answer.status_code == (302 if sees else 404)
    assert ConversationMessage.objects.filter(body="A reply.").count() == (1 if sees else 0)


def test_anonymous_visitors_are_asked_to_log_in_whether_or_not_the_conversation_exists(
    check_in, client
):
    for pk in (check_in.pk, check_in.pk + 1000):
        page = client.get(reverse("community:conversation", kwargs={"pk": pk}))
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("community:conversations")).status_code == 302


def test_each_message_names_who_wrote_it_with_a_role_badge_and_escapes_the_text(
    check_in, moderator
):
    services.reply_to_conversation(
        conversation=check_in, author=check_in.member, body="<script>alert(1)</script> thanks"
    )
    services.reply_to_conversation(conversation=check_in, author=moderator, body="We're here.")
    html = _client(check_in.member).get(check_in.get_absolute_url()).content.decode()
    assert check_in.started_by.public_name in html
    assert '<span class="badge badge-peer">Peer specialist</span>' in html
    assert '<span class="badge badge-mod">Moderator</span>' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; thanks" in html


def test_the_crisis_resources_are_links_beside_the_messages_not_copied_into_them(check_in):
    html = _client(check_in.member).get(check_in.get_absolute_url()).content.decode()
    assert "Support you can reach right now" in html
    assert 'href="tel:988"' in html
    assert all("988" not in m.body for m in check_in.messages.all())


def test_the_check_in_page_is_for_moderators_and_peer_specialists(post, actors):
    url = reverse("community:check_in", kwargs={"pk": post.pk})
    assert _client(actors["moderator"]).get(url).status_code == 200
    assert _client(actors["other peer specialist"]).get(url).status_code == 200
    assert _client(actors["other member"]).get(url).status_code == 404
    assert _client(actors["author"]).get(url).status_code == 404
    assert _client(actors["other member"]).post(url, {"body": "Hi"}).status_code == 404
    assert not Conversation.objects.exists()


def test_the_check_in_page_offers_starting_texts_the_sender_can_change(post, moderator):
    url = reverse("community:check_in", kwargs={"pk": post.pk})
    first = _client(moderator).get(url).content.decode()
    third = _client(moderator).get(url + "?start=2").content.decode()
    assert "I read your post and wanted to check in" in first
    assert "It sounds like things are really hard" in third
    assert first.count("?start=") == 3

    page = _client(moderator).post(url, {"body": "  My own words, changed.  "})
    conversation = Conversation.objects.get()
    assert page["Location"] == conversation.get_absolute_url()
    assert conversation.messages.get().body == "My own words, changed."
    assert not conversation.include_crisis_resources


def test_a_check_in_from_the_review_item_is_linked_from_the_item_and_back(post, moderator):
    item = ReviewItem.objects.create(post=post)
    client = _client(moderator)
    item_page = client.get(item.get_absolute_url()).content.decode()
    check_in_url = reverse("community:check_in", kwargs={"pk": post.pk}) + f"?item={item.pk}"
    assert check_in_url in item_page
    assert "No private conversations yet." in item_page

    form = client.get(check_in_url).content.decode()
    assert f'name="item" value="{item.pk}"' in form
    client.post(
        reverse("community:check_in", kwargs={"pk": post.pk}),
        {"body": "Checking in.", "item": item.pk, "include_crisis_resources": "on"},
    )
    conversation = Conversation.objects.get()
    assert conversation.review_item == item
    assert conversation.include_crisis_resources

    item_page = client.get(item.get_absolute_url()).content.decode()
    assert conversation.get_absolute_url() in item_page
    assert "about this item" in item_page
    conversation_page = client.get(conversation.get_absolute_url()).content.decode()
    assert item.get_absolute_url() in conversation_page


def test_the_item_page_lists_earlier_conversations_in_the_members_history(post, moderator):
    earlier = services.start_conversation(member=post.author, body=MEMBER_TEXT)
    item = ReviewItem.objects.create(post=post)
    html = _client(moderator).get(item.get_absolute_url()).content.decode()
    assert earlier.get_absolute_url() in html
    assert "waiting for an answer" in html


def test_the_post_offers_a_private_check_in_to_the_team_only(post, moderator, peer, member):
    url = post.get_absolute_url()
    check_in_url = reverse("community:check_in", kwargs={"pk": post.pk})
    # The member reads first, so a page of cards is cached for readers in their situation.
    assert check_in_url not in _client(member).get(url, follow=True).content.decode()
    assert check_in_url in _client(peer).get(url, follow=True).content.decode()
    assert check_in_url in _client(moderator).get(url, follow=True).content.decode()
    assert check_in_url not in _client(post.author).get(url, follow=True).content.decode()


def test_any_member_can_message_the_moderators_from_every_page(member):
    client = _client(member)
    home = client.get(reverse("forum:home")).content.decode()
    assert reverse("community:message_team") in home
    assert reverse("community:conversations") in home

    page = client.post(reverse("community:message_team"), {"body": MEMBER_TEXT})
    conversation = Conversation.objects.get()
    assert page["Location"] == conversation.get_absolute_url()
    assert conversation.member == member
    assert conversation.awaiting_team


def test_an_empty_message_is_explained_kindly(member):
    page = _client(member).post(reverse("community:message_team"), {"body": "  "})
    assert page.status_code == 200
    assert "Please write a message first." in page.content.decode()
    assert not Conversation.objects.exists()


def test_a_member_sees_only_their_own_conversations(member, other_member, check_in):
    mine = services.start_conversation(member=member, body=MEMBER_TEXT)
    services.start_conversation(member=other_member, body="Someone else's words.")
    html = _client(member).get(reverse("community:conversations")).content.decode()
    assert mine.get_absolute_url() in html
    assert html.count(reverse("community:conversations") + "") >= 1
    others = Conversation.objects.exclude(pk=mine.pk)
    for other in others:
        assert other.get_absolute_url() not in html


def test_the_team_inbox_is_for_moderators_and_shows_unanswered_first(
    member, other_member, moderator, peer
):
    answered = services.start_conversation(member=member, body="Answered one.")
    services.reply_to_conversation(conversation=answered, author=moderator, body="Answer.")
    waiting = services.start_conversation(member=other_member, body="Waiting one.")
    url = reverse("community:team_inbox")
    html = _client(moderator).get(url).content.decode()
    assert html.index(waiting.get_absolute_url()) < html.index(answered.get_absolute_url())
    assert "Waiting for an answer" in html
    assert _client(member).get(url).status_code == 404
    assert _client(peer).get(url).status_code == 404


def test_sending_messages_counts_against_the_members_rate_limit(member, settings):
    settings.MEMBER_RATE_LIMITS = {"message": ("1/10m", "1/10m")}
    client = _client(member)
    assert client.post(reverse("community:message_team"), {"body": "First."}).status_code == 302
    refused = client.post(reverse("community:message_team"), {"body": "Second, kept."})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "You have sent several messages in a short time" in html
    assert "Second, kept." in html
    assert Conversation.objects.count() == 1


def test_the_team_inbox_and_messages_list_run_the_same_queries_for_one_or_many_rows(
    moderator, member
):
    def queries(url, user) -> int:
        client = _client(user)
        client.get(url)  # warm the session and any remembered reads
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.start_conversation(member=member, body="One.")
    inbox = reverse("community:team_inbox")
    mine = reverse("community:conversations")
    few = (queries(inbox, moderator), queries(mine, member))
    for n in range(6):
        services.start_conversation(member=UserFactory(), body=f"Message {n}.")
        services.start_conversation(member=member, body=f"Mine {n}.")
    assert (queries(inbox, moderator), queries(mine, member)) == few


def test_a_peer_specialist_finds_the_check_ins_they_started_in_their_messages(check_in, peer):
    html = _client(peer).get(reverse("community:conversations")).content.decode()
    assert check_in.get_absolute_url() in html
    assert f"Your check-in with {check_in.member.public_name}" in html
