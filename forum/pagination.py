"""Page numbers computed from denormalized counts, so lists never run COUNT(*).

A page number that names no real page (past the end, zero, negative, not a number) is answered
with a redirect to the nearest real page, so an old bookmark or a shortened topic never
dead-ends on "Not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponseRedirect


@dataclass(frozen=True)
class PageInfo:
    number: int
    count: int  # number of pages, at least 1
    # False when the request named a page that does not exist; `number` is then the nearest
    # real page, and the view redirects there (redirect_to_page) rather than answering 404.
    exact: bool = True

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


def requested_page(raw: str | None) -> tuple[int, bool]:
    """The page number `raw` asks for, at least 1, and whether `raw` is that page's address.
    Not a number, zero or below: page 1, not exact. For lists whose length is known only once
    the page is read (search); page_from_request also caps at the end."""
    if raw in (None, "", "1"):
        return 1, True
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1, False
    nearest = max(number, 1)
    # "02" and " 2" name page 2 but are not its address; the redirect gives one address a page.
    return nearest, nearest == number and raw == str(number)


def page_from_request(raw: str | None, *, items: int, per_page: int) -> PageInfo:
    """The requested page, where "last" means the last one; a page that can't exist gives the
    nearest real one, marked not exact."""
    count = max(1, -(-items // per_page))
    if raw == "last":
        return PageInfo(count, count)
    number, exact = requested_page(raw)
    nearest = min(number, count)
    return PageInfo(nearest, count, exact=exact and nearest == number)


def redirect_to_page(request: HttpRequest, page: PageInfo) -> HttpResponseRedirect:
    """A redirect to the same list at `page`, keeping every other query parameter."""
    query = request.GET.copy()
    query["page"] = str(page.number)
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
