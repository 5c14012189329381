"""Gentle reply coaching: when a reply leans on a directive or judging phrase ("you should",
"just stop", "man up"), the form suggests speaking from experience ("what helped me was...").

It never blocks and never keeps the text: the browser checks what is typed against the list
served here (static/js/coaching.js), and without JavaScript the preview shows the same hint
(forum.views.reply). Moderators and admins edit the list in the admin (CoachingPhrase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache

from .models import CoachingPhrase

GENERAL_SUGGESTION = (
    "Speaking from your own experience often lands more gently, for example "
    "“what helped me was…” or “when I felt like that, I…”."
)
# Admin edits reach members within this many seconds; the list is read on every preview.
CACHE_SECONDS = 60
CACHE_KEY = "forum:coaching-phrases:v1"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Hint:
    phrase: str
    suggestion: str


def _normalise(text: str) -> str:
    return text.translate(_APOSTROPHES).casefold()


def _pattern(phrase: str) -> re.Pattern[str]:
    # Whole words only ("you should" is not in "you shouldn't"); any run of spaces between them.
    words = [re.escape(word) for word in _normalise(phrase).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def active_hints() -> list[Hint]:
    """The active phrases with the suggestion each earns, longest phrase first."""
    hints: list[Hint] | None = cache.get(CACHE_KEY)
    if hints is None:
        hints = [
            Hint(phrase=row.phrase, suggestion=row.suggestion or GENERAL_SUGGESTION)
            for row in CoachingPhrase.objects.filter(is_active=True)
        ]
        hints.sort(key=lambda hint: (-len(hint.phrase), hint.phrase))
        cache.set(CACHE_KEY, hints, CACHE_SECONDS)
    return hints


def forget_hints() -> None:
    """The list changed (the admin saved a phrase): the next read takes it from the database."""
    cache.delete(CACHE_KEY)


def hint_for(text: str) -> Hint | None:
    """The suggestion `text` earns, if it uses a listed phrase."""
    normalised = _normalise(text)
    for hint in active_hints():
        if _pattern(hint.phrase).search(normalised):
            return hint
    return None
