"""Pages for a signed-in member are never kept by a browser or a proxy.

A topic, an inbox or a profile seen signed in is personal (and health information), so the
response says `Cache-Control: private, no-store`: a shared proxy must not serve it to someone
else, and the browser must not keep it on disk for the next person at a shared computer.
Anonymous visitors' public pages keep whatever caching the view set; a page behind login
answers them with a redirect to sign in, which is marked too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_private(request, response):
            # Django drops a "public" the view may have set: private wins.
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        # Signed out during this request (or a session that only carries messages): the
        # page still speaks to one person.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return True
        location = response.headers.get("Location", "")
        return response.status_code == 302 and location.startswith(resolve_url(settings.LOGIN_URL))
