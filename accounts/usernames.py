"""Rules that keep a pseudonym from identifying or exposing the person behind it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")
EMAIL_LIKE_RE = re.compile(r"[^\s@]+@[^\s@]+(\.[^\s@]+)?")
# Seven digits, possibly split by separators, is enough to be a phone number somewhere.
PHONE_LIKE_RE = re.compile(r"\d(?:[\s.\-_()]*\d){6,}")
# "Jane Doe", "Jane.Doe", "jane_doe" are refused only when both parts start with a capital,
# which is how names are written and how chosen handles rarely are.
FULL_NAME_RE = re.compile(r"^[A-Z][a-z]+(?:[\s._-]+)[A-Z][a-z]+$")

PRIVACY_HINT = (
    "To keep you safe here, choose a name that doesn't identify you or let someone "
    "contact you, for example “QuietRiver” or “hope_seeker”."
)


def identifying_reason(value: str) -> str | None:
    """Return why `value` could identify or expose a person, or None when it looks safe."""
    text = value.strip()
    if EMAIL_LIKE_RE.search(text) and "@" in text:
        return "That looks like an email address."
    if PHONE_LIKE_RE.search(text):
        return "That contains a long run of digits, which could be a phone number."
    if FULL_NAME_RE.match(text):
        return "That looks like it could be a first and last name."
    return None


def validate_pseudonym(value: str) -> None:
    """Raise ValidationError unless `value` is a safe, well-formed username."""
    reason = identifying_reason(value)
    if reason:
        raise ValidationError(f"{reason} {PRIVACY_HINT}", code="identifying")
    if not USERNAME_RE.match(value):
        raise ValidationError(
            "Usernames are 3 to 30 characters: letters, numbers, dots, dashes and underscores.",
            code="invalid",
        )


def validate_display_name(value: str) -> None:
    """Raise ValidationError if a display name could identify or expose a person."""
    reason = identifying_reason(value)
    if reason:
        raise ValidationError(f"{reason} {PRIVACY_HINT}", code="identifying")
