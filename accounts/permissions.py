"""Who may do what with accounts."""

from __future__ import annotations

from .models import User


def can_edit_profile(user: User, profile: User) -> bool:
    """Members edit only their own profile."""
    return user.is_authenticated and user.pk == profile.pk


def can_post(user: User) -> bool:
    """Signed-in members who are not muted may write."""
    return user.is_authenticated and not user.is_muted()
