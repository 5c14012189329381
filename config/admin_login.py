"""The admin's login page is a signpost to allauth's login, never a second way in.

allauth's `secure_admin_login` sends visitors to allauth's login (its rate limits and the
two-factor step), but hands a member already signed in as staff on to the wrapped view. Django's
own admin login view checks a posted username and password itself, with neither: a staff member
could guess another staff account's password there without limit, or sign in as an admin who
has two-factor authentication without the code. The view it wraps here checks nothing.

Where moderators must use two-factor authentication (`MODERATORS_REQUIRE_MFA`), so must the
admin's users: the admin can do everything the moderation pages can and more.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from community.permissions import needs_two_factor_setup


def has_permission(request: HttpRequest) -> bool:
    """Active staff, with an authenticator app wherever moderators need one."""
    return AdminSite.has_permission(admin.site, request) and not needs_two_factor_setup(
        request.user  # type: ignore[arg-type]
    )


def _back_to_the_admin(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """A signed-in, active staff member (secure_admin_login lets no one else in) goes to the
    admin page they asked for, on this site, or the admin's index; nothing posted is read."""
    if needs_two_factor_setup(request.user):  # type: ignore[arg-type]
        messages.info(
            request,
            "The admin needs two-factor authentication. Please set up an authenticator app "
            "first; it takes a minute.",
        )
        return redirect("mfa_activate_totp")
    back = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("admin:index")
    return HttpResponseRedirect(back)


admin_login = secure_admin_login(_back_to_the_admin)
