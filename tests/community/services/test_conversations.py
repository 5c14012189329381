"""Private conversations with the moderation team: check-ins, member messages and replies."""

from __future__ import annotations

import pytest

from accounts.models import Role
from community import services
from community.models import Conversation, ConversationMessage, ReviewItem
from forum.models import NotificationKind
from tests.factories import UserFactory, make_reply, make_topic

CHECK_IN_TEXT = "Hi Sam, I read what you wrote about the weekend and wanted to check in."
MEMBER_TEXT = "Thank you. It has been a hard week and I didn't want to post about it."
TOPIC_TITLE = "A title that must stay out of email"


@pytest.fixture
def post(db):
    return make_reply(topic=make_topic(title=TOPIC_TITLE), body="Things are heavy tonight.")


@pytest.fixture
def peer(db):
    return UserFactory(role=Role.PEER_SPECIALIST, username="peer_jo")


def _check_in(sender, post, capture, **kwargs):
    with capture(execute=True):
        return services.check_in(
            sender=sender,
            post=post,
            body=CHECK_IN_TEXT,
            include_crisis_resources=kwargs.pop("include_crisis_resources", False),
            **kwargs,
        )


def test_a_check_in_reaches_the_author_in_the_site_and_the_email_says_only_that_one_waits(
    post, moderator, mailoutbox, notes_for, django_capture_on_commit_callbacks
):
    moderator.username = "mod_river"
    moderator.save()
    conversation = _check_in(moderator, post, django_capture_on_commit_callbacks)

    assert conversation.member == post.author
    assert conversation.started_by == moderator
    assert [m.body for m in conversation.messages.all()] == [CHECK_IN_TEXT]
    assert conversation.messages.get().author_role == Role.MODERATOR
    notes = notes_for(post.author, NotificationKind.TEAM_MESSAGE)
    assert [n.get_absolute_url() for n in notes] == [conversation.get_absolute_url()]
    assert CHECK_IN_TEXT not in notes[0].message

    [email] = mailoutbox
    assert email.to == [post.author.email]
    assert email.subject == "You have new activity on Lantern"
    raw = email.message().as_string()
    assert "A private message is waiting for you" in email.body
    assert conversation.get_absolute_url() in email.body
    for secret in ("check in", "weekend", moderator.username, TOPIC_TITLE, "heavy tonight"):
        assert secret not in raw
        assert secret not in email.subject


def test_the_authors_reply_tells_every_moderator_and_the_peer_specialist_who_started_it(
    post, peer, moderator, mailoutbox, notes_for, django_capture_on_commit_callbacks
):
    conversation = _check_in(peer, post, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_conversation(
            conversation=conversation, author=post.author, body=MEMBER_TEXT
        )

    conversation.refresh_from_db()
    assert conversation.awaiting_team
    for someone in (moderator, peer):
        [note] = notes_for(someone, NotificationKind.TEAM_MESSAGE)
        assert note.get_absolute_url() == conversation.get_absolute_url()
    assert notes_for(post.author, NotificationKind.TEAM_MESSAGE)  # only the check-in itself
    assert len(notes_for(post.author, NotificationKind.TEAM_MESSAGE)) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([moderator.email, peer.email])
    for email in mailoutbox:
        raw = email.message().as_string()
        assert "hard week" not in raw
        assert post.author.username not in raw


def test_a_team_answer_tells_the_member_and_takes_the_conversation_off_the_waiting_list(
    member, moderator, notes_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = services.start_conversation(member=member, body=MEMBER_TEXT)
    assert conversation.awaiting_team
    assert not conversation.is_check_in
    assert len(notes_for(moderator, NotificationKind.TEAM_MESSAGE)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_conversation(
            conversation=conversation, author=moderator, body="We're glad you wrote."
        )
    conversation.refresh_from_db()
    assert not conversation.awaiting_team
    [note] = notes_for(member, NotificationKind.TEAM_MESSAGE)
    assert note.get_absolute_url() == conversation.get_absolute_url()


def test_the_team_inbox_puts_conversations_waiting_for_an_answer_first(member, moderator):
    waiting = services.start_conversation(member=member, body="First, still waiting.")
    answered = services.start_conversation(member=UserFactory(), body="Second.")
    services.reply_to_conversation(conversation=answered, author=moderator, body="Answered.")
    assert list(Conversation.objects.team_inbox()) == [waiting, answered]


def test_only_the_member_and_the_team_may_write_in_a_conversation(
    member, other_member, peer, moderator
):
    conversation = services.start_conversation(member=member, body=MEMBER_TEXT)
    for outsider in (other_member, peer):
        with pytest.raises(services.ModerationError):
            services.reply_to_conversation(
                conversation=conversation, author=outsider, body="Let me in."
            )
    assert ConversationMessage.objects.filter(conversation=conversation).count() == 1


def test_members_cannot_check_in_and_nobody_checks_in_with_themself(post, member, moderator):
    with pytest.raises(services.ModerationError):
        services.check_in(sender=member, post=post, body="Hi", include_crisis_resources=False)
    own = make_reply(topic=make_topic(), author=moderator)
    with pytest.raises(services.ModerationError):
        services.check_in(sender=moderator, post=own, body="Hi", include_crisis_resources=False)
    assert not Conversation.objects.exists()


def test_a_check_in_from_a_review_item_is_linked_to_it_and_refuses_another_posts_item(
    post, moderator, django_capture_on_commit_callbacks
):
    item = ReviewItem.objects.create(post=post)
    conversation = _check_in(moderator, post, django_capture_on_commit_callbacks, item=item)
    assert list(item.conversations.all()) == [conversation]
    other = ReviewItem.objects.create(post=make_reply(topic=make_topic()))
    with pytest.raises(services.ModerationError):
        services.check_in(
            sender=moderator, post=post, body="Hi", include_crisis_resources=False, item=other
        )


def test_an_empty_message_is_refused(member):
    with pytest.raises(services.ModerationError):
        services.start_conversation(member=member, body="   ")
    assert not Conversation.objects.exists()
