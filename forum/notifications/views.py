"""Notification pages: the inbox, preferences, following, and the no-login unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts import rate_limits
from accounts.http import AuthenticatedRequest
from forum import permissions, refusals
from forum.forms import NotificationPreferenceForm
from forum.models import Category, Topic

from . import inbox, mutes, preferences, subscriptions
from .models import Notification
from .unsubscribe import BadUnsubscribeLink, read_unsubscribe_token, unsubscribe_label
from .unsubscribe import unsubscribe as unsubscribe_by_token


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    try:
        found = inbox.inbox_page(request.user, number=request.GET.get("page"))
    except inbox.PageOutOfRange as missing:
        return redirect(f"{reverse('forum:notifications')}?page={missing.nearest}")
    return render(
        request,
        "notifications/inbox.html",
        {"items": found.items, "page": found.page, "here": request.get_full_path()},
    )


# POST only: opening a notification marks it read, and a GET never writes (link prefetchers,
# crawlers and a browser's "reopen" must not change what a member has seen).
@login_required
@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(
        Notification.objects.select_related("post"), pk=pk, recipient=request.user
    )
    inbox.mark_read(user=request.user, notification=notification)
    return redirect(inbox.opening_url(user=request.user, notification=notification))


@login_required
@require_POST
def notification_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    inbox.mark_read(user=request.user, notification=notification)
    # Back to the page of the inbox it was pressed on.
    return redirect(_back(request, reverse("forum:notifications")))


@login_required
@require_POST
def notifications_read_all(request: AuthenticatedRequest) -> HttpResponse:
    inbox.mark_all_read(user=request.user)
    messages.success(request, "All caught up: every notification is marked as read.")
    return redirect("forum:notifications")


@login_required
def notification_preferences(request: AuthenticatedRequest) -> HttpResponse:
    kinds = preferences.preference_kinds(request.user)
    current = preferences.preference_of(request.user)
    initial = {value: getattr(current, value) for value, _ in kinds}
    initial["include_excerpt"] = current.include_excerpt
    form = NotificationPreferenceForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        preferences.save_preferences(user=request.user, values=form.cleaned_data)
        messages.success(request, "Your notification preferences are saved.")
        return redirect("forum:notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        # Moderators read why urgent alerts have no switch here.
        {"form": form, "urgent_alerts": request.user.is_moderator},
    )


# The signed token is the authority here, not a session: mail clients send the one-click POST
# (RFC 8058) without cookies or a CSRF token.
def _bad_unsubscribe_link(request: HttpRequest, error: Exception) -> HttpResponse:
    # A clear page and a 400: an altered or expired link changes nothing.
    return render(request, "notifications/unsubscribe.html", {"error": str(error)}, status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        try:
            _, kind = read_unsubscribe_token(token)
        except BadUnsubscribeLink as error:
            return _bad_unsubscribe_link(request, error)
        return render(
            request,
            "notifications/unsubscribe.html",
            {"label": unsubscribe_label(kind), "confirm": True},
        )
    try:
        _, kind = unsubscribe_by_token(token=token)
    except BadUnsubscribeLink as error:
        return _bad_unsubscribe_link(request, error)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": unsubscribe_label(kind), "done": True},
    )


def _visible_topic(request: HttpRequest, pk: int) -> Topic:
    # TopicQuerySet is not parameterised with Topic (forum/querysets.py), so say what it holds.
    topic: Topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    return topic


@login_required
@require_POST
def follow_topic(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = _visible_topic(request, pk)
    refusal = rate_limits.consume(request, action="follow")
    if refusal is not None:
        return refusals.too_many(request, refusal, back=topic.get_absolute_url())
    if not permissions.can_follow_topic(request.user, topic):
        raise PermissionDenied("You can't follow this topic.")
    subscriptions.follow_topic(user=request.user, topic=topic)
    messages.success(request, "You're following this topic. New replies will notify you.")
    return redirect(_back(request, topic.get_absolute_url()))


@login_required
@require_POST
def unfollow_topic(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = _visible_topic(request, pk)
    refusal = rate_limits.consume(request, action="follow")
    if refusal is not None:
        return refusals.too_many(request, refusal, back=topic.get_absolute_url())
    subscriptions.unfollow_topic(user=request.user, topic=topic)
    messages.success(request, "You've stopped following this topic.")
    return redirect(_back(request, topic.get_absolute_url()))


@login_required
@require_POST
def watch_category(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    refusal = rate_limits.consume(request, action="follow")
    if refusal is not None:
        return refusals.too_many(
            request, refusal, back=category.get_absolute_url(), back_label="Back to the category"
        )
    subscriptions.watch_category(user=request.user, category=category)
    messages.success(request, "You're watching this category. New posts in it will notify you.")
    return redirect(category)


@login_required
@require_POST
def unwatch_category(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    refusal = rate_limits.consume(request, action="follow")
    if refusal is not None:
        return refusals.too_many(
            request, refusal, back=category.get_absolute_url(), back_label="Back to the category"
        )
    subscriptions.unwatch_category(user=request.user, category=category)
    messages.success(request, "You've stopped watching this category.")
    return redirect(category)


# Muting answers like following: a rate limit of its own, and back to the page it was pressed on
# (the topic, or the notifications page).
@login_required
@require_POST
def mute_topic(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = _visible_topic(request, pk)
    refusal = rate_limits.consume(request, action="mute")
    if refusal is not None:
        return refusals.too_many(request, refusal, back=topic.get_absolute_url())
    mutes.mute_topic(user=request.user, topic=topic)
    messages.success(
        request,
        "Topic muted. You won't hear about this topic until you unmute it; "
        "messages from the moderators still reach you.",
    )
    return redirect(_back(request, topic.get_absolute_url()))


@login_required
@require_POST
def unmute_topic(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = _visible_topic(request, pk)
    refusal = rate_limits.consume(request, action="mute")
    if refusal is not None:
        return refusals.too_many(request, refusal, back=topic.get_absolute_url())
    mutes.unmute_topic(user=request.user, topic=topic)
    messages.success(
        request, "Topic unmuted. You'll hear about it again as your email preferences say."
    )
    return redirect(_back(request, topic.get_absolute_url()))
