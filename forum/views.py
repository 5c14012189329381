"""Forum pages. Each view reads through a scoped queryset, checks, validates, calls one service."""

from __future__ import annotations

import uuid
from functools import cache as once

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from accounts import rate_limits
from accounts.http import AuthenticatedRequest

from . import (
    coaching,
    content_warnings,
    crisis_panel,
    page_reads,
    permissions,
    post_cards,
    refusals,
    search,
    services,
)
from .forms import EditPostForm, ReplyForm, TopicForm, start_from_story_template
from .models import Category, Post, Topic
from .pagination import page_from_request, redirect_to_page, requested_page
from .search.forms import SearchForm
from .situation import words_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    categories = page_reads.categories()
    latest = page_reads.latest_listing(categories, reader=request.user)
    return render(
        request,
        "forum/home.html",
        {"categories": categories, "latest_rows": latest.rows, "left_out": latest.left_out},
    )


@login_required
def category(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cat = page_reads.category_by_slug(slug)
    if cat is None:
        raise Http404("No such category.")
    page = page_from_request(
        request.GET.get("page"), items=cat.topic_count, per_page=settings.TOPICS_PER_PAGE
    )
    if not page.exact:
        return redirect_to_page(request, page)
    listing = page_reads.category_page(cat, page=page.number, reader=request.user)
    return render(
        request,
        "forum/category.html",
        {
            "category": cat,
            "topic_rows": listing.rows,
            "is_watched": listing.is_watched,
            "left_out": listing.left_out,
            "page": page,
            "can_start_topic": permissions.can_start_topic_in(request.user, cat),
        },
    )


def _after_posting(request: HttpRequest, post: Post) -> None:
    """Tell the author where their post stands (forum.situation); with crisis language the
    crisis panel says it, beside the ways to reach help, so it is said once."""
    if post.crisis_language:
        crisis_panel.remember(request.session, post=post)
        return
    messages.success(
        request, words_for(status=post.status, crisis_language=post.crisis_language).posted
    )


def _earlier_submission(request: AuthenticatedRequest, token: uuid.UUID | None) -> Post | None:
    """The post this same form already wrote (sent twice): the member lands on it, and a
    repeat never counts against their rate limit."""
    return Post.objects.submitted_by(request.user, token).select_related("topic").first()


def _preview(request: HttpRequest, form: forms.Form) -> str | None:
    """The post as it would look, when the member pressed "Preview" on text that could be
    posted. Nothing is saved and no rate limit is used; the bound form keeps every word and
    its submission token, so "Post" afterwards still writes exactly one post."""
    if "preview" not in request.POST or not form.is_valid():
        return None
    return services.preview_html(body=form.cleaned_data["body"])


@login_required
def new_topic(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    cat = get_object_or_404(Category, slug=slug)
    if not permissions.can_start_topic(request.user):
        return refusals.muted(
            request, request.user, back=cat.get_absolute_url(), back_label="Back to the category"
        )
    if not permissions.can_start_topic_in(request.user, cat):
        return refusals.corner_closed(request, back=cat.get_absolute_url())
    if "story_template" in request.POST:
        # Not a submission: the same form again, the template above what was typed, no errors.
        form = TopicForm(
            initial={
                "title": request.POST.get("title", ""),
                "body": start_from_story_template(request.POST.get("body", "")),
                "submission_token": request.POST.get("submission_token") or uuid.uuid4(),
                "warnings": request.POST.getlist("warnings"),
                "warning_note": request.POST.get("warning_note", ""),
            }
        )
        return render(request, "forum/topic_form.html", {"category": cat, "form": form})
    form = TopicForm(request.POST or None)
    preview = _preview(request, form)
    if preview is None and request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission_token"]
        earlier = _earlier_submission(request, token)
        if earlier is not None:
            return redirect(earlier.topic)
        refusal = rate_limits.consume(request, action="topic")
        if refusal is not None:
            form.add_error(None, refusal.message)
            return render(
                request,
                "forum/topic_form.html",
                {"category": cat, "form": form},
                status=refusals.TOO_MANY,
            )
        topic = services.create_topic(
            author=request.user,
            category=cat,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            submission_token=token,
            warning_flags=form.cleaned_data["warning_flags"],
            warning_note=form.cleaned_data["warning_note"],
        )
        _after_posting(request, topic.posts.get(position=1))
        return redirect(topic)
    return render(
        request, "forum/topic_form.html", {"category": cat, "form": form, "preview_html": preview}
    )


def _render_blank_reply_field() -> SafeString:
    form = ReplyForm()
    body = render_to_string("components/field.html", {"field": form["body"]})
    warnings = render_to_string("forum/_warning_fields.html", {"form": form})
    # Both were rendered (and escaped) by their templates.
    return mark_safe(body + warnings)  # noqa: S308


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
    if not page.exact:
        return redirect_to_page(request, page)
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
            # The reply box is cached whole; its token is made here, once per page view.
            "submission_token": uuid.uuid4() if can_reply else None,
            "can_reply": can_reply,
            "can_follow": permissions.can_follow_topic(user, topic),
            "is_followed": thread.is_followed,
            "is_muted": thread.is_muted,
            "muted_until": refusals.until(user) if not permissions.can_publish(user) else "",
            "has_encouragement_buttons": any(permissions.can_react(user, row) for row in rows),
            # On the author's own view for a day after posting crisis language (base.html).
            "crisis_panel": crisis_panel.panel_for(request.session, topic_id=topic.pk, author=user),
            # Published stories only, so one cached list serves every reader (forum.search); the
            # stories whose warnings this reader hides from lists are left out of it here.
            "related_stories": [
                story
                for story in search.cached_related_stories(topic)
                if not content_warnings.is_hidden_from_lists(user, story.warning_flags)
            ],
        },
    )


