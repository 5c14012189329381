from __future__ import annotations

from django import forms

from .models import User
from .usernames import validate_display_name


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

    def clean_display_name(self) -> str:
        value = self.cleaned_data["display_name"].strip()
        if value:
            validate_display_name(value)
        return value
