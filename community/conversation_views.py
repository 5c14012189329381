"""Private conversations with the moderation team: "Message the moderators", check-ins from a
post or a review item, the member's "Messages" list and the team inbox.

A conversation answers anyone who may not read it like one that does not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts import rate_limits
from accounts.http import AuthenticatedRequest
from accounts.models import badge_of
from forum.models import Post

from . import permissions, services
from .conversation_forms import CHECK_IN_STARTERS, CheckInForm, MessageTeamForm, ReplyForm
from .models import Conversation, CrisisResource, ReviewItem
from .views import moderator_required

INBOX_LIMIT = 200
SENT_TO_TEAM = (
    "Your message is with the moderation team. You'll get a notification when they answer."
)
SENT_TO_MEMBER = "Your message is sent. Only the member and the moderation team can read it."


@login_required
def conversations(request: AuthenticatedRequest) -> HttpResponse:
    found = Conversation.objects.of_member(request.user).select_related("member")[:INBOX_LIMIT]
    return render(request, "community/conversations/list.html", {"conversations": found})


@login_required
def message_team(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_message_team(request.user):
        raise Http404
    form = MessageTeamForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = rate_limits.consume(request, action="message")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = 429
        else:
            try:
                conversation = services.start_conversation(
                    member=request.user, body=form.cleaned_data["body"]
                )
            except services.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, SENT_TO_TEAM)
                return redirect(conversation)
    return render(request, "community/conversations/new.html", {"form": form}, status=status)


def _item_for(request: AuthenticatedRequest, post: Post) -> ReviewItem | None:
    """The review item a check-in came from (?item=), only for moderators and only its own."""
    raw = request.POST.get("item") or request.GET.get("item")
    if not raw or not raw.isdigit() or not permissions.can_moderate(request.user):
        return None
    return ReviewItem.objects.filter(pk=int(raw), post_id=post.pk).first()


@login_required
def check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.open_to(request.user).select_related("author", "topic"), pk=pk
    )
    if not permissions.can_check_in(request.user, post):
        # Members who may not check in see no such page: it would say the feature is there.
        raise Http404
    item = _item_for(request, post)
    chosen = request.GET.get("start", "0")
    start = int(chosen) if chosen.isdigit() and int(chosen) < len(CHECK_IN_STARTERS) else 0
    form = CheckInForm(
        request.POST or None,
        initial={
            "body": CHECK_IN_STARTERS[start][1],
            "include_crisis_resources": item is not None and item.at_risk,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = rate_limits.consume(request, action="message")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = 429
        else:
            try:
                conversation = services.check_in(
                    sender=request.user,
                    post=post,
                    body=form.cleaned_data["body"],
                    include_crisis_resources=form.cleaned_data["include_crisis_resources"],
                    item=item,
                )
            except services.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, SENT_TO_MEMBER)
                return redirect(conversation)
    return render(
        request,
        "community/conversations/check_in.html",
        {
            "post": post,
            "member": post.author,
            "item": item,
            "form": form,
            "starters": [(i, label) for i, (label, _) in enumerate(CHECK_IN_STARTERS)],
            "start": start,
        },
        status=status,
    )


@login_required
def conversation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Conversation.objects.visible_to(request.user).select_related(
            "member", "started_by", "review_item", "post"
        ),
        pk=pk,
    )
    if not permissions.can_read_conversation(request.user, found):
        raise Http404
    is_member = found.member_id == request.user.pk
    # The team's side of a conversation is moderation work: the same door as the queue.
    if (
        not is_member
        and permissions.can_moderate(request.user)
        and permissions.needs_two_factor_setup(request.user)
    ):
        return redirect("mfa_activate_totp")
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = rate_limits.consume(request, action="message")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = 429
        else:
            try:
                services.reply_to_conversation(
                    conversation=found, author=request.user, body=form.cleaned_data["body"]
                )
            except services.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, SENT_TO_TEAM if is_member else SENT_TO_MEMBER)
                return redirect(found)
    thread = [
        (message, badge_of(message.author_role, message.author.certified_by))
        for message in found.messages.select_related("author")
    ]
    return render(
        request,
        "community/conversations/detail.html",
        {
            "conversation": found,
            "thread": thread,
            "form": form,
            "is_member": is_member,
            "resources": (
                list(CrisisResource.objects.all()) if found.include_crisis_resources else []
            ),
            "show_item_link": found.review_item_id is not None
            and permissions.can_moderate(request.user),
        },
        status=status,
    )


@moderator_required
def team_inbox(request: AuthenticatedRequest) -> HttpResponse:
    found = Conversation.objects.team_inbox().select_related("member", "started_by")[:INBOX_LIMIT]
    return render(request, "community/conversations/inbox.html", {"conversations": found})
