"""Request types for type checking: what a view may assume about `request.user`."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed `login_required`: `request.user` is a member, never anonymous.

    For annotations only; Django still builds a plain HttpRequest.
    """

    user: User
