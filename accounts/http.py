"""Request types for views, so the type checker knows what the login decorators guarantee."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """A request to a view behind `login_required`: its user is a signed-in member."""

    user: User
