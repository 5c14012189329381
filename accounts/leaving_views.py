"""Settings pages for leaving: an export of everything, and deleting the account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import leaving
from .forms import DeleteAccountForm
from .http import AuthenticatedRequest
from .models import ExportState


@login_required
def export(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        leaving.request_export(member=request.user)
        return redirect("accounts:export")
    current = leaving.current_export(member=request.user)
    ready = current is not None and current.state == ExportState.READY
    return render(
        request,
        "accounts/export.html",
        {
            "export": current,
            "in_progress": current is not None
            and current.state in (ExportState.QUEUED, ExportState.BUILDING),
            "download_token": leaving.download_token(current) if ready and current else "",
            "link_days": settings.EXPORT_LINK_DAYS,
        },
    )


@login_required
@require_GET
def download_export(request: AuthenticatedRequest) -> FileResponse:
    found = leaving.export_for_download(member=request.user, token=request.GET.get("t", ""))
    if found is None:
        # A forged, expired or someone else's link: nothing to say it exists.
        raise Http404("No such export.")
    return FileResponse(
        leaving.export_path(found).open("rb"),
        as_attachment=True,
        filename=f"lantern-export-{found.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )


@login_required
def delete_account(request: AuthenticatedRequest) -> HttpResponse:
    pending = leaving.pending_deletion(member=request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and pending is None and form.is_valid():
        leaving.request_deletion(
            member=request.user, erase_posts=form.cleaned_data["posts"] == form.ERASE
        )
        return redirect("accounts:delete_account")
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "pending": pending, "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS},
    )


@login_required
@require_POST
def keep_account(request: AuthenticatedRequest) -> HttpResponse:
    if leaving.cancel_deletion(member=request.user):
        messages.success(request, "Welcome back. Your account is staying, just as it was.")
    return redirect("accounts:edit_profile")
