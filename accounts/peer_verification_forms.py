"""The form a member fills in to ask to be verified as a Certified Peer Specialist."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone


class PeerVerificationForm(forms.Form):
    issuing_body = forms.CharField(
        label="Issuing state or certification body",
        max_length=120,
        help_text="As it is written on your certificate, for example “Pennsylvania "
        "Certification Board”. Once you are verified, your badge names it.",
        error_messages={"required": "Please enter the state or body that issued your certificate."},
    )
    certificate_number = forms.CharField(
        label="Certificate number",
        max_length=60,
        help_text="Only Lantern's admins see it, to check your certificate.",
        error_messages={"required": "Please enter the number on your certificate."},
    )
    expires_on = forms.DateField(
        label="Expiry date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Only admins see it. Your badge shows until this date, and we remind you "
        "30 days before it.",
        error_messages={
            "required": "Please enter the expiry date on your certificate.",
            "invalid": "Please enter the date as year-month-day, for example 2027-03-01.",
        },
    )

    def clean_expires_on(self) -> date:
        expires_on: date = self.cleaned_data["expires_on"]
        if expires_on <= timezone.localdate():
            raise forms.ValidationError(
                "The expiry date needs to be after today. If your certificate has expired, "
                "you can ask again once it is renewed."
            )
        return expires_on
