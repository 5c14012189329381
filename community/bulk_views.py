"""Approving new members' posts together, after reading each one in full on one page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedRequest

from . import selectors, services
from .moderation_forms import BulkApprovalForm
from .views import moderator_required


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _summary(result: services.BulkApproval) -> str:
    parts = [f"Approved {_plural(len(result.approved), 'post', 'posts')}, each logged."]
    if result.claimed_by_others:
        parts.append(
            f"Skipped {_plural(len(result.claimed_by_others), 'post', 'posts')} another "
            "moderator is working on."
        )
    if result.no_longer_waiting:
        parts.append(
            f"{_plural(len(result.no_longer_waiting), 'post was', 'posts were')} no longer "
            "waiting (decided or deleted meanwhile)."
        )
    return " ".join(parts)


@moderator_required
def approve_new_members(request: AuthenticatedRequest) -> HttpResponse:
    items = selectors.new_member_posts_waiting()
    form = BulkApprovalForm(request.POST or None, item_ids=[item.pk for item in items])
    if request.method == "POST" and form.is_valid():
        result = services.approve_items(
            moderator=request.user,
            item_ids=form.cleaned_data["items"],
            reason=form.cleaned_data["reason"],
            explanation=form.cleaned_data["explanation"],
        )
        if result.approved:
            messages.success(request, _summary(result))
        else:
            messages.info(request, _summary(result))
        return redirect("community:approve_new_members")
    return render(
        request,
        "community/moderation/approve_new_members.html",
        {
            "items": items,
            "form": form,
            "zone": selectors.moderator_zone(request.user),
            "checked": {str(value) for value in form["items"].value() or []},
        },
        status=400 if form.errors else 200,
    )
