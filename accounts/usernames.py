"""Rules that keep a pseudonym from identifying or exposing the person behind it."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib.resources import files

from django.core.exceptions import ValidationError
from django.db import models

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


# Words that would make a name look like it speaks for the team. Matched on the skeleton, so
# "M0derator", "Oak (Moderator)" in Cyrillic and "peer-specialist" are caught too.
ROLE_CLAIMS = ("moderator", "admin", "staff", "peerspecialist", "lantern")
ROLE_CLAIM_MESSAGE = (
    "Names here can't mention moderators, admins, staff, peer specialists or Lantern, so "
    "that nobody is mistaken for the team. Team members get a badge beside their name instead."
)
CONFUSABLE_MESSAGE = (
    "That name looks very much like another member's, and people could mix the two of you up. "
    "Please choose something a little more your own."
)
# After every letter is folded to the Latin letter it looks like: digits and letter pairs that
# read as one another in most fonts (Unicode TR39 folds these the same way).
ASCII_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("|", "l"))


@cache
def _lookalike_table() -> dict[str, str]:
    """Every character the Unicode confusables list says looks like one Latin letter or digit."""
    data = json.loads(
        files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )
    table: dict[str, str] = {}
    for char, homoglyphs in data.items():
        group = [char] + [entry["c"].strip("\u200e") for entry in homoglyphs]
        latin = [c for c in group if len(c) == 1 and c.isascii() and c.isalnum()]
        if not latin:
            continue
        target = latin[0].casefold()
        for glyph in group:
            if len(glyph) == 1 and not glyph.isascii():
                table.setdefault(glyph, target)
    return table


def skeleton(value: str) -> str:
    """What `value` looks like on screen: case, accents, punctuation and look-alikes folded away."""
    table = _lookalike_table()
    text = unicodedata.normalize("NFKC", value)
    text = "".join(table.get(char, char) for char in text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = "".join(table.get(char, char) for char in text)
    for lookalike, letter in ASCII_LOOKALIKES:
        text = text.replace(lookalike, letter)
    return "".join(char for char in text if char.isalnum())


def claims_a_role(value: str) -> bool:
    """True when the name mentions a team role or the site, however it is spelled."""
    flat = skeleton(value)
    return any(skeleton(word) in flat for word in ROLE_CLAIMS)


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
    if claims_a_role(value):
        raise ValidationError(ROLE_CLAIM_MESSAGE, code="role_claim")


def validate_display_name(value: str) -> None:
    """Raise ValidationError if a display name could identify or expose a person."""
    reason = identifying_reason(value)
    if reason:
        raise ValidationError(f"{reason} {PRIVACY_HINT}", code="identifying")
    if claims_a_role(value):
        raise ValidationError(ROLE_CLAIM_MESSAGE, code="role_claim")


def validate_distinct_name(value: str, *, others) -> None:
    """Raise ValidationError if `value` looks like a name one of `others` (members) goes by."""
    key = skeleton(value)
    if not key:
        return
    if others.filter(
        models.Q(username_skeleton=key) | models.Q(display_name_skeleton=key)
    ).exists():
        raise ValidationError(CONFUSABLE_MESSAGE, code="confusable")
