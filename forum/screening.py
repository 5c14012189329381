"""Crisis screening: does a post use language that suggests its author may be at risk?

A match never blocks a post (silence is the worst answer to someone reaching out); it opens an
at-risk review item and shows the author the crisis resources. The phrases are a reviewed,
admin-editable list (`ScreeningPhrase`), matched as whole words so that "die" alone, "overdue"
or "oddly" never match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .models import ScreeningPhrase

# Typographic apostrophes and dashes arrive from phones and word processors.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
# A word character or an apostrophe: "od'd" is one word, and "od" must not match inside it.
_WORD = r"[\w']"


def normalize(text: str) -> str:
    """Lower case, plain apostrophes and hyphens, single spaces."""
    text = text.translate(_APOSTROPHES).translate(_DASHES).lower()
    return " ".join(text.split())


def phrase_pattern(phrase: str) -> str:
    """The regular expression for one phrase: whole words, `*` endings, space matches hyphen."""
    words = normalize(phrase).replace("-", " ").split()
    parts = []
    for word in words:
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + _WORD + "*")
        else:
            parts.append(re.escape(word))
    # Between words: spaces and/or hyphens ("self harm", "self-harm", "self - harm").
    body = r"[\s-]+".join(parts)
    return rf"(?<!{_WORD}){body}(?!{_WORD})"


@lru_cache(maxsize=8)
def _compiled(phrases: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    return [(phrase, re.compile(phrase_pattern(phrase))) for phrase in phrases if phrase.strip()]


def active_phrases() -> tuple[str, ...]:
    return tuple(
        ScreeningPhrase.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("phrase", flat=True)
    )


def crisis_matches(text: str, *, phrases: tuple[str, ...] | None = None) -> list[str]:
    """The listed phrases `text` contains (for moderators only: never logged or emailed)."""
    if not text:
        return []
    normalized = normalize(text)
    found = []
    for phrase, pattern in _compiled(phrases if phrases is not None else active_phrases()):
        if pattern.search(normalized):
            found.append(phrase)
    return found


@lru_cache(maxsize=8)
def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = [f"(?:{phrase_pattern(phrase)})" for phrase in phrases if phrase.strip()]
    return re.compile("|".join(patterns)) if patterns else None


def is_crisis_language(text: str) -> bool:
    """Whether `text` contains any active crisis phrase."""
    if not text:
        return False
    # One pass over the text for every phrase at once: this runs on every post published.
    pattern = _any_phrase(active_phrases())
    return pattern is not None and pattern.search(normalize(text)) is not None
