"""Changes to a member's account."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import profile_version
from .models import Role, User


def record_guidelines_acceptance(*, user: User, version: int) -> User:
    """The member is recorded as having read guidelines `version`, now."""
    user.guidelines_version = version
    user.guidelines_accepted_at = timezone.now()
    user.save(update_fields=["guidelines_version", "guidelines_accepted_at"])
    return user


@transaction.atomic
def update_profile(
    *, user: User, display_name: str, bio: str, pronouns: str, region: str | None = None
) -> User:
    """The member's public profile shows the given name, bio and pronouns; their private
    region (when given) orders the crisis resources they see."""
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.pronouns = pronouns.strip()
    fields = ["display_name", "bio", "pronouns"]
    if region is not None:
        user.region = region
        fields.append("region")
    user.save(update_fields=fields)
    profile_version.bump_after_commit()
    return user


@transaction.atomic
def set_role(*, user: User, role: str) -> tuple[str, str]:
    """The member holds `role`; returns (old role, new role). Staff access follows the role."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.")
    old = user.role
    user.role = role
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    # Post cards show a badge for peer specialists and moderators.
    profile_version.bump_after_commit()
    return old, role
