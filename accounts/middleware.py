"""Ends the session of a member who is suspended while signed in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect


class SuspendedMemberMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_suspended():
            logout(request)
            messages.error(
                request,
                "Your account is paused for now, so you have been signed out. The message "
                "moderators sent you explains why and how to ask for a review.",
            )
            return redirect("account_login")
        return self.get_response(request)
