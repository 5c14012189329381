from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from . import permissions, rate_limits, services, welcome
from .forms import ProfileForm
from .http import AuthenticatedRequest
from .models import User, badge_of
from .paused import paused_until


@login_required
def profile(request: AuthenticatedRequest, username: str) -> HttpResponse:
    # A member leaving (grace period) is already gone for others; they still see their own.
    members = User.objects.filter(is_active=True).exclude(
        ~Q(pk=request.user.pk), deletion__isnull=False
    )
    member = get_object_or_404(members, username=username)
    badge, badge_class = badge_of(member.role, member.certified_by)
    show = request.GET.get("show", "")
    raw_page = request.GET.get("page")
    asked, exact = _page_number(raw_page)
    # The forum decides what this reader may see of the member's posts (settings.PROFILE_ACTIVITY).
    activity = import_string(settings.PROFILE_ACTIVITY)(
        viewer=request.user, member=member, show=show, page=asked
    )
    moved = not exact or (asked != activity.page.number and raw_page != "last")
    if moved or (show and show != activity.show):
        # A page past the end (or a list that is not there) lands on the nearest real one.
        query = urlencode({"show": activity.show, "page": activity.page.number})
        return redirect(f"{member.get_absolute_url()}?{query}")
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "badge": badge,
            "badge_class": badge_class,
            # Members edit only their own profile (the edit page takes no username).
            "is_own_profile": member.pk == request.user.pk,
            "activity": activity,
        },
    )


def _page_number(raw: str | None) -> tuple[int, bool]:
    """The page asked for ("last" is any number past the end), and whether `raw` is that
    page's address. Not a number, or "02": the first page or page 2, not exact, so the view
    redirects there as every list does (forum.pagination) rather than dead-ending on a 404."""
    if not raw:
        return 1, True
    if raw == "last":
        return 2**31, True
    try:
        number = int(raw)
    except ValueError:
        return 1, False
    return number, raw == str(number)


@login_required
def edit_profile(request: AuthenticatedRequest) -> HttpResponse:
    member = request.user
    may_edit = permissions.can_edit_public_profile(member)
    form = ProfileForm(request.POST or None, instance=member, disabled=not may_edit)
    context = {"form": form, "may_edit": may_edit, "muted_until": member.muted_until}
    if request.method != "POST":
        return render(request, "accounts/profile_form.html", context)
    if not may_edit:
        # The page already says why; a post sent anyway changes nothing.
        return render(request, "accounts/profile_form.html", context, status=403)
    refusal = rate_limits.consume(request, action="profile")
    if refusal:
        form.is_valid()
        form.add_error(None, refusal.message)
        return render(request, "accounts/profile_form.html", context, status=429)
    if not form.is_valid():
        return render(request, "accounts/profile_form.html", context)
    services.update_profile(user=member, **form.cleaned_data)
    messages.success(request, "Your profile is saved.")
    return redirect(member.get_absolute_url())


def paused(request: HttpRequest) -> HttpResponse:
    until = paused_until(request)
    if until is None or request.user.is_authenticated:
        # Only a browser a pause just signed out has anything to read here.
        return redirect("account_login")
    return render(
        request,
        "accounts/paused.html",
        {
            "until": until,
            "contact_email": settings.MODERATION_CONTACT_EMAIL,
            "guidelines_view": settings.GUIDELINES_VIEW,
        },
    )


@login_required
@require_POST
def dismiss_welcome(request: AuthenticatedRequest) -> HttpResponse:
    welcome.dismiss(request)
    # Back to the page the welcome was on; only a path on this site.
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("forum:home")
    return redirect(back)
