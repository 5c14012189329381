"""Forms for the moderator rota: weekly hours in one's own time zone, and "on duty now"."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Weekday
from .rota import time_zone_names
from .services.duty import DEFAULT_ON_DUTY_HOURS

ON_DUTY_HOURS = [(1, "1 hour"), (2, "2 hours"), (4, "4 hours"), (8, "8 hours"), (12, "12 hours")]


class RotaForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label="Days your shift starts",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every day unticked if you have no regular hours.",
    )
    starts = forms.TimeField(
        label="From",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Please write a time like 09:00 or 21:30."},
    )
    ends = forms.TimeField(
        label="To",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="A time at or before “From” means the shift runs past midnight.",
        error_messages={"invalid": "Please write a time like 17:00 or 02:00."},
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Your hours are read on the clock where you are, summer time included.",
        error_messages={"invalid_choice": "Please choose your time zone from the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = time_zone_names()
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name.replace("_", " ")) for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("days"):
            if data.get("starts") is None and "starts" not in self.errors:
                self.add_error("starts", "Please choose the time your shift starts.")
            if data.get("ends") is None and "ends" not in self.errors:
                self.add_error("ends", "Please choose the time your shift ends.")
        return data


class OnDutyForm(forms.Form):
    hours = forms.TypedChoiceField(
        label="For how long?",
        choices=ON_DUTY_HOURS,
        coerce=int,
        initial=DEFAULT_ON_DUTY_HOURS,
        error_messages={"invalid_choice": "Please choose how long you will be on duty."},
    )
