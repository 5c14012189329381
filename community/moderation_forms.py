"""Forms for reporting posts and for moderators' decisions. Every field is labelled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone

from forum.forms import BodyField

from .models import MEMBER_REPORT_REASONS, MODERATOR_REASONS, ModerationAction

NOTE_MAX = 1000
DURATIONS = [("24h", "24 hours"), ("7d", "7 days"), ("custom", "Until a time I choose")]
DURATION_DELTAS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
SANCTIONS = (ModerationAction.MUTE, ModerationAction.SUSPEND)


def _note_field(label: str, *, required: bool, help_text: str = "") -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={
            "required": "Please write a few words.",
            "max_length": (
                f"This can be up to {NOTE_MAX:,} characters (yours has %(show_value)d). "
                "Could you shorten it a little?"
            ),
        },
    )
    # The server explains the limit instead of the browser silently cutting pasted text.
    field.widget.attrs.pop("maxlength", None)
    return field


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this post?",
        choices=MEMBER_REPORT_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose the reason closest to what you noticed."},
    )
    note = _note_field(
        "Anything moderators should know? (optional)",
        required=False,
        help_text="Only moderators read this. The author never learns who reported.",
    )


class ReviewRequestForm(forms.Form):
    note = _note_field(
        "Why would you like us to look again?",
        required=True,
        help_text="A different moderator will read this with the decision.",
    )


class DecisionFields(forms.Form):
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose the guideline concerned"), *MODERATOR_REASONS],
        error_messages={"required": "Please choose the reason, naming the guideline concerned."},
    )
    explanation = _note_field(
        "Explanation for the member",
        required=True,
        help_text="Kind and specific: the member reads this, and it is kept in the log.",
    )


class ModerationActionForm(DecisionFields):
    action = forms.ChoiceField(
        label="Action",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what to do."},
    )
    duration = forms.ChoiceField(
        label="For how long (mute or suspend)",
        choices=DURATIONS,
        widget=forms.RadioSelect,
        required=False,
    )
    until = forms.DateTimeField(
        label="Until (when you choose the time, UTC)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    field_order = ["action", "reason", "explanation", "duration", "until"]

    def __init__(self, *args: Any, actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields is typed as plain Fields; "action" is the ChoiceField declared above.
        cast(forms.ChoiceField, self.fields["action"]).choices = actions

    def clean(self) -> dict[str, Any]:
        # Form.clean() is typed as maybe returning None (an override may); the data it checks
        # is always self.cleaned_data, so read that.
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("action") not in SANCTIONS:
            cleaned["until"] = None
            return cleaned
        duration = cleaned.get("duration")
        if duration in DURATION_DELTAS:
            cleaned["until"] = timezone.now() + DURATION_DELTAS[duration]
        elif duration == "custom":
            until = cleaned.get("until")
            if until is None:
                self.add_error("until", "Please choose when it ends.")
            elif until <= timezone.now():
                self.add_error("until", "Please choose a time in the future.")
        else:
            self.add_error("duration", "Please choose how long the mute or suspension lasts.")
        return cleaned


class ModeratorEditForm(DecisionFields):
    body = BodyField(label="New text of the post")
    field_order = ["body", "reason", "explanation"]


class LiftSanctionForm(DecisionFields):
    pass
