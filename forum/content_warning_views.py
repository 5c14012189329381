"""The reader's content warning choices (forum.content_warnings), in their account settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedRequest

from . import content_warnings, services
from .content_warnings import ContentWarning
from .forms import ContentWarningChoiceForm


@login_required
def content_warning_settings(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    initial = {
        f"warning_{value}": content_warnings.choice_for(user, value)
        for value in ContentWarning.values
    }
    form = ContentWarningChoiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_content_warning_choices(user=user, choices=form.choices())
        messages.success(request, "Your content warning choices are saved.")
        return redirect("forum:content_warning_settings")
    return render(request, "forum/content_warning_settings.html", {"form": form})
