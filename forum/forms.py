"""Forms for writing. Limits and refusals are explained kindly; what was typed is kept."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from . import content_warnings
from .content_warnings import NOTE_MAX, ContentWarning
from .models import Delivery, NotificationKind

TITLE_MIN, TITLE_MAX = 3, 150
BODY_MAX = 20_000
# Tabs and newlines are prose; other control characters only ever arrive by accident or attack.
# Says exactly what the renderer (forum.rendering) does, and why images are not shown.
BODY_HELP = (
    "Formatting that works: **bold**, *italics*, [a link](https://example.org), lists "
    "(start lines with - or 1.), > quotes, `code`, tables (| Day | Mood | rows), "
    "~~strikethrough~~, and web addresses, which become links by themselves. Images are not "
    "shown: ![description](address) becomes a link instead, because a picture loaded from "
    "another site would tell that site who is reading your post."
)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters(value: str, what: str) -> None:
    if CONTROL_RE.search(value):
        raise ValidationError(
            f"Your {what} contains invisible control characters (often from copying and "
            "pasting). Please remove them and try again: everything else you wrote is still here.",
            code="control_characters",
        )


class TitleField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Title",
            min_length=TITLE_MIN,
            max_length=TITLE_MAX,
            error_messages={
                "required": "Please give your topic a title.",
                "min_length": f"Please make the title at least {TITLE_MIN} characters.",
                "max_length": (
                    f"Titles can be up to {TITLE_MAX} characters "
                    "(yours has %(show_value)d). Could you shorten it a little?"
                ),
            },
            **kwargs,
        )
        # The browser's own limit would silently cut pasted text; the server explains instead.
        self.widget.attrs.pop("maxlength", None)

    def validate(self, value):
        super().validate(value)
        _refuse_control_characters(value, "title")


class BodyField(forms.CharField):
    def __init__(self, label: str = "Your story", **kwargs):
        super().__init__(
            label=label,
            max_length=BODY_MAX,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 10}),
            help_text=BODY_HELP,
            error_messages={
                "required": "Please write something before posting.",
                "max_length": (
                    f"Posts can be up to {BODY_MAX:,} characters (yours has %(show_value)d). "
                    "You could split it into two posts."
                ),
            },
            **kwargs,
        )
        self.widget.attrs.pop("maxlength", None)

    def clean(self, value):
        value = super().clean(value)
        if not value.strip():
            raise ValidationError(self.error_messages["required"], code="required")
        return value

    def validate(self, value):
        super().validate(value)
        _refuse_control_characters(value, "text")


class SubmissionTokenField(forms.UUIDField):
    """A token made when the form is rendered, so the same form sent twice writes one post
    (forum.services). Optional and forgiving: a missing or mangled token only means the
    submission is not recognised as a repeat, never that the member's words are refused."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.HiddenInput, initial=uuid.uuid4, **kwargs)

    # django-stubs gives UUIDField.to_python CharField's `str` return; Django returns a UUID.
    def to_python(self, value: Any) -> uuid.UUID | None:  # type: ignore[override]
        try:
            return super().to_python(value)
        except ValidationError:
            return None


# A starting shape for a story, never required: the member may fill, change or delete any of it.
STORY_TEMPLATE = "### Where I was\n\n\n### What helped\n\n\n### Where I am now\n\n"


def start_from_story_template(body: str) -> str:
    """The story template above whatever the member has already written (kept, never lost)."""
    if STORY_TEMPLATE.strip() in body:
        return body
    return STORY_TEMPLATE + body if body.strip() else STORY_TEMPLATE


class WarningNoteField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Anything else to mention (optional)",
            required=False,
            max_length=NOTE_MAX,
            help_text=f"A few words, up to {NOTE_MAX} characters, shown before your post.",
            error_messages={
                "max_length": (
                    f"The note can be up to {NOTE_MAX} characters (yours has %(show_value)d). "
                    "Could you shorten it a little?"
                )
            },
            **kwargs,
        )
        self.widget.attrs.pop("maxlength", None)

    def validate(self, value):
        super().validate(value)
        _refuse_control_characters(value, "note")


class ContentWarningFields(forms.Form):
    """The warnings an author marks a post with; `warning_flags` in cleaned_data is the
    bitmask forum.services stores."""

    warnings = forms.TypedMultipleChoiceField(
        label="Content warnings (optional)",
        choices=[(str(value), label) for value, label in ContentWarning.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Readers who prefer it will see your post folded behind these words.",
    )
    warning_note = WarningNoteField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["warning_flags"] = content_warnings.flags_of(cleaned.get("warnings") or [])
        cleaned["warning_note"] = (cleaned.get("warning_note") or "").strip()
        return cleaned


class TopicForm(ContentWarningFields):
    title = TitleField()
    body = BodyField()
    submission_token = SubmissionTokenField()
    field_order = ["title", "body", "warnings", "warning_note", "submission_token"]


class ReplyForm(ContentWarningFields):
    body = BodyField(label="Your reply")
    submission_token = SubmissionTokenField()
    field_order = ["body", "warnings", "warning_note", "submission_token"]


class PostWarningsForm(ContentWarningFields):
    """A moderator adds or changes a post's warnings; the log says why."""

    explanation = forms.CharField(
        label="Why (kept in the moderation log)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EditPostForm(ContentWarningFields):
    title = TitleField(required=False)
    body = BodyField(label="Your post")
    field_order = ["title", "body", "warnings", "warning_note"]

    def __init__(self, *args, with_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_title:
            self.fields["title"].required = True
        else:
            del self.fields["title"]


class NotificationPreferenceForm(forms.Form):
    """Per kind: email right away, in the daily digest, or never; and the excerpt opt-in."""

    include_excerpt = forms.BooleanField(
        label="Include a short excerpt of the post in emails",
        required=False,
        help_text=(
            "Off by default: without it, an email never says what anyone wrote, so it is safe "
            "to arrive in a shared inbox."
        ),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in kinds:
            # Alerts about at-risk posts cannot wait for tomorrow's digest.
            choices = [
                c
                for c in Delivery.choices
                if not (value == NotificationKind.MODERATOR_ALERT and c[0] == Delivery.DIGEST)
            ]
            field = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose how to hear about this."},
            )
            self.fields[value] = field
        # The excerpt choice reads best after the per-kind choices.
        self.order_fields([value for value, _ in kinds] + ["include_excerpt"])


class ContentWarningChoiceForm(forms.Form):
    """Per warning: show, fold behind a tap (the default), or hide from lists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in ContentWarning.choices:
            self.fields[f"warning_{value}"] = forms.ChoiceField(
                label=label,
                choices=content_warnings.Choice.choices,
                initial=content_warnings.Choice.FOLD,
                widget=forms.RadioSelect,
                error_messages={"required": "Please choose how to see posts with this warning."},
            )

    def choices(self) -> dict[int, str]:
        """The reader's choice per warning bit, once valid."""
        return {value: self.cleaned_data[f"warning_{value}"] for value in ContentWarning.values}
