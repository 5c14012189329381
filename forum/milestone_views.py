"""My milestones (private counters, sharing a milestone) and the "Small wins" stream.

No URL names a member: a counter's id is looked up among the signed-in member's own counters,
so another member's, a moderator's or an admin's request for it finds nothing (404), like a
counter that does not exist.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from accounts import rate_limits
from accounts.http import AuthenticatedRequest

from . import milestones, permissions, refusals, services
from .milestone_forms import CounterForm, ShareMilestoneForm
from .models import MilestoneCounter, Post, Topic
from .views import _after_posting

ADDED = "Your counter is started. Only you can see it."
SAVED = "Your counter is saved."
DELETED = "Your counter is deleted."


def _own_counter(request: AuthenticatedRequest, pk: int) -> MilestoneCounter:
    counter = MilestoneCounter.objects.owned_by(request.user).filter(pk=pk).first()
    if counter is None:
        raise Http404("No such page.")
    return counter


# never_cache: a shared computer's back button or a proxy must not keep someone's counters;
# sensitive_*: an error report names the fields of a counter but never its words.
@login_required
@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def my_milestones(request: AuthenticatedRequest) -> HttpResponse:
    form = CounterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        milestones.start_counter(
            owner=request.user,
            label=form.cleaned_data["label"],
            started_on=form.cleaned_data["started_on"],
        )
        messages.success(request, ADDED)
        return redirect("forum:milestones")
    counters = [
        (counter, milestones.days_since(counter.started_on))
        for counter in MilestoneCounter.objects.owned_by(request.user)
    ]
    return render(request, "forum/milestones/mine.html", {"counters": counters, "form": form})


@login_required
@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def edit_counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    counter = _own_counter(request, pk)
    initial = {"label": counter.label, "started_on": counter.started_on}
    form = CounterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        milestones.edit_counter(
            counter=counter,
            label=form.cleaned_data["label"],
            started_on=form.cleaned_data["started_on"],
        )
        messages.success(request, SAVED)
        return redirect("forum:milestones")
    return render(request, "forum/milestones/edit.html", {"counter": counter, "form": form})


@login_required
@never_cache
@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def reset_counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Quiet on purpose: no log line, no notification, no public page changes.
    milestones.reset_counter(counter=_own_counter(request, pk))
    messages.success(request, milestones.RESET_NOTE)
    return redirect("forum:milestones")


@login_required
@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def delete_counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    counter = _own_counter(request, pk)
    if request.method == "POST":
        milestones.delete_counter(counter=counter)
        messages.success(request, DELETED)
        return redirect("forum:milestones")
    return render(request, "forum/milestones/delete.html", {"counter": counter})


def _topic_to_share_in(request: AuthenticatedRequest) -> Topic | None:
    """The topic named by `?topic=` (a reply there), or None (a new topic). One the member may
    not open answers 404; one closed to their replies, 403, as the reply page does."""
    raw = request.GET.get("topic")
    if raw is None:
        return None
    # ASCII digits only: "²" is a digit to Python but no id.
    pk = int(raw) if raw.isascii() and raw.isdigit() else 0
    topic = Topic.objects.visible_to(request.user).filter(pk=pk).first()
    if topic is None:
        raise Http404("No such topic.")
    if not permissions.can_reply(request.user, topic):
        raise PermissionDenied("You can't reply to this topic right now.")
    return topic


def _share(request: AuthenticatedRequest, counter: MilestoneCounter | None) -> HttpResponse:
    if not permissions.can_share_milestone(request.user):
        return refusals.muted(
            request,
            request.user,
            back=reverse("forum:milestones"),
            back_label="Back to my milestones",
        )
    topic = _topic_to_share_in(request)
    days = milestones.days_since(counter.started_on) if counter is not None else None
    initial: dict[str, object] = {"submission_token": uuid.uuid4()}
    if counter is not None:
        suggested = f"{days} day{'' if days == 1 else 's'}"
        initial.update(label=suggested, title=suggested)
    form = ShareMilestoneForm(request.POST or None, initial=initial, in_topic=topic is not None)
    status = 200
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission_token"]
        earlier = Post.objects.submitted_by(request.user, token).first()
        if earlier is not None:
            return redirect(earlier)
        refusal = rate_limits.consume(request, action="topic" if topic is None else "reply")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = refusals.TOO_MANY
        else:
            try:
                post = milestones.share_milestone(
                    author=request.user,
                    label=form.cleaned_data["label"],
                    title=form.cleaned_data.get("title", ""),
                    body=form.cleaned_data["body"],
                    topic=topic,
                    counter=counter,
                    submission_token=token,
                )
            except services.ForumError as error:
                form.add_error(None, str(error))
            else:
                _after_posting(request, post)
                return redirect(post)
    return render(
        request,
        "forum/milestones/share.html",
        {"form": form, "counter": counter, "days": days, "topic": topic},
        status=status,
    )


@login_required
@never_cache
def share_counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _share(request, _own_counter(request, pk))


@login_required
@never_cache
def share_moment(request: AuthenticatedRequest) -> HttpResponse:
    return _share(request, None)


@login_required
@require_GET
def small_wins(request: AuthenticatedRequest) -> HttpResponse:
    raw = request.GET.get("page", "1")
    # One address per page ("02" is not page 2), ASCII digits only, and no offset the
    # database cannot hold: anything else starts again at the newest.
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 0
    if number < 1 or raw != str(number):
        return redirect("forum:small_wins")
    page = milestones.small_wins_page(viewer=request.user, number=number)
    if not page.wins and number > 1:
        return redirect("forum:small_wins")
    return render(request, "forum/milestones/small_wins.html", {"page": page})