@login_required
@require_POST
def dismiss_crisis_panel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = page_reads.topic_for(pk)
    if topic is None or not permissions.can_view_topic(request.user, topic):
        raise Http404("No such topic.")
    crisis_panel.dismiss(request.session, topic_id=topic.pk)
    return redirect(topic)


@login_required
def reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(
        Topic.objects.visible_to(request.user).select_related("category"), pk=pk
    )
    back = f"{topic.get_absolute_url()}?page=last"
    if not permissions.can_publish(request.user):
        return refusals.muted(request, request.user, back=back)
    if not permissions.can_reply(request.user, topic):
        # The topic is one the member may read (else 404 above), closed or still waiting.
        raise PermissionDenied("You can't reply to this topic right now.")
    form = ReplyForm(request.POST or None)
    preview = _preview(request, form)
    status = 200
    if preview is None and request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission_token"]
        earlier = _earlier_submission(request, token)
        if earlier is not None:
            return redirect(earlier)
        refusal = rate_limits.consume(request, action="reply")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = refusals.TOO_MANY
        else:
            try:
                post = services.create_reply(
                    author=request.user,
                    topic=topic,
                    body=form.cleaned_data["body"],
                    submission_token=token,
                    warning_flags=form.cleaned_data["warning_flags"],
                    warning_note=form.cleaned_data["warning_note"],
                )
            except services.ForumError as error:
                form.add_error(None, str(error))
            else:
                _after_posting(request, post)
                return redirect(post)
    hint = coaching.hint_for(form.cleaned_data["body"]) if preview is not None else None
    return render(
        request,
        "forum/reply_form.html",
        {"topic": topic, "form": form, "preview_html": preview, "coaching": hint},
        status=status,
    )


@login_required
@require_GET
def coaching_phrases(request: AuthenticatedRequest) -> JsonResponse:
    """The phrase list static/js/coaching.js checks replies against as they are typed."""
    hints = [{"phrase": h.phrase, "suggestion": h.suggestion} for h in coaching.active_hints()]
    return JsonResponse({"hints": hints})


def _position(post: Post) -> str:
    return f"{post.topic.get_absolute_url()}?page={post.page_number}#post-{post.position}"


# Every route under /p/<pk>/ reads through this one scope: a post the reader may not see
# (another member's waiting or hidden post, a post in a topic they cannot open) answers 404
# exactly like an id that was never used. A post they may see but not change answers 403.
def _open_post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.open_to(request.user).select_related("topic", "topic__category"), pk=pk
    )


