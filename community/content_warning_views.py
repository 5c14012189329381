"""A moderator adds or changes a post's content warnings (community.services.content_warnings)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.http import AuthenticatedRequest
from forum import content_warnings
from forum.forms import PostWarningsForm
from forum.models import Post

from . import services
from .views import moderator_required


@moderator_required
def post_warnings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(
        Post.objects.open_to(request.user).select_related("topic", "author"), pk=pk
    )
    initial = {
        "warnings": content_warnings.values_of(post.warning_flags),
        "warning_note": post.warning_note,
    }
    form = PostWarningsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            log = services.set_post_warnings(
                moderator=request.user,
                post=post,
                warning_flags=form.cleaned_data["warning_flags"],
                warning_note=form.cleaned_data["warning_note"],
                explanation=form.cleaned_data["explanation"],
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The content warnings are changed, and the moderation log says so."
                if log is not None
                else "Nothing changed: the post already had these warnings.",
            )
            return redirect(post)
    return render(request, "community/moderation/post_warnings.html", {"post": post, "form": form})
