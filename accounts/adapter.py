"""allauth hooks: pseudonym rules at signup, suspended members cannot sign in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from .models import User
from .paused import sign_out_paused
from .usernames import validate_distinct_name, validate_pseudonym


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        validate_pseudonym(username)
        username = super().clean_username(username, shallow=shallow)
        if not shallow:
            validate_distinct_name(username, others=User.objects.all())
        return username

    def pre_login(self, request, user, **kwargs):
        if user.is_suspended():
            return sign_out_paused(request, user)
        return super().pre_login(request, user, **kwargs)
