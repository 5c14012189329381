"""What a moderation service raises when a rule refuses the change."""

from __future__ import annotations


class ModerationError(Exception):
    """A moderation rule refused the change; the message is safe to show the member."""


class AlreadyReported(ModerationError):
    """The member has already reported this post."""


class TakeRefused(Exception):
    """Taking a waiting story was refused; the message is safe to show the volunteer."""
