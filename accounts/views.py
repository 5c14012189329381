from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import services
from .forms import ProfileForm
from .http import AuthenticatedRequest
from .models import ROLE_BADGES, User


@login_required
def profile(request: AuthenticatedRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User.objects.filter(is_active=True), username=username)
    badge, badge_class = ROLE_BADGES.get(member.role, ("", ""))
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "badge": badge,
            "badge_class": badge_class,
            # Members edit only their own profile (the edit page takes no username).
            "is_own_profile": member.pk == request.user.pk,
        },
    )


@login_required
def edit_profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect(request.user.get_absolute_url())
    return render(request, "accounts/profile_form.html", {"form": form})
