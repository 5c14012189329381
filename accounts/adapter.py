"""allauth hooks: pseudonym rules at signup, suspended members cannot sign in."""

from __future__ import annotations

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit

from . import known_devices, proxies
from .models import User
from .paused import sign_out_paused
from .usernames import validate_distinct_name, validate_pseudonym


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Shown for every address, with or without an account, so it reveals nothing.
        "too_many_login_attempts": (
            "There have been several unsuccessful attempts to sign in with this address, so "
            "we have paused sign-ins for a little while to keep the account safe. Please try "
            "again later, or reset your password if you have forgotten it."
        ),
    }

    def clean_username(self, username: str, shallow: bool = False) -> str:
        validate_pseudonym(username)
        username = super().clean_username(username, shallow=shallow)
        if not shallow:
            validate_distinct_name(username, others=User.objects.all())
        return username

    def get_client_ip(self, request) -> str:
        # allauth believes X-Forwarded-For (or the configured header) from anyone; only the
        # reverse proxy may say who the client is, or a client could pick its own address and
        # step around the per-address limits.
        peer = request.META.get("REMOTE_ADDR", "")
        if not proxies.is_trusted_proxy(peer):
            return peer or super().get_client_ip(request)
        return super().get_client_ip(request)

    def pre_authenticate(self, request, **credentials) -> None:
        if not known_devices.recognises(request, login=credentials.get("email", "")):
            return super().pre_authenticate(request, **credentials)
        # This browser signed in to this account before: only its own address's limit applies,
        # so failures sent from elsewhere can't lock the owner out (accounts/known_devices.py).
        rates = account_settings.RATE_LIMITS.get("login_failed") or ""
        per_address = ",".join(rate for rate in rates.split(",") if rate.strip().endswith("/ip"))
        self._login_failed_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            key=self._get_login_attempts_cache_key(request, **credentials),
            config={"login_failed": per_address},
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")
        return None

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        logins = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        known_devices.remember(request, response, logins=[user.email, *logins])
        return response

    def pre_login(self, request, user, **kwargs):
        if user.is_suspended():
            return sign_out_paused(request, user)
        return super().pre_login(request, user, **kwargs)
