"""The words that say what a story is about, for "stories like yours"."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)

# Words too common in any story to say what this one is about (English function words and
# the forum's own everyday words).
_STOP_TEXT = """
about above after again against all also always among another any anyone anything around
because been before being below between both cannot could does doing down during each else
even ever every from further have having here hers herself himself into itself just keep
know like made make many maybe more most much myself need never only other ours ourselves
over own really same should since some something still such than that their theirs them
themselves then there these they thing things think this those though through today under
until very want was were what when where which while who whom whose will with without would
your yours yourself yourselves feel felt going good time times week weeks year years back
just didn don doesn isn wasn really well
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def key_words(title: str, body: str, *, limit: int = 8) -> list[str]:
    """Up to `limit` words of the story that best say what it is about: the most frequent
    ones that are not STOP_WORDS, title words counting double."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(title.lower()):
        counts[word] += 2
    for word in _WORD.findall(body.lower()):
        counts[word] += 1
    for word in list(counts):
        if word in STOP_WORDS:
            del counts[word]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    return [word for word, _ in ranked[:limit]]
