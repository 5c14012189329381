"""Forms for milestones: a private counter, and a milestone shared as a new topic."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .forms import BodyField, SubmissionTokenField, TitleField, _refuse_control_characters

LABEL_MAX = 80


class LabelField(forms.CharField):
    def __init__(self, *, label: str, help_text: str, required_message: str) -> None:
        super().__init__(
            label=label,
            max_length=LABEL_MAX,
            help_text=help_text,
            error_messages={
                "required": required_message,
                "max_length": (
                    f"This can be up to {LABEL_MAX} characters (yours has %(show_value)d). "
                    "Could you shorten it a little?"
                ),
            },
        )
        self.widget.attrs.pop("maxlength", None)

    def validate(self, value: str) -> None:
        super().validate(value)
        _refuse_control_characters(value, "words")


class CounterForm(forms.Form):
    label = LabelField(
        label="What you are counting",
        help_text="For example “Days since my last drink” or “Days of taking my meds”. "
        "Only you can see your counters.",
        required_message="Please give your counter a name, so you know which one it is.",
    )
    started_on = forms.DateField(
        label="Counting from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The first day you count. Today is fine.",
        error_messages={
            "required": "Please choose the day you count from.",
            "invalid": "Please enter the date like 2026-03-31.",
        },
    )

    def clean_started_on(self) -> datetime.date:
        started_on = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise ValidationError(
                "That day has not come yet. Please choose today or a day before.",
                code="future",
            )
        return started_on


class ShareMilestoneForm(forms.Form):
    label = LabelField(
        label="Your milestone",
        help_text="A few words on the card in your post, for example “First therapy session” "
        "or “Back at work”.",
        required_message="Please say what your milestone is.",
    )
    title = TitleField()
    body = BodyField(label="A few words for the community")
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, in_topic: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A reply has no title of its own.
        if in_topic:
            del self.fields["title"]
