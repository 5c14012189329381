"""Where a post stands, in one place, and every message about it derived from that.

A post's situation follows from its status and whether screening found crisis language. The
author, other members and moderators each read words made here, so the crisis panel, the
notice above the post, the message after posting and the moderator's review page can never
disagree about whether the post is published or who can see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .status import Status


class Situation(StrEnum):
    PUBLISHED = "published"
    # Published (an established member's post) and at the top of the review queue.
    PUBLISHED_CRISIS = "published_crisis"
    WAITING_FIRST_POSTS = "waiting_first_posts"
    # A new member's post with crisis language: moderators read it first, before anyone else.
    WAITING_CRISIS = "waiting_crisis"
    HIDDEN = "hidden"
    REMOVED = "removed"
    DELETED = "deleted"


def situation_of(*, status: str, crisis_language: bool) -> Situation:
    """The one answer to "where does this post stand?"."""
    if status == Status.PENDING:
        return Situation.WAITING_CRISIS if crisis_language else Situation.WAITING_FIRST_POSTS
    if status == Status.PUBLISHED:
        return Situation.PUBLISHED_CRISIS if crisis_language else Situation.PUBLISHED
    return {
        Status.HIDDEN: Situation.HIDDEN,
        Status.REMOVED: Situation.REMOVED,
        Status.DELETED: Situation.DELETED,
    }[Status(status)]


@dataclass(frozen=True, slots=True)
class Words:
    """What each person reads about a post in one situation ("" where nothing is said)."""

    # Above the post, for its author.
    author: str
    # In place of the post, for other members who may not read it.
    reader: str
    # Above the post, on the topic page and the review item, for moderators.
    moderator: str
    # After posting, on the page the author lands on.
    posted: str
    # In the crisis panel, before the ways to reach help.
    panel: str


REACH_OUT = "If you need to talk to someone now, these services are free, confidential and ready "
REACH_OUT += "to listen."

WORDS: dict[Situation, Words] = {
    Situation.PUBLISHED: Words(
        author="",
        reader="",
        moderator="",
        posted="Thank you for sharing. Your post is published: members can read it now.",
        panel=REACH_OUT,
    ),
    Situation.PUBLISHED_CRISIS: Words(
        author="",
        reader="",
        moderator=(
            "Published: members can read it. It uses crisis language, so it is at the top of "
            "the review queue and its author was shown the crisis resources. Please check in "
            "kindly; it stays published unless it harms others."
        ),
        posted="Thank you for sharing. Your post is published: members can read it now.",
        panel=(
            "Your post is published and members can read it. A moderator has also been asked "
            "to look in on this conversation. " + REACH_OUT
        ),
    ),
    Situation.WAITING_FIRST_POSTS: Words(
        author=(
            "Waiting for a moderator: only you and the moderators can see this post for now. "
            "New members' first posts are usually read within a few hours, and you'll get a "
            "notification when it's published."
        ),
        reader="",
        moderator=(
            "Waiting for a moderator because new members' first posts are read before they "
            "are published. Only its author and the moderators can see it until it is approved."
        ),
        posted=(
            "Thank you for sharing. New members' first posts wait for a moderator, so only you "
            "and the moderators can see this one for now. It is usually read within a few "
            "hours, and you'll get a notification when it's published."
        ),
        panel=REACH_OUT,
    ),
    Situation.WAITING_CRISIS: Words(
        author=(
            "Waiting for a moderator, who usually reads it within minutes. Only you and the "
            "moderators can see this post for now."
        ),
        reader="",
        moderator=(
            "Waiting for a moderator, at the top of the queue: a new member's post with crisis "
            "language. Only its author and the moderators can see it. The author was shown the "
            "crisis resources and told a moderator usually reads it within minutes. Please read "
            "it first and check in kindly; approving it publishes it."
        ),
        posted=(
            "Thank you for sharing. Your post is waiting for a moderator, who usually reads it "
            "within minutes. Only you and the moderators can see it for now."
        ),
        panel=(
            "Your post is waiting for a moderator, who usually reads it within minutes. Only "
            "you and the moderators can see it for now. " + REACH_OUT
        ),
    ),
    Situation.HIDDEN: Words(
        author=(
            "Hidden from other members: only you and the moderators can see it. The "
            "moderators explain any decision about it in a message to you."
        ),
        reader="This post is hidden while moderators take a look.",
        moderator=(
            "Hidden: only its author and the moderators can see it. Keeping it makes it "
            "visible to members again."
        ),
        posted="",
        panel=REACH_OUT,
    ),
    Situation.REMOVED: Words(
        author="",
        reader="This post was removed by a moderator.",
        moderator="Removed by a moderator: nobody else can read it.",
        posted="",
        panel=REACH_OUT,
    ),
    Situation.DELETED: Words(
        author="",
        reader="This post was removed by its author.",
        moderator="Removed by its author: its words are gone.",
        posted="",
        panel=REACH_OUT,
    ),
}


def words_for(*, status: str, crisis_language: bool) -> Words:
    """Everything said about a post with `status` and `crisis_language`."""
    return WORDS[situation_of(status=status, crisis_language=crisis_language)]
