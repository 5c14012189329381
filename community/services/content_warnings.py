"""Moderators add or change a post's content warnings (forum.content_warnings), logged."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from community.models import ModerationAction, ModerationLog, ModerationReason
from forum import services as forum_services
from forum.models import Post

from .errors import ModerationError
from .moderation_log import explain_decision, write_log


@transaction.atomic
def set_post_warnings(
    *, moderator: User, post: Post, warning_flags: int, warning_note: str, explanation: str
) -> ModerationLog | None:
    """`post` carries exactly these warnings; a change is one moderation log row and a note to
    the author (who is never told anything for a change that changed nothing: returns None)."""
    try:
        changed = forum_services.set_post_warnings(
            post=post, warning_flags=warning_flags, warning_note=warning_note
        )
    except forum_services.ForumError as error:
        raise ModerationError(str(error)) from error
    if not changed:
        return None
    log = write_log(
        actor=moderator,
        action=ModerationAction.SET_WARNINGS,
        target_user=post.author,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation=explanation.strip(),
        post=post,
    )
    if post.author_id != moderator.pk:
        explain_decision(log=log, post=post)
    return log
