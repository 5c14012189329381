"""Reads the member once per request, and ends the session of one who is suspended."""

from __future__ import annotations

from django.contrib.auth import get_user

from .paused import sign_out_paused


class SuspendedMemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Every page shows who is signed in, so the member is read here, once (the same one
        # query the lazy request.user would run), and later code reads the model itself rather
        # than going through a lazy proxy on each of the hundreds of attribute reads a page does.
        user = request.user = get_user(request)
        if user.is_authenticated and user.is_suspended():
            return sign_out_paused(request, user)
        return self.get_response(request)
