"""The pages for a request that is refused or names nothing: 400, 403, 404 and a failed CSRF
check, in the site's layout with the guidelines banner and "Need help now?".

They render base.html, so they read what every page reads (the session, the member, the
banner). If that fails, Django hands the new error to the 500 handler (community/outage.py),
which needs neither the database nor the cache. allauth answers its own rate limits (login,
sign-up, password reset) through `handler429` in the root URLconf; the forum's refusals, which
keep the member's words in the form, are forum/refusals.py.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: the request could not be understood; nothing happened."""
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: says why, in the sentence the refusing code wrote."""
    # Our views raise PermissionDenied with fixed sentences ("You can only edit your own
    # posts."), never member text; the template escapes it all the same.
    reason = str(exception) if isinstance(exception, PermissionDenied) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the same page whatever was asked for."""
    # No path, no object name, no exception text: a thing the reader may not see must answer
    # exactly like one that does not exist, byte for byte.
    return render(request, "404.html", status=404)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """handler429 (read by allauth): too many attempts; nothing changed, try again soon."""
    return render(request, "429.html", status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form expired or cookies are blocked; how to keep what was typed."""
    # `reason` is written for developers (and logged by Django); the member reads what to do.
    return render(request, "errors/csrf_failure.html", status=403)
