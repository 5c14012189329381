"""No story left unanswered: the list of waiting stories, taking one, and volunteering."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import rate_limits
from accounts.http import AuthenticatedRequest
from forum import refusals
from forum.models import Topic

from . import first_replies
from .services import first_replies as services
from .services.errors import TakeRefused

VOLUNTEERING = (
    "Thank you for volunteering. You'll see stories waiting for a first reply here, and once a "
    "day we'll email you how many wait (only when some do)."
)
STOPPED = "You've stepped back from first replies. You can volunteer again any time."


@login_required
@require_GET
def waiting_stories(request: AuthenticatedRequest) -> HttpResponse:
    member = request.user
    if not first_replies.can_answer_waiting_stories(member):
        # Members who have not volunteered are told what the list is and how to join it.
        return render(
            request,
            "community/first_replies/waiting.html",
            {"can_answer": False, "hours": settings.FIRST_REPLY_WAIT_HOURS},
        )
    rows, total = first_replies.listing(reader=member)
    return render(
        request,
        "community/first_replies/waiting.html",
        {
            "can_answer": True,
            "rows": rows,
            "total": total,
            "hours": settings.FIRST_REPLY_WAIT_HOURS,
            "take_minutes": settings.FIRST_REPLY_TAKE_MINUTES,
        },
    )


def _waiting_topic(request: AuthenticatedRequest, pk: int) -> Topic:
    # Stories the member may not open answer like a missing page, as everywhere.
    if not first_replies.can_answer_waiting_stories(request.user):
        raise Http404("No such page.")
    return get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)


@login_required
@require_POST
def take_story(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = _waiting_topic(request, pk)
    refusal = rate_limits.consume(request, action="take")
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("community:waiting_stories")
    try:
        services.take_story(volunteer=request.user, topic=topic)
    except TakeRefused as error:
        messages.info(request, str(error))
        return redirect("community:waiting_stories")
    messages.success(
        request,
        f"This story is yours to answer for the next {settings.FIRST_REPLY_TAKE_MINUTES} "
        "minutes; nobody else will take it meanwhile. Lead with what helped you.",
    )
    return redirect(f"{topic.get_absolute_url()}?page=last#reply")


@login_required
@require_POST
def release_story(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = _waiting_topic(request, pk)
    if services.release_story(volunteer=request.user, topic=topic):
        messages.info(request, "The story is back on the list for someone else to answer.")
    return redirect("community:waiting_stories")


@login_required
def first_reply_settings(request: AuthenticatedRequest) -> HttpResponse:
    member = request.user
    if request.method == "POST":
        if member.has_sanction_in_force:
            return refusals.muted(request, member, back=reverse("community:waiting_stories"))
        refusal = rate_limits.consume(request, action="profile")
        if refusal is not None:
            messages.error(request, refusal.message)
            return redirect("community:first_reply_settings")
        volunteering = request.POST.get("volunteer") == "1"
        services.set_volunteering(member=member, volunteering=volunteering)
        messages.success(request, VOLUNTEERING if volunteering else STOPPED)
        return redirect(
            "community:waiting_stories" if volunteering else "community:first_reply_settings"
        )
    return render(
        request,
        "community/first_replies/settings.html",
        {"hours": settings.FIRST_REPLY_WAIT_HOURS},
    )