@login_required
def post_permalink(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return redirect(_position(_open_post(request, pk)))


@login_required
def edit_post(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _open_post(request, pk)
    if post.author_id == request.user.pk and not permissions.can_publish(request.user):
        return refusals.muted(request, request.user, back=_position(post))
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied("You can only edit your own posts.")
    initial = {
        "body": post.body,
        "title": post.topic.title,
        "warnings": content_warnings.values_of(post.warning_flags),
        "warning_note": post.warning_note,
    }
    form = EditPostForm(request.POST or None, initial=initial, with_title=post.is_opening_post)
    preview = _preview(request, form)
    status = 200
    if preview is None and request.method == "POST" and form.is_valid():
        refusal = rate_limits.consume(request, action="edit")
        if refusal is not None:
            form.add_error(None, refusal.message)
            status = refusals.TOO_MANY
        else:
            try:
                edited = services.edit_post(
                    editor=request.user,
                    post=post,
                    body=form.cleaned_data["body"],
                    title=form.cleaned_data.get("title"),
                    warning_flags=form.cleaned_data["warning_flags"],
                    warning_note=form.cleaned_data["warning_note"],
                )
            except services.ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your changes are saved.")
                if (
                    edited.crisis_language
                    and not post.crisis_language
                    and post.author_id == request.user.pk
                ):
                    # Words added in an edit deserve the same help as words first posted.
                    crisis_panel.remember(request.session, post=edited)
                return redirect(post)
    return render(
        request,
        "forum/post_edit.html",
        {"post": post, "form": form, "preview_html": preview},
        status=status,
    )


@login_required
def post_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _open_post(request, pk)
    if not permissions.can_see_post_history(request.user, post):
        raise PermissionDenied("Only the author and moderators can see earlier versions.")
    revisions = post.revisions.select_related("editor")
    return render(request, "forum/post_history.html", {"post": post, "revisions": revisions})


@login_required
def delete_post(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = _open_post(request, pk)
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
    post = _open_post(request, pk)
    if not permissions.can_publish(request.user):
        return refusals.muted(request, request.user, back=_position(post))
    if not permissions.can_react(request.user, post):
        raise PermissionDenied("You can send encouragement on other members' posts.")
    refusal = rate_limits.consume(request, action="reaction")
    if refusal is not None:
        return refusals.too_many(request, refusal, back=_position(post))
    # Each button says what it sets ("hear:on"), so a double submit cannot undo itself.
    kind, _, state = request.POST.get("reaction", "").partition(":")
    on = state == "on"
    try:
        services.set_reaction(user=request.user, post=post, kind=kind, on=on)
    except services.ForumError as error:
        messages.error(request, str(error))
    return redirect(post)


def _search_url(request: HttpRequest, params: QueryDict, page: int) -> str:
    """This search (`params`) again, at page `page`."""
    params = params.copy()
    params["page"] = str(page)
    return f"{request.path}?{params.urlencode()}"


@login_required
@require_GET
def search_page(request: AuthenticatedRequest) -> HttpResponse:
    categories = page_reads.categories()
    # Control characters are no part of a question (and PostgreSQL refuses a null byte in any
    # text): each is read as a space, in the search and in the boxes that show it back.
    params = request.GET.copy()
    for name in ("q", "author"):
        typed = params.get(name)
        if typed is not None:
            params[name] = search.without_control_characters(typed)
    form = SearchForm(params, categories=categories)
    form.is_valid()  # every field is optional; an unknown category or order is ignored
    data = getattr(form, "cleaned_data", {})
    asked = "q" in params
    parsed = search.parse_query(params.get("q", ""))
    context: dict[str, object] = {
        "form": form,
        "asked": asked,
        "problem": None,
        "results": None,
        "header_search_text": params.get("q", ""),
    }
    if isinstance(parsed, search.QueryProblem):
        context["problem"] = parsed.value if asked else None
        return render(request, "forum/search.html", context)
    page, exact = requested_page(params.get("page"))
    if not exact:
        return redirect(_search_url(request, params, page))
    order = search.Order.NEWEST if data.get("order") == "newest" else search.Order.RELEVANCE
    found = search.search_posts(
        reader=request.user,
        query=parsed,
        category_slug=data.get("category", ""),
        author_username=data.get("author", "").strip(),
        order=order,
        page=page,
    )
    if found.page > found.page_count:
        return redirect(_search_url(request, params, found.page_count))
    context.update(
        results=found,
        query=parsed.text,
        filtered=bool(data.get("category") or data.get("author", "").strip()),
        previous_url=_search_url(request, params, found.page - 1) if found.page > 1 else "",
        next_url=(
            _search_url(request, params, found.page + 1) if found.page < found.page_count else ""
        ),
    )
    return render(request, "forum/search.html", context)
