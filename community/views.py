"""Community pages: guidelines, crisis resources, reporting, and the moderator's workspace."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import rate_limits
from accounts.http import AuthenticatedRequest
from accounts.regions import region_of
from forum import permissions as forum_permissions
from forum.models import Post
from forum.pagination import page_from_request, redirect_to_page
from forum.situation import words_for

from . import permissions, rota, selectors, services
from .models import (
    CrisisResource,
    ModerationAction,
    ModerationLog,
    Report,
    ReviewItem,
    ReviewStatus,
    Sanction,
)
from .moderation_forms import (
    SANCTIONS,
    LiftSanctionForm,
    ModerationActionForm,
    ModeratorEditForm,
    ReportForm,
    ReviewRequestForm,
)
from .services.moderation_log import DECISION_HEADINGS, names_guideline

LOG_PER_PAGE = 50
REPORT_THANKS = (
    "Thank you for your report. Moderators will take a look; the author won't know it was you."
)
ALREADY_LOOKING = "Thank you. Moderators are already looking at this post."


def guidelines(request: HttpRequest) -> HttpResponse:
    return render(
        request, "community/guidelines.html", {"guidelines": selectors.current_guidelines()}
    )


def crisis(request: HttpRequest) -> HttpResponse:
    resources = CrisisResource.objects.for_region(region_of(request))
    return render(request, "community/crisis.html", {"resources": resources})


# --- reporting (members) -------------------------------------------------------------------


@login_required
def report_post(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("topic"), pk=pk)
    item = selectors.review_item_of(post)
    if not permissions.can_report_post(request.user, post, item=item):
        # A post the reader may not report answers like a missing one: a different answer
        # would tell them a waiting or removed post is there.
        raise Http404
    # Members who arrive after reports hid the post are still heard; the post's own page is
    # closed to them now, so they go back to the conversation instead.
    hidden_for_review = permissions.could_see_before_hiding(request.user, post, item)
    back_url = post.topic.get_absolute_url() if hidden_for_review else post.get_absolute_url()
    already = selectors.has_reported(user=request.user, post=post)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and not already and form.is_valid():
        # Counted per attempt to send; the daily cap (REPORTS_PER_DAY) stays in the service.
        refusal = rate_limits.consume(request, action="report")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = 429
        else:
            try:
                services.report_post(
                    reporter=request.user,
                    post=post,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except services.AlreadyReported:
                already = True
            except services.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, ALREADY_LOOKING if hidden_for_review else REPORT_THANKS)
                return redirect(back_url)
    return render(
        request,
        "community/moderation/report.html",
        {"post": post, "form": form, "already_reported": already, "back_url": back_url},
        status=status,
    )


@login_required
def my_reports(request: AuthenticatedRequest) -> HttpResponse:
    reports = Report.objects.sent_by(request.user)[:100]
    return render(request, "community/moderation/my_reports.html", {"reports": reports})


@login_required
def decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    log = get_object_or_404(ModerationLog.objects.select_related("post", "topic"), pk=pk)
    if not permissions.can_read_decision(request.user, log):
        # Someone else's decision answers like a missing one: that it exists is private.
        raise Http404
    can_ask = permissions.can_request_review(request.user, log)
    asked = can_ask and selectors.awaits_review(author=request.user, log=log)
    form = ReviewRequestForm(request.POST or None)
    if request.method == "POST":
        if not can_ask:
            raise PermissionDenied("Only the member a decision is about can ask for a review.")
        if form.is_valid():
            try:
                services.request_review(
                    author=request.user, log=log, note=form.cleaned_data["note"]
                )
            except services.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "Thank you. A moderator will look at this again and let you know."
                )
                return redirect("community:decision", pk=log.pk)
    topic = log.topic
    return render(
        request,
        "community/moderation/decision.html",
        {
            "log": log,
            "form": form,
            "can_ask": can_ask and not asked,
            "asked": asked,
            "heading": DECISION_HEADINGS.get(log.action, log.get_action_display()),
            "names_guideline": names_guideline(action=log.action, reason=log.reason),
            # Named only to a reader who may open the topic: a title is what was written.
            "topic": topic
            if topic is not None and forum_permissions.can_view_topic(request.user, topic)
            else None,
        },
    )


# --- the moderator's workspace -------------------------------------------------------------


def moderator_required(view):
    """Signed in, a moderator with no mute or suspension in force, and (where required) with
    two-factor authentication set up.

    Every moderation page answers a member who does not moderate like a page that does not
    exist, whatever the id: /moderation/items/<pk>/ existing would say a post was reported. A
    moderator who is muted gets the same answer until the mute ends (`can_moderate`).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_moderate(request.user):
            raise Http404
        if permissions.needs_two_factor_setup(request.user):
            if request.method != "GET":
                raise PermissionDenied("Please set up two-factor authentication first.")
            messages.info(
                request,
                "Moderation pages need two-factor authentication. Please set up an "
                "authenticator app first; it takes a minute.",
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapper


def _show(value: str | None) -> str:
    """The queue filter a page carries along ("all" unless a known one is named)."""
    return value if value in selectors.QUEUE_FILTERS else "all"


@moderator_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    show = _show(request.GET.get("show"))
    return render(
        request,
        "community/moderation/queue.html",
        {
            "rows": selectors.queue_rows(show=show, now=timezone.now()),
            "show": show,
            "filters": [(key, label) for key, (label, _) in selectors.QUEUE_FILTERS.items()],
            "on_duty_now": rota.moderators_on_duty(now=timezone.now()),
            "zone": selectors.moderator_zone(request.user),
        },
    )


def _action_choices(item: ReviewItem) -> list[tuple[str, str]]:
    # Editing has its own page, where the moderator writes the new text; a topic is offered
    # the lock it does not have, never the one it has.
    locked = item.post.topic.is_locked
    skip = {ModerationAction.EDIT, ModerationAction.LOCK if locked else ModerationAction.UNLOCK}
    return [
        (action, ModerationAction(action).label)
        for action in services.actions_for(item.post)
        if action not in skip
    ]


def _decision_form(request: AuthenticatedRequest, item: ReviewItem) -> ModerationActionForm:
    return ModerationActionForm(
        request.POST if request.method == "POST" else None,
        actions=_action_choices(item),
        zone=selectors.moderator_zone(request.user),
        templates=selectors.explanation_templates(),
    )


def _item_page(
    request: AuthenticatedRequest, item: ReviewItem, form: ModerationActionForm, *, show: str
) -> HttpResponse:
    post = item.post
    author = post.author
    user = request.user
    previous_id, next_id = selectors.neighbours(
        selectors.workable_item_ids(show=show, moderator=user), item.pk
    )
    actions = {value for value, _ in _action_choices(item)}
    return render(
        request,
        "community/moderation/item.html",
        {
            "item": item,
            "post": post,
            # Where the post stands, in the words its author and members are told too.
            "situation": words_for(
                status=post.status, crisis_language=post.crisis_language
            ).moderator,
            "context_posts": [p for p in selectors.posts_around(post) if p.pk != post.pk],
            "reports": item.post.reports.select_related("reporter").order_by("created_at"),
            "history": selectors.decisions_about(author),
            # Private conversations with the author: linked from the item and their history.
            "conversations": selectors.conversations_with(author),
            "can_check_in": permissions.can_check_in(user, post),
            # Each sanction with whether this moderator may lift it: the template only shows.
            "sanctions": [
                (sanction, permissions.can_lift_sanction(user, sanction))
                for sanction in selectors.sanctions_on(author)
            ],
            "can_claim": permissions.can_claim_item(user, item),
            "can_release": permissions.can_release_item(user, item),
            "can_take_over": permissions.can_take_over_item(user, item),
            # The decision form shows only to a moderator who may use it; otherwise the page
            # says why, in the words the services use to refuse. A decision refused as it was
            # sent keeps its form, with the refusal and everything the moderator typed.
            "can_act": permissions.can_act_on_item(user, item) or form.is_bound,
            "about_own_post": permissions.is_about_own_post(user, item),
            "lift_form": LiftSanctionForm(),
            "form": form,
            "author": author,
            "show": show,
            "previous_id": previous_id,
            "next_id": next_id,
            "offers_sanction": bool(actions & set(SANCTIONS)),
            "templates": form.templates,
            "zone": form.zone,
            # Arriving from the queue or the previous decision, the keyboard starts at the
            # decision; a first visit from elsewhere starts at the top like any page.
            "focus_decision": "show" in request.GET and item.status == ReviewStatus.OPEN,
        },
    )


def _moderated_item(pk: int) -> ReviewItem:
    return get_object_or_404(
        ReviewItem.objects.select_related(
            "post", "post__topic", "post__topic__category", "post__author", "claimed_by"
        ),
        pk=pk,
    )


@moderator_required
def item(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _moderated_item(pk)
    show = _show(request.GET.get("show"))
    return _item_page(request, found, _decision_form(request, found), show=show)


@moderator_required
@require_POST
def claim(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _moderated_item(pk)
    try:
        services.claim_item(
            moderator=request.user, item=found, claim=request.POST.get("claim") != "0"
        )
    except services.ModerationError as error:
        messages.error(request, str(error))
    show = _show(request.POST.get("show"))
    return redirect(f"{found.get_absolute_url()}?{urlencode({'show': show})}")


# What the moderator is told is now so, after a decision.
DONE_WORDS: dict[str, str] = {
    ModerationAction.KEEP: "the post stays up and its reports are dismissed",
    ModerationAction.HIDE: "the post is hidden",
    ModerationAction.REMOVE: "the post is removed",
    ModerationAction.EDIT: "the post is edited",
    ModerationAction.LOCK: "the topic is locked",
    ModerationAction.UNLOCK: "the topic is open to replies again",
    ModerationAction.APPROVE: "the post is approved and published",
    ModerationAction.REJECT: "the post will not be published",
    ModerationAction.WARN: "the member is warned",
    ModerationAction.MUTE: "the member is muted",
    ModerationAction.SUSPEND: "the member is suspended",
}
QUEUE_CLEAR = "The queue is clear: nothing else is waiting here. Thank you."


def _after_decision(
    request: AuthenticatedRequest, *, log: ModerationLog, before: list[int], pk: int, show: str
) -> HttpResponse:
    """Where a decision leads: the next item of the same filter (the default), or the queue."""
    done = f"Done: {DONE_WORDS.get(log.action, log.get_action_display().lower())}. It is logged."
    queue_url = f"{reverse('community:queue')}?{urlencode({'show': show})}"
    after = selectors.workable_item_ids(show=show, moderator=request.user)
    if request.POST.get("then") == "queue":
        messages.success(request, done if after else f"{done} {QUEUE_CLEAR}")
        return redirect(queue_url)
    next_id = selectors.next_after(before=before, after=after, pk=pk)
    if next_id is None:
        messages.success(request, f"{done} {QUEUE_CLEAR}")
        return redirect(queue_url)
    messages.success(request, f"{done} This is the next item.")
    next_url = reverse("community:review_item", kwargs={"pk": next_id})
    return redirect(f"{next_url}?{urlencode({'show': show})}")


@moderator_required
@require_POST
def act(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _moderated_item(pk)
    show = _show(request.POST.get("show"))
    form = _decision_form(request, found)
    if form.is_valid():
        before = selectors.workable_item_ids(show=show, moderator=request.user)
        try:
            log = services.act_on_item(
                moderator=request.user,
                item=found,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                until=form.cleaned_data.get("until"),
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            return _after_decision(request, log=log, before=before, pk=found.pk, show=show)
    return _item_page(request, found, form, show=show)


@moderator_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _moderated_item(pk)
    show = _show(request.POST.get("show") or request.GET.get("show"))
    form = ModeratorEditForm(request.POST or None, initial={"body": found.post.body})
    if request.method == "POST" and form.is_valid():
        before = selectors.workable_item_ids(show=show, moderator=request.user)
        try:
            log = services.act_on_item(
                moderator=request.user,
                item=found,
                action=ModerationAction.EDIT,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                body=form.cleaned_data["body"],
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            return _after_decision(request, log=log, before=before, pk=found.pk, show=show)
    return render(
        request, "community/moderation/edit.html", {"item": found, "form": form, "show": show}
    )


@moderator_required
@require_POST
def lift(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sanction = get_object_or_404(Sanction.objects.select_related("user"), pk=pk)
    form = LiftSanctionForm(request.POST)
    back = request.POST.get("item")
    if form.is_valid():
        try:
            services.lift_sanction(
                moderator=request.user,
                sanction=sanction,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except services.ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The sanction is lifted and the member is told.")
    else:
        messages.error(request, "Please choose a reason and explain it to lift a sanction.")
    # isascii: "²".isdigit() is true too, and is no id.
    if back and back.isascii() and back.isdigit() and ReviewItem.objects.filter(pk=back).exists():
        return redirect("community:review_item", pk=int(back))
    return redirect("community:log")


@moderator_required
def log(request: AuthenticatedRequest) -> HttpResponse:
    paginator = Paginator(
        ModerationLog.objects.select_related("actor", "target_user").order_by("-created_at", "-id"),
        LOG_PER_PAGE,
    )
    # The same rule as the forum's lists: a page that doesn't exist redirects to the nearest.
    wanted = page_from_request(
        request.GET.get("page"), items=paginator.count, per_page=LOG_PER_PAGE
    )
    if not wanted.exact:
        return redirect_to_page(request, wanted)
    page = paginator.page(wanted.number)
    return render(
        request,
        "community/moderation/log.html",
        {
            "page_obj": page,
            "entries": page.object_list,
            "zone": selectors.moderator_zone(request.user),
        },
    )


# --- taking over an item another moderator claimed -----------------------------------------


@moderator_required
@require_POST
def take_over(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _moderated_item(pk)
    try:
        services.take_over_item(moderator=request.user, item=found)
    except services.ModerationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "You are working on this item now. The hand-over is in the moderation log."
        )
    return redirect(found)
