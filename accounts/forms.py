from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse

from .models import User
from .usernames import validate_display_name, validate_distinct_name


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "pronouns", "bio", "region"]
        labels = {
            "display_name": "Display name (optional)",
            "pronouns": "Pronouns (optional)",
            "bio": "A few words about you (optional)",
            "region": "Where you are (optional)",
        }
        help_texts = {
            "display_name": "Shown next to your posts instead of your username.",
            "bio": "Up to 500 characters. Share only what you are comfortable with.",
            "region": "Only you see this. “Need help now?” shows the services nearest you "
            "first. If you leave it empty, we go by your browser's language settings.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500})}

    def __init__(self, *args, disabled: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def clean_display_name(self) -> str:
        value = self.cleaned_data["display_name"].strip()
        if value:
            validate_display_name(value)
            validate_distinct_name(value, others=User.objects.exclude(pk=self.instance.pk))
        return value


class SignupForm(AllauthSignupForm):
    """allauth's signup form, doing the same work for a known email as for a new one."""

    def try_save(self, request: HttpRequest) -> tuple[AbstractBaseUser | None, HttpResponse | None]:
        if self.account_already_exists:
            # A new account's password is hashed (Argon2, the slow part of signing up); hashing
            # this one too, and throwing it away, keeps the answer's timing from telling that
            # the address already has an account. Its owner is told by email instead.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
