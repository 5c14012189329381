"""The safety plan form: one optional, plain-text box per section, each with a gentle prompt."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import SafetyPlan

SECTION_MAX = 3000

PROMPTS = {
    "warning_signs": (
        "The thoughts, feelings, situations or things you do that tell you a hard time may be "
        "starting. For example “I stop answering messages” or “I can't sleep”. One per line."
    ),
    "coping_on_my_own": (
        "Small things that help you feel a little steadier without anyone else: a walk, a "
        "shower, music, slow breathing, a favourite film."
    ),
    "distractions": (
        "People you like being around and places where you feel at ease, without needing to "
        "talk about how you feel: a friend, a café, a park, a meeting."
    ),
    "people_to_ask": (
        "Friends, family or others you could tell that you are struggling, and how to reach them."
    ),
    "professionals": (
        "Your counsellor, doctor, sponsor or peer worker, a crisis line, and their numbers. "
        "Your local emergency number belongs here too."
    ),
    "safer_surroundings": (
        "Ways to put things that could hurt you out of reach when things are hard, and who could "
        "help you with that."
    ),
    "reasons_for_living": (
        "The people, pets, hopes and plans that matter to you. One word is enough; so are many."
    ),
}


class SafetyPlanForm(forms.Form):
    """Every section may be left empty: a plan can grow a line at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field, heading in SafetyPlan.SECTIONS:
            self.fields[field] = forms.CharField(
                label=heading,
                required=False,
                max_length=SECTION_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=PROMPTS[field],
                error_messages={
                    "max_length": (
                        f"Each part of your plan can be up to {SECTION_MAX:,} characters (this "
                        "one has %(show_value)d). Could you keep the words that help most?"
                    ),
                },
            )
            # The browser's own limit would silently cut pasted text; the server explains.
            self.fields[field].widget.attrs.pop("maxlength", None)
