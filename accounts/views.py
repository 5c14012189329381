from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import services
from .forms import ProfileForm
from .models import User
from .request_types import AuthenticatedHttpRequest


@login_required
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User.objects.filter(is_active=True), username=username)
    return render(request, "accounts/profile.html", {"member": member})


@login_required
def edit_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect(request.user.get_absolute_url())
    return render(request, "accounts/profile_form.html", {"form": form})
