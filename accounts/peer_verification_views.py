"""The member's page for asking to be verified as a Certified Peer Specialist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from . import peer_verification
from .http import AuthenticatedRequest
from .peer_verification_forms import PeerVerificationForm

TEMPLATE = "accounts/peer_specialist.html"


@login_required
def peer_specialist(request: AuthenticatedRequest) -> HttpResponse:
    member = request.user
    requests = peer_verification.requests_of(member)
    may_ask = peer_verification.may_ask(requests)
    form = PeerVerificationForm(request.POST or None)
    context = {
        "form": form,
        "may_ask": may_ask,
        "requests": [(c, peer_verification.status_of(c)) for c in requests],
    }
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context)
    try:
        peer_verification.request_verification(member=member, **form.cleaned_data)
    except peer_verification.RequestWaiting:
        # Sent from a page opened before the first request: the page now says it waits.
        messages.info(request, peer_verification.WAITING)
        return redirect("accounts:peer_specialist")
    messages.success(request, "Thank you. Your request is with Lantern's admins.")
    return redirect("accounts:peer_specialist")
