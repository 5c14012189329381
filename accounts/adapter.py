"""allauth hooks: names, paused members, account emails, client addresses and failed sign-ins.

- usernames follow the pseudonym rules and may not look like another member's name;
- a suspended member is sent to the page that explains the pause instead of being signed in;
- every account email is queued as a row and sent by a task (same work whatever the address);
- the client's address is believed from the proxy's header only when the proxy sent it;
- a browser that signed in to an account before is exempt from that account's failure limit;
- a member's first sign-in offers the first-visit welcome (accounts/welcome.py).
- a member whose account is set to be deleted is asked, on signing in, whether to keep it.
"""

from __future__ import annotations

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from . import known_devices, leaving, proxies, services, welcome
from .models import User
from .paused import sign_out_paused
from .usernames import validate_distinct_name, validate_pseudonym

REAUTHENTICATION_WORDS = {
    "reauthenticate": "Use your password",
    "reauthenticate_by_code": "Email me a log-in code",
    "mfa_reauthenticate": "Use your authenticator app or a recovery code",
}


class AccountAdapter(DefaultAccountAdapter):
    # allauth's own sentences ("The email address and/or password you specified are not
    # correct.", "Be patient, ...") in the site's calm voice; the keys are allauth's.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is closed.",
        "email_password_mismatch": (
            "That email address and password don't match an account here. Please check them, "
            "or reset your password if you have forgotten it."
        ),
        "username_password_mismatch": (
            "That username and password don't match an account here. Please check them, or "
            "reset your password if you have forgotten it."
        ),
        "email_taken": "That email address already has an account. You can log in with it.",
        "incorrect_code": "That code isn't the right one. Please check it and try again.",
        "incorrect_password": "That password isn't the right one. Please try again.",
        "invalid_or_expired_key": (
            "This link has expired or was already used. Please ask for a new one."
        ),
        "invalid_login": "We couldn't log you in with that. Please check it and try again.",
        "invalid_password_reset": (
            "This reset link has expired or was already used. Please ask for a new one."
        ),
        "rate_limited": (
            "That was a lot of tries in a short time, so we have paused for a little while. "
            "Please try again in a few minutes."
        ),
        "username_blacklisted": "That username can't be used here. Please choose another.",
        "username_taken": "That username is taken. Please choose another one.",
        # Shown for every address, with or without an account, so it reveals nothing.
        "too_many_login_attempts": (
            "There have been several unsuccessful attempts to sign in with this address, so "
            "we have paused sign-ins for a little while to keep the account safe. Please try "
            "again later, or reset your password if you have forgotten it."
        ),
    }

    def get_reauthentication_methods(self, user) -> list[dict]:
        # allauth names these in its own voice ("Send me a sign-in code"); the site says "log in".
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            if method["id"] in REAUTHENTICATION_WORDS:
                method["description"] = REAUTHENTICATION_WORDS[method["id"]]
        return methods

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Rendered here, sent by a task given only the row's id: every account email costs the
        # request the same (signup with a new or a known address, reset for an address with or
        # without an account), so timing does not tell whether an address has an account.
        request = context.get("request") or allauth_context.request
        full = {"request": request, "email": email, "current_site": get_current_site(request)}
        full.update(context)
        services.queue_account_mail(message=self.render_mail(template_prefix, email, full))

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

    def login(self, request, user) -> None:
        # Django records last_login as it signs in: read it first to know this is the first time.
        first_sign_in = user.last_login is None
        super().login(request, user)
        if first_sign_in:
            welcome.offer(request)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        logins = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        known_devices.remember(request, response, logins=[user.email, *logins])
        return response

    def pre_login(self, request, user, **kwargs):
        if user.is_suspended():
            return sign_out_paused(request, user)
        return super().pre_login(request, user, **kwargs)

    def get_login_redirect_url(self, request) -> str:
        # A member who asked to leave is asked first whether they want to keep their account.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and leaving.pending_deletion(member=user):
            return reverse("accounts:delete_account")
        return super().get_login_redirect_url(request)
