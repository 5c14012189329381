"""allauth hooks: pseudonym rules at signup, suspended members cannot sign in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.shortcuts import redirect

from .usernames import validate_pseudonym


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        validate_pseudonym(username)
        return super().clean_username(username, shallow=shallow)

    def pre_login(self, request, user, **kwargs):
        if user.is_suspended():
            messages.error(
                request,
                "Your account is paused for now. You'll be able to sign in again when the "
                "pause ends; the message moderators sent you explains why and how to ask "
                "for a review.",
            )
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
