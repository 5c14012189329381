"""Pure checks of what a member may do with their own account."""

from __future__ import annotations

from .models import User


def can_edit_public_profile(user: User) -> bool:
    """A member who is not muted may change their display name, pronouns and bio."""
    return user.is_authenticated and not user.is_muted()
