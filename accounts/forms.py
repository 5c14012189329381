from __future__ import annotations

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
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


PSEUDONYM_HINT = (
    "Choose a pseudonym: other members see it next to everything you post, so make it "
    "something that is not your real name and does not look like an email address."
)
RETYPE_PASSWORD = (
    "Please type your password again: we never send a password back to the page, so this "
    "box is empty."
)

# allauth's labels are title-cased; the site speaks in sentence case.
SENTENCE_CASE_LABELS = {
    "remember": "Keep me logged in on this device",
    "oldpassword": "Current password",
    "password1": "New password",
    "password2": "New password (again)",
}


def _relabel(form: forms.Form, names: tuple[str, ...]) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].label = SENTENCE_CASE_LABELS[name]


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, ("remember",))


class ChangePasswordForm(AllauthChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, ("oldpassword", "password1", "password2"))


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, ("password1", "password2"))


class SignupForm(AllauthSignupForm):
    """allauth's signup form, doing the same work for a known email as for a new one.

    The pseudonym advice is shown before anyone types, and a form that comes back with errors
    says beside both password boxes that they are empty on purpose and need typing again.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = PSEUDONYM_HINT
        # The guidelines box (from ACCOUNT_SIGNUP_FORM_CLASS) comes last, just before the button.
        self.order_fields([name for name in self.fields if name != "accept_guidelines"])

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not self.errors:
            return
        for name in ("password1", "password2"):
            if name in self.fields and RETYPE_PASSWORD not in self.errors.get(name, []):
                self.add_error(name, RETYPE_PASSWORD)

    def try_save(self, request: HttpRequest) -> tuple[AbstractBaseUser | None, HttpResponse | None]:
        if self.account_already_exists:
            # A new account's password is hashed (Argon2, the slow part of signing up); hashing
            # this one too, and throwing it away, keeps the answer's timing from telling that
            # the address already has an account. Its owner is told by email instead.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class DeleteAccountForm(forms.Form):
    """The member's password again, and what becomes of their posts."""

    KEEP = "keep"
    ERASE = "erase"
    posts = forms.ChoiceField(
        label="Your posts",
        choices=[
            (KEEP, "Keep my posts, signed “a former member”"),
            (ERASE, "Erase my posts: each one says it was removed by its author when they left"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what happens to your posts."},
    )
    password = forms.CharField(
        label="Your password",
        help_text="To be sure it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Please enter your password."},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password doesn't match. Please try again.")
        return password
