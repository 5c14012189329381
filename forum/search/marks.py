"""Snippets: member text escaped first, and only then matches wrapped in <mark>.

The engines put START and STOP around each match. Both are control characters removed from
the text before it is searched or highlighted (forum.search.postgres, forum.search.sqlite),
so only the engine's markers remain when the escaped text is turned into HTML.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START = "\x02"
STOP = "\x03"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def marked(text: str) -> SafeString:
    """`text` as HTML: escaped, with each START...STOP span in a <mark>."""
    escaped = escape(text)
    html = _MARKED.sub(r"<mark>\1</mark>", escaped)
    # Escaped text with only our own tags added; stray markers are dropped.
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # noqa: S308
