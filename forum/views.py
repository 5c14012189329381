"""Forum pages. Each view reads through a scoped queryset, checks, validates, calls one service."""

from __future__ import annotations

from functools import cache as once

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedRequest

from . import page_reads, permissions, post_cards, services
from .forms import EditPostForm, ReplyForm, TopicForm
from .models import Category, Post, Status, Topic
from .pagination import page_from_request


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    categories = page_reads.categories()
    return render(
        request,
        "forum/home.html",
        {"categories": categories, "latest_rows": page_reads.latest_rows(categories)},
    )


@login_required
def category(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cat = page_reads.category_by_slug(slug)
    if cat is None:
        raise Http404("No such category.")
    page = page_from_request(
        request.GET.get("page"), items=cat.topic_count, per_page=settings.TOPICS_PER_PAGE
    )
    listing = page_reads.category_page(cat, page=page.number, reader=request.user)
    return render(
        request,
        "forum/category.html",
        {
            "category": cat,
            "topic_rows": listing.rows,
            "is_watched": listing.is_watched,
            "page": page,
            "can_start_topic": permissions.can_start_topic(request.user),
        },
    )


CRISIS_PANEL_SESSION_KEY = "crisis_panel_topic"


def _after_posting(request: HttpRequest, post: Post, *, posted: str) -> None:
    """Tell the author where their post stands; crisis language shows them the help panel."""
    if post.status == Status.PENDING:
        messages.success(
            request,
            "Thank you for sharing. New members' first posts wait for a moderator, so only you "
            "can see this one for now. It usually doesn't take long.",
        )
    else:
        messages.success(request, posted)
    if post.crisis_language:
        # In the session, not the URL: the URL would say "crisis" in the browser history.
        request.session[CRISIS_PANEL_SESSION_KEY] = post.topic_id


@login_required
def new_topic(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category, slug=slug)
    if not permissions.can_start_topic(request.user):
        raise PermissionDenied("You can't start topics right now.")
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = services.create_topic(
            author=request.user,
            category=cat,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        _after_posting(
            request,
            topic.posts.get(position=1),
            posted="Thank you for sharing. Your topic is posted.",
        )
        return redirect(topic)
    return render(request, "forum/topic_form.html", {"category": cat, "form": form})


def _render_blank_reply_field() -> SafeString:
    return render_to_string("components/field.html", {"field": ReplyForm()["body"]})


# The reply box on a topic's last page is the same for every reader and depends only on code
# (ReplyForm and the field templates), so a process renders it once; with DEBUG on it is
# rendered each time so template edits show. Rendering the widget was most of what the last
# page cost more than the first.
_blank_reply_field = once(_render_blank_reply_field)


def blank_reply_field() -> SafeString:
    return _render_blank_reply_field() if settings.DEBUG else _blank_reply_field()


@login_required
def topic(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    topic = page_reads.topic_for(pk)
    if topic is None or not permissions.can_view_topic(user, topic):
        raise Http404("No such topic.")
    page = page_from_request(
        request.GET.get("page"), items=topic.last_position, per_page=settings.POSTS_PER_PAGE
    )
    thread = page_reads.thread_page(topic, page=page.number, reader=user)
    rows = [row for row in thread.rows if permissions.can_see_in_thread(user, row)]
    can_reply = permissions.can_reply(user, topic)
    return render(
        request,
        "forum/topic.html",
        {
            "topic": topic,
            "cards": post_cards.page_of_cards(rows, viewer=user, sent=thread.sent, key=thread.key),
            "page": page,
            "reply_field": blank_reply_field(),
            "can_reply": can_reply,
            "can_follow": permissions.can_follow_topic(user, topic),
            "is_followed": thread.is_followed,
            "is_muted": not can_reply and user.is_muted(),
            "has_encouragement_buttons": any(permissions.can_react(user, row) for row in rows),
            # Shown once, on the page the author lands on after posting (base.html).
            "show_crisis_panel": request.session.pop(CRISIS_PANEL_SESSION_KEY, None) == topic.pk,
        },
    )


@login_required
def reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("category"), pk=pk
    )
    if not permissions.can_reply(request.user, topic):
        raise PermissionDenied("You can't reply to this topic right now.")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_reply(
                author=request.user, topic=topic, body=form.cleaned_data["body"]
            )
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            _after_posting(request, post, posted="Your reply is posted.")
            return redirect(post)
    return render(request, "forum/reply_form.html", {"topic": topic, "form": form})


@login_required
def post_permalink(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    return redirect(f"{post.topic.get_absolute_url()}?page={post.page_number}#post-{post.position}")


def _own_post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("topic", "topic__category"), pk=pk
    )


@login_required
def edit_post(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _own_post(request, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied("You can only edit your own posts.")
    initial = {"body": post.body, "title": post.topic.title}
    form = EditPostForm(request.POST or None, initial=initial, with_title=post.is_opening_post)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(
                editor=request.user,
                post=post,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title"),
            )
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(post)
    return render(request, "forum/post_edit.html", {"post": post, "form": form})


@login_required
def post_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _own_post(request, pk)
    if not permissions.can_see_post_history(request.user, post):
        raise PermissionDenied("Only the author and moderators can see earlier versions.")
    revisions = post.revisions.select_related("editor")
    return render(request, "forum/post_history.html", {"post": post, "revisions": revisions})


@login_required
def delete_post(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _own_post(request, pk)
    if not permissions.can_delete_post(request.user, post):
        raise PermissionDenied("You can only delete your own posts.")
    if request.method == "POST":
        services.delete_post(user=request.user, post=post)
        messages.success(request, "Your post is deleted. Its words are gone from Lantern.")
        return redirect(post)
    return render(request, "forum/post_delete.html", {"post": post})


@login_required
@require_POST
def react(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _own_post(request, pk)
    if not permissions.can_react(request.user, post):
        raise PermissionDenied("You can send encouragement on other members' posts.")
    # Each button says what it sets ("hear:on"), so a double submit cannot undo itself.
    kind, _, state = request.POST.get("reaction", "").partition(":")
    on = state == "on"
    try:
        services.set_reaction(user=request.user, post=post, kind=kind, on=on)
    except services.ForumError as error:
        messages.error(request, str(error))
    return redirect(post)
