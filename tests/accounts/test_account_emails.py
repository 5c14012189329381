"""Account emails speak the site's voice: every allauth subject the project can send is
overridden in sentence case and names nobody; the bodies are calm and their times labelled."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string

from tests.accounts.test_signup import signup, verification_link

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PROJECT_TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Words that keep their capital inside a sentence-case subject.
PROPER = {"Lantern"}


def sendable_subjects() -> list[str]:
    """allauth's subject templates for every allauth app this project installs."""
    apps = {app.split(".")[-1] for app in settings.INSTALLED_APPS if app.startswith("allauth.")}
    return sorted(
        str(path.relative_to(ALLAUTH_TEMPLATES))
        for app in apps
        for path in (ALLAUTH_TEMPLATES / app).glob("email/*_subject.txt")
    )


def capitals_after_the_first_word(subject: str) -> list[str]:
    return [w for w in subject.split()[1:] if w[:1].isupper() and w not in PROPER]


def test_there_are_subjects_to_check():
    assert "account/email/email_confirmation_subject.txt" in sendable_subjects()
    assert "mfa/email/totp_activated_subject.txt" in sendable_subjects()


@pytest.mark.parametrize("name", sendable_subjects())
def test_every_subject_is_ours_in_sentence_case_and_names_nobody(name):
    ours = PROJECT_TEMPLATES / name
    assert ours.is_file(), f"{name} is allauth's own words; override it in templates/"
    # No variables at all: a subject never carries a member's name or address.
    assert "{" not in ours.read_text()
    subject = render_to_string(name).strip()
    assert subject[:1].isupper() and not subject.endswith(".")
    assert capitals_after_the_first_word(subject) == [], subject


def test_the_sentence_case_check_catches_allauths_words():
    assert capitals_after_the_first_word("Please Confirm Your Email Address")
    assert not capitals_after_the_first_word("Welcome to Lantern")


@pytest.mark.django_db
def test_the_confirmation_email_a_newcomer_gets(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    message = mail.outbox[0]
    assert message.subject == "Lantern: Confirm your email address to finish joining"
    assert "new_leaf" not in message.subject
    assert verification_link(message) in message.body
    assert "Hello from" not in message.body and "Thank you for using" not in message.body
    assert message.body.startswith("Hello,")


def test_a_change_notice_says_when_in_labelled_utc():
    body = render_to_string(
        "account/email/password_changed_message.txt",
        {
            "ip": "203.0.113.9",
            "user_agent": "Firefox",
            "timestamp": datetime(2026, 12, 1, 14, 5, tzinfo=UTC),
            "current_site": {"domain": "lantern.example"},
        },
    )
    assert "Your password has been changed." in body
    assert "When: 1 Dec 2026, 14:05 UTC" in body
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", body) is None
