"""My safety plan: a member reads, writes and prints their own plan. Nobody else has a route.

No URL names a plan or a member: each page shows the signed-in member their own plan, so there
is nothing another member, a moderator or an admin could ask for.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from accounts.http import AuthenticatedRequest

from . import permissions, services
from .models import SafetyPlan
from .safety_plan_forms import SafetyPlanForm

SAVED = "Your safety plan is saved. Only you can see it."
EMPTIED = "Your safety plan is empty now, so we have removed it. You can write a new one any time."


def _own_plan(request: AuthenticatedRequest) -> SafetyPlan | None:
    if not permissions.can_keep_safety_plan(request.user):
        raise Http404("No such page.")
    plan = SafetyPlan.objects.owned_by(request.user).first()
    if plan is not None and not permissions.can_read_safety_plan(request.user, plan):
        raise Http404("No such page.")
    return plan


# never_cache: a shared computer's back button or a proxy must not keep someone's plan.
@login_required
@never_cache
@sensitive_variables()
def safety_plan(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "community/safety_plan/plan.html", {"plan": _own_plan(request)})


@login_required
@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def edit_safety_plan(request: AuthenticatedRequest) -> HttpResponse:
    plan = _own_plan(request)
    initial = {field: getattr(plan, field) for field, _ in SafetyPlan.SECTIONS} if plan else {}
    # An all-empty POST is still a submission: it empties the plan.
    form = SafetyPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.save_safety_plan(owner=request.user, sections=form.cleaned_data)
        messages.success(request, SAVED if saved is not None else EMPTIED)
        return redirect("community:safety_plan")
    return render(request, "community/safety_plan/edit.html", {"form": form, "plan": plan})
