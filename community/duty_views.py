"""The moderator rota: weekly hours on duty, and "on duty now" / "off duty now" toggles."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest

from . import permissions, rota, services
from .duty_forms import OnDutyForm, RotaForm
from .models import DutyRota
from .views import moderator_required


def _local(moment: datetime, time_zone: str) -> str:
    return dateformat.format(moment.astimezone(ZoneInfo(time_zone)), "D j M, H:i")


def _own_rota(request: AuthenticatedRequest) -> DutyRota | None:
    if not permissions.can_set_duty(request.user):
        raise Http404
    return DutyRota.objects.filter(moderator=request.user).first()


def _page(
    request: AuthenticatedRequest,
    own: DutyRota | None,
    *,
    form: RotaForm | None = None,
    on_duty_form: OnDutyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    status_now = rota.duty_status(own, now)
    if form is None:
        initial: dict[str, object] = {"time_zone": "UTC"}
        if own is not None:
            initial = {
                "days": own.days,
                "starts": own.starts,
                "ends": own.ends,
                "time_zone": own.time_zone,
            }
        form = RotaForm(initial=initial)
    return render(
        request,
        "community/duty/rota.html",
        {
            "form": form,
            "on_duty_form": on_duty_form or OnDutyForm(),
            "status": status_now,
            # "On duty now" is offered unless the moderator already chose it; during weekly
            # hours it reads "Stay on duty" (on past the shift's end). "Off duty now" only
            # while on duty.
            "offer_on_duty": not (status_now.on_duty and status_now.source == "override"),
            "offer_off_duty": status_now.on_duty,
            "on_duty_now": rota.moderators_on_duty(now=now),
            "realert_minutes": settings.AT_RISK_REALERT_MINUTES,
            "admin_minutes": 2 * settings.AT_RISK_REALERT_MINUTES,
        },
        status=status,
    )


@moderator_required
def duty(request: AuthenticatedRequest) -> HttpResponse:
    own = _own_rota(request)
    if request.method != "POST":
        return _page(request, own)
    form = RotaForm(request.POST)
    if not form.is_valid():
        return _page(request, own, form=form, status=400)
    saved = services.save_rota(
        moderator=request.user,
        days=form.cleaned_data["days"],
        starts=form.cleaned_data["starts"],
        ends=form.cleaned_data["ends"],
        time_zone=form.cleaned_data["time_zone"],
    )
    if saved.days:
        messages.success(request, "Your hours are saved. Urgent alerts reach you during them.")
    else:
        messages.success(
            request, "Saved: you have no weekly hours. Use “On duty now” whenever you are."
        )
    return redirect("community:duty")


@moderator_required
@require_POST
def duty_on(request: AuthenticatedRequest) -> HttpResponse:
    own = _own_rota(request)
    form = OnDutyForm(request.POST)
    if not form.is_valid():
        return _page(request, own, on_duty_form=form, status=400)
    saved = services.go_on_duty(moderator=request.user, hours=form.cleaned_data["hours"])
    assert saved.override_until is not None
    messages.success(
        request,
        f"You're on duty until {_local(saved.override_until, saved.time_zone)} "
        f"({saved.time_zone}). Urgent alerts reach you first.",
    )
    return redirect("community:duty")


@moderator_required
@require_POST
def duty_off(request: AuthenticatedRequest) -> HttpResponse:
    _own_rota(request)
    saved = services.go_off_duty(moderator=request.user)
    status = rota.duty_status(saved, timezone.now())
    if status.until is not None:
        messages.success(
            request,
            f"You're off duty for the rest of this shift, which ends "
            f"{_local(status.until, saved.time_zone)} ({saved.time_zone}). Your weekly hours "
            "are unchanged.",
        )
    else:
        messages.success(request, "You're off duty. Your weekly hours are unchanged.")
    return redirect("community:duty")
