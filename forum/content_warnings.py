"""Content warnings the reader controls.

An author marks a post with warnings from a short fixed list (stored as a bitmask on the post,
so it works the same on SQLite and PostgreSQL and costs no extra query) and an optional short
note. Each reader chooses per warning: show, fold behind a tap (the default), or hide from
lists. A reader's choices are two bitmasks on their account (accounts.User), read with the
request's user, so pages cost no extra query for them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F

NOTE_MAX = 80


class ContentWarning(models.IntegerChoices):
    """One bit each: a post's `warning_flags` is the sum of its warnings' values."""

    SUICIDE_SELF_HARM = 1, "Suicide or self-harm"
    SUBSTANCE_USE = 2, "Substance use in detail"
    EATING = 4, "Eating"
    ABUSE_TRAUMA = 8, "Abuse or trauma"
    GRIEF_LOSS = 16, "Grief and loss"


class Choice(models.TextChoices):
    SHOW = "show", "Show"
    FOLD = "fold", "Fold behind a tap"
    HIDE = "hide", "Hide from lists"


ALL_FLAGS = sum(ContentWarning.values)


def flags_of(values: list[Any]) -> int:
    """The bitmask of the chosen warnings (form values are strings of the bits)."""
    return sum({int(value) for value in values} & set(ContentWarning.values))


def values_of(flags: int) -> list[str]:
    """The form values of the warnings in `flags`, in list order."""
    return [str(value) for value in ContentWarning.values if flags & value]


def labels_of(flags: int) -> tuple[str, ...]:
    """What each warning in `flags` is called, in list order."""
    return tuple(str(w.label) for w in ContentWarning if flags & w.value)


def describe(flags: int, note: str) -> str:
    """The words a reader sees on a warned post: the warnings, then the author's note."""
    labels = [label.lower() for label in labels_of(flags)]
    if labels:
        labels[0] = labels[0][0].upper() + labels[0][1:]
    words = ", ".join(labels)
    if note:
        return f"{words}. {note}" if words else note
    return words


def is_warned(flags: int, note: str) -> bool:
    return bool(flags or note.strip())


def choice_for(user: Any, warning: int) -> str:
    """What `user` chose for one warning (fold unless they said otherwise)."""
    if user.content_warnings_hidden & warning:
        return Choice.HIDE
    if user.content_warnings_shown & warning:
        return Choice.SHOW
    return Choice.FOLD


def folds_for(user: Any, flags: int, note: str) -> bool:
    """Whether a post carrying `flags` (and `note`) opens folded for `user`. A note with no
    warning from the list folds for everyone: nobody has said they want it shown. Hidden
    from lists also folds when the topic is opened by a direct link."""
    if not is_warned(flags, note):
        return False
    if not flags:
        return True
    return bool(flags & ~user.content_warnings_shown)


def hidden_mask(user: Any) -> int:
    """The warnings `user` hides from lists (0 for someone who is not signed in)."""
    return int(getattr(user, "content_warnings_hidden", 0) or 0)


def is_hidden_from_lists(user: Any, flags: int) -> bool:
    """Whether a topic whose opening post carries `flags` is left out of `user`'s lists."""
    return bool(flags & hidden_mask(user))


def without_hidden(topics: Any, user: Any) -> Any:
    """`topics` (a Topic queryset) without those whose opening post carries a warning `user`
    hides from lists. Lists, and "stories like yours", filter through this."""
    mask = hidden_mask(user)
    if not mask:
        return topics
    return topics.annotate(_hidden_warnings=F("warning_flags").bitand(mask)).filter(
        _hidden_warnings=0
    )
