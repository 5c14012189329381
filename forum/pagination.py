"""Page numbers computed from denormalized counts, so lists never run COUNT(*)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class PageInfo:
    number: int
    count: int  # number of pages, at least 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def is_paginated(self) -> bool:
        return self.count > 1


def page_from_request(raw: str | None, *, items: int, per_page: int) -> PageInfo:
    """The requested page, where "last" means the last one; 404 for a page that can't exist."""
    count = max(1, -(-items // per_page))
    if raw in (None, "", "1"):
        return PageInfo(1, count)
    if raw == "last":
        return PageInfo(count, count)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise Http404("No such page.") from None
    if number < 1 or number > count:
        raise Http404("No such page.")
    return PageInfo(number, count)
