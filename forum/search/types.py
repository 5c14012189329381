"""What a search asks and answers, the same whichever engine runs it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.utils.safestring import SafeString

# Longer than any real question, short enough that a pasted story does not become a query.
MAX_QUERY_LENGTH = 200
# Matches beyond this are not counted or ranked: ranking every post that mentions a common
# word would cost time in proportion to the forum's size. Pages say "more than 1,000".
RESULT_CAP = 1_000

# A word, a quoted phrase, or either with a leading "-" (leave out), as websearch_to_tsquery
# reads them; "or" between two terms means either.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([\w\'\u2019]+)', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
# Control characters (a null byte above all, which PostgreSQL refuses in any text) are no
# part of a question: they are read as spaces, like the whitespace among them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Order(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


class QueryProblem(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase in order
    excluded: bool = False
    or_before: bool = False  # joined to the term before it by "or" rather than "and"


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what the member typed, trimmed: the engines' websearch input
    terms: tuple[Term, ...]

    @property
    def words(self) -> list[str]:
        """Every word the query looks for (not the ones it leaves out)."""
        return [w for term in self.terms if not term.excluded for w in term.words]


def without_control_characters(raw: str | None) -> str:
    """What the member typed, as it is searched and shown back in the box: each control
    character a space."""
    return _CONTROL.sub(" ", raw or "")


def parse_query(raw: str | None) -> ParsedQuery | QueryProblem:
    """What the member asked for, or why it cannot be searched (nothing to look for, or
    longer than MAX_QUERY_LENGTH)."""
    text = " ".join(without_control_characters(raw).split())
    if len(text) > MAX_QUERY_LENGTH:
        return QueryProblem.TOO_LONG
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus = match.group(1) or match.group(3)
        chunk = match.group(2) if match.group(2) is not None else match.group(4)
        words = tuple(w.lower() for w in _WORD.findall(chunk))
        if not words:
            continue
        if match.group(4) is not None and words == ("or",) and not minus:
            pending_or = bool(terms)
            continue
        terms.append(Term(words=words, excluded=bool(minus), or_before=pending_or))
        pending_or = False
    if not any(not term.excluded for term in terms):
        return QueryProblem.EMPTY
    return ParsedQuery(text=text, terms=tuple(terms))


@dataclass(frozen=True)
class SearchHit:
    post_id: int
    topic_id: int
    position: int
    title: SafeString  # escaped, matches marked
    snippet: SafeString  # escaped, matches marked
    category_name: str
    author_name: str
    created_at: datetime
    is_waiting: bool  # the reader's own post, still waiting for a moderator
    page_number: int
    # The post's content warnings in words ("" for none), and whether the snippet waits behind
    # them for this reader, as the post itself does on the topic page (forum.content_warnings).
    warning: str = ""
    folded: bool = False

    @property
    def url(self) -> str:
        return f"/t/{self.topic_id}/?page={self.page_number}#post-{self.position}"


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    count: int  # at most RESULT_CAP
    more_than_cap: bool
    page: int
    page_count: int


@dataclass(frozen=True)
class RelatedStory:
    topic_id: int
    title: str
    category_name: str
    reply_count: int
    # The story's content warnings (forum.content_warnings): the one cached list is filtered
    # per reader by what they hide from lists.
    warning_flags: int = 0
