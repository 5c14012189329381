"""Forms for private conversations with the moderation team. Every field is labelled."""

from __future__ import annotations

from django import forms

from .services.conversations import MESSAGE_MAX

# Starting texts a moderator or peer specialist may pick and then change: (label, text).
CHECK_IN_STARTERS: list[tuple[str, str]] = [
    (
        "Checking in",
        "Hi, I read your post and wanted to check in. How are you doing today? There's no "
        "pressure to reply, but I'm here if you'd like to talk.",
    ),
    (
        "Thank you for sharing",
        "Thank you for sharing what you're going through; it took courage. If things feel "
        "heavy right now, you don't have to carry them alone. You can reply here, privately.",
    ),
    (
        "Things sound hard",
        "It sounds like things are really hard at the moment, and I'm glad you're here. Would "
        "it help to talk about what's going on, or about what has helped you before?",
    ),
]


def _message_field(label: str, help_text: str) -> forms.CharField:
    field = forms.CharField(
        label=label,
        max_length=MESSAGE_MAX,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Please write a message first.",
            "max_length": (
                f"Messages can be up to {MESSAGE_MAX:,} characters (yours has %(show_value)d). "
                "Could you shorten it a little, or send it in two parts?"
            ),
        },
    )
    # The server explains the limit instead of the browser silently cutting pasted text.
    field.widget.attrs.pop("maxlength", None)
    return field


class MessageTeamForm(forms.Form):
    body = _message_field(
        "Your message",
        "Only you and the moderation team can read this. Moderators will answer here.",
    )


class ReplyForm(forms.Form):
    body = _message_field("Your reply", "Only the member and the moderation team can read this.")


class CheckInForm(forms.Form):
    body = _message_field(
        "Your message",
        "Only the member and the moderation team can read it. Their email says only that a "
        "message is waiting.",
    )
    include_crisis_resources = forms.BooleanField(
        label="Include the crisis resources (shown as links with the conversation)",
        required=False,
    )
