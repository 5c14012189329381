"""A browser that signed in to an account before is recognised, so nobody else can lock it out.

Failed logins are limited per address (tight) and per account (loose). The per-account limit is
what bounds a brute force spread over many addresses, but it would also stop the owner: so a
browser that completed a sign-in to an account (password and, where set up, the code) carries a
signed cookie naming that account, and its attempts count only against its own address.

The cookie holds keyed digests of the sign-in addresses, never the addresses themselves, and is
signed, so it can be neither read for an email nor forged for another account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

COOKIE_NAME = "lantern_device"
SALT = "lantern.known-device"
MAX_AGE = 60 * 60 * 24 * 365
# A shared family computer may be used for a few accounts; the newest are kept.
MAX_ACCOUNTS = 5


def fingerprint(login: str) -> str:
    """A keyed digest of a sign-in address: equal for equal addresses, opaque without the key."""
    return salted_hmac(SALT, login.strip().lower()).hexdigest()[:32]


def _remembered(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(COOKIE_NAME, default="", salt=SALT, max_age=MAX_AGE) or ""
    return [item for item in value.split(",") if item]


def recognises(request: HttpRequest, *, login: str) -> bool:
    """True when this browser signed in to the account at `login` before."""
    return bool(login) and fingerprint(login) in _remembered(request)


def remember(request: HttpRequest, response: HttpResponseBase, *, logins: Iterable[str]) -> None:
    """The response tells the browser it has now signed in to the account at these addresses."""
    new = [fingerprint(login) for login in logins]
    kept = new + [item for item in _remembered(request) if item not in new]
    response.set_signed_cookie(
        COOKIE_NAME,
        ",".join(kept[:MAX_ACCOUNTS]),
        salt=SALT,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
