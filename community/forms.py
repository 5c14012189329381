"""The guidelines checkbox allauth adds to its signup form (see ACCOUNT_SIGNUP_FORM_CLASS)."""

from __future__ import annotations

from django import forms
from django.utils.safestring import mark_safe

from accounts import services as account_services

from .selectors import current_guidelines


class GuidelinesSignupForm(forms.Form):
    accept_guidelines = forms.BooleanField(
        required=True,
        label=mark_safe('I have read the <a href="/guidelines/">community guidelines</a>'),
        error_messages={
            "required": (
                "Please read the community guidelines and tick the box: they are how we keep "
                "this space kind and safe."
            )
        },
    )

    def signup(self, request, user) -> None:
        guidelines = current_guidelines()
        if guidelines is not None:
            account_services.record_guidelines_acceptance(user=user, version=guidelines.version)
