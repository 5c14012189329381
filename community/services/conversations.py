"""Private conversations between a member and the moderation team: check-ins, "Message the
moderators", and the replies in between.

Messages are plain text, escaped when shown. Notifications say only that a message is waiting
(never its text or who wrote it), and link to the conversation behind the login.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.models import Conversation, ConversationMessage, ReviewItem
from community.permissions import can_read_conversation
from community.selectors import moderators
from forum import permissions as forum_permissions
from forum.models import NotificationKind, Post
from forum.notifications.api import notify

from .errors import ModerationError

MESSAGE_MAX = 4000
FOR_MEMBER = "A message from the Lantern team is waiting for you. Only you and the team can see it."
FOR_TEAM = "A member wrote to the moderation team in a private conversation."


def _clean(body: str) -> str:
    text = body.strip()
    if not text:
        raise ModerationError("Please write a message first.")
    if len(text) > MESSAGE_MAX:
        raise ModerationError("Messages can be up to 4,000 characters.")
    return text


def _tell(*, recipients: list[User], message: ConversationMessage, text: str) -> None:
    conversation = message.conversation
    for recipient in recipients:
        notify(
            recipient=recipient,
            kind=NotificationKind.TEAM_MESSAGE,
            event_key=f"conversation-message:{message.pk}",
            message=text,
            url=conversation.get_absolute_url(),
        )


def _team_of(conversation: Conversation) -> list[User]:
    """Who answers for the team: every moderator, and the peer specialist who started it."""
    team = list(moderators())
    starter = conversation.started_by
    if starter.pk != conversation.member_id and all(m.pk != starter.pk for m in team):
        team.append(starter)
    return team


def _add(*, conversation: Conversation, author: User, body: str) -> ConversationMessage:
    """Writes the message, moves the conversation in the inbox and tells the other side."""
    message = ConversationMessage.objects.create(
        conversation=conversation, author=author, author_role=author.role, body=_clean(body)
    )
    from_member = author.pk == conversation.member_id
    conversation.awaiting_team = from_member
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["awaiting_team", "last_message_at"])
    if from_member:
        _tell(recipients=_team_of(conversation), message=message, text=FOR_TEAM)
    else:
        others = [u for u in [conversation.member, conversation.started_by] if u.pk != author.pk]
        unique = list({u.pk: u for u in others}.values())
        _tell(recipients=unique, message=message, text=FOR_MEMBER)
    return message


@transaction.atomic
def start_conversation(*, member: User, body: str) -> Conversation:
    """`member` has a new private conversation with the moderation team, holding their first
    message, and every moderator has heard that it waits."""
    _clean(body)
    conversation = Conversation.objects.create(
        member=member, started_by=member, last_message_at=timezone.now()
    )
    _add(conversation=conversation, author=member, body=body)
    return conversation


@transaction.atomic
def check_in(
    *,
    sender: User,
    post: Post,
    body: str,
    include_crisis_resources: bool,
    item: ReviewItem | None = None,
) -> Conversation:
    """The author of `post` has a private message from `sender` (a moderator or peer
    specialist) in a new conversation with the team, linked to `post` and its review item."""
    if not forum_permissions.can_check_in_with_author(sender, post):
        raise ModerationError("Only moderators and peer specialists can check in with a member.")
    if item is not None and item.post_id != post.pk:
        raise ModerationError("That review item is about a different post.")
    _clean(body)
    conversation = Conversation.objects.create(
        member=post.author,
        started_by=sender,
        post=post,
        review_item=item,
        include_crisis_resources=include_crisis_resources,
        last_message_at=timezone.now(),
    )
    _add(conversation=conversation, author=sender, body=body)
    return conversation


@transaction.atomic
def reply_to_conversation(
    *, conversation: Conversation, author: User, body: str
) -> ConversationMessage:
    """`author`'s message is the newest in `conversation`; a member's reply puts it first in
    the team inbox and tells the team, a team reply tells the member."""
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if not can_read_conversation(author, locked):
        raise ModerationError("Only the member and the moderation team can write here.")
    return _add(conversation=locked, author=author, body=body)
