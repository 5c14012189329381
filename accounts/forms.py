from __future__ import annotations

from django import forms

from .models import User
from .usernames import validate_display_name, validate_distinct_name


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "pronouns", "bio"]
        labels = {
            "display_name": "Display name (optional)",
            "pronouns": "Pronouns (optional)",
            "bio": "A few words about you (optional)",
        }
        help_texts = {
            "display_name": "Shown next to your posts instead of your username.",
            "bio": "Up to 500 characters. Share only what you are comfortable with.",
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
