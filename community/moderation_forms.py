"""Forms for reporting posts and for moderators' decisions. Every field is labelled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from forum.forms import BodyField

from .models import MEMBER_REPORT_REASONS, MODERATOR_REASONS, ModerationAction, ModerationReason

NOTE_MAX = 1000
DURATIONS = [("24h", "24 hours"), ("7d", "7 days"), ("custom", "Until a time I choose")]
DURATION_DELTAS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
SANCTIONS = (ModerationAction.MUTE, ModerationAction.SUSPEND)
# Actions whose message to the member is good news alone: no explanation needed.
QUIET_ACTIONS = (ModerationAction.APPROVE, ModerationAction.KEEP)


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
    """The decision on a review item. Approve and keep need no explanation (nothing is wrong,
    the member reads only good news); every other action explains itself to the member, from
    the admins' template for its reason when there is one. A sanction's end is a local date
    and time in the moderator's zone."""

    action = forms.ChoiceField(
        label="Action",
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what to do."},
    )
    duration = forms.ChoiceField(
        label="For how long",
        choices=DURATIONS,
        widget=forms.RadioSelect,
        required=False,
    )
    until = forms.DateTimeField(
        label="Until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    field_order = ["action", "reason", "explanation", "duration", "until"]

    def __init__(
        self,
        *args: Any,
        actions: list[tuple[str, str]],
        zone: ZoneInfo | None = None,
        templates: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone or ZoneInfo("UTC")
        self.templates = templates or {}
        # self.fields is typed as plain Fields; "action" is the ChoiceField declared above.
        cast(forms.ChoiceField, self.fields["action"]).choices = actions
        self.fields["reason"].required = False
        self.fields["explanation"].required = False
        self.fields["explanation"].help_text = (
            "Kind and specific: the member reads this, and it is kept in the log. Approve "
            "and keep need none."
        )
        self.fields["until"].label = f"Until (your time, {self.zone.key})"
        self.fields["until"].help_text = "Only when you choose the time yourself."

    def clean(self) -> dict[str, Any]:
        # Form.clean() is typed as maybe returning None (an override may); the data it checks
        # is always self.cleaned_data, so read that.
        super().clean()
        cleaned = self.cleaned_data
        action = cleaned.get("action")
        if action is None:
            return cleaned
        self._clean_words(cleaned, action)
        if action not in SANCTIONS:
            cleaned["until"] = None
            return cleaned
        duration = cleaned.get("duration")
        if duration in DURATION_DELTAS:
            cleaned["until"] = timezone.now() + DURATION_DELTAS[duration]
        elif duration == "custom":
            until = cleaned.get("until")
            if until is None:
                self.add_error("until", "Please choose when it ends.")
                return cleaned
            # The browser sends a wall-clock time; it is the moderator's, not the server's.
            wall = timezone.make_naive(until, timezone.get_current_timezone())
            cleaned["until"] = timezone.make_aware(wall, self.zone)
            if cleaned["until"] <= timezone.now():
                self.add_error("until", "Please choose a time in the future.")
        else:
            self.add_error("duration", "Please choose how long the mute or suspension lasts.")
        return cleaned

    def _clean_words(self, cleaned: dict[str, Any], action: str) -> None:
        if action in QUIET_ACTIONS:
            # Good news names no guideline: "within the guidelines" unless another is chosen.
            cleaned["reason"] = cleaned.get("reason") or ModerationReason.WITHIN_GUIDELINES
            return
        reason = cleaned.get("reason")
        if not reason:
            self.add_error("reason", "Please choose the reason, naming the guideline concerned.")
            return
        if cleaned.get("explanation", "").strip():
            return
        template = self.templates.get(f"{action}:{reason}", "")
        if template:
            # Shown filled in, never sent unread: the moderator reads it and applies again.
            self.data = {**dict(self.data.items()), "explanation": template}
            self.add_error(
                "explanation",
                "We filled in the usual words for this reason. Please read them, change "
                "anything that doesn't fit this member, then apply again.",
            )
        else:
            self.add_error("explanation", "Please write a few words: the member reads them.")


class ModeratorEditForm(DecisionFields):
    body = BodyField(label="New text of the post")
    field_order = ["body", "reason", "explanation"]


class LiftSanctionForm(DecisionFields):
    pass


class _ItemIdsField(forms.TypedMultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        # An item decided since the page was read is skipped and reported by the service,
        # not refused as an invalid choice with the rest of the ticks lost.
        return str(value).isascii() and str(value).isdigit()


class BulkApprovalForm(forms.Form):
    """Approve several new members' posts at once, after reading each: one reason for all."""

    items = _ItemIdsField(
        label="Posts to approve",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Please tick the posts you read and want to publish."},
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=MODERATOR_REASONS,
        initial=ModerationReason.WITHIN_GUIDELINES,
    )
    explanation = _note_field(
        "A word for each member (optional)",
        required=False,
        help_text="Each member whose post you approve reads this after the welcome message.",
    )

    def __init__(self, *args: Any, item_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["items"]).choices = [
            (pk, str(pk)) for pk in item_ids
        ]
