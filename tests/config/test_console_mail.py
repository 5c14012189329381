"""Mail on the console under `make run`: one readable block per email, links whole."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives

from config.console_mail import RULE, readable
from forum.models import EmailOutbox, OutboxStatus
from tests.factories import UserFactory, make_reply, make_topic

MIME_MARKS = ("Content-Type", "Content-Transfer-Encoding", "MIME-Version", "=3D", "=\n")


def console() -> tuple[mail.backends.base.BaseEmailBackend, io.StringIO]:
    stream = io.StringIO()
    return mail.get_connection("config.console_mail.EmailBackend", stream=stream), stream


@pytest.mark.django_db
def test_a_notification_email_prints_as_one_block_with_links_on_the_served_port(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "config.console_mail.EmailBackend"
    settings.SITE_URL = "http://127.0.0.1:8123"
    author = UserFactory(email="author@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(author=author)
    capsys.readouterr()
    with django_capture_on_commit_callbacks(execute=True):
        reply = make_reply(topic=topic)

    assert EmailOutbox.objects.get(recipient=author).status == OutboxStatus.SENT
    printed = capsys.readouterr().out
    start = printed.index("To: author@example.test")
    block = printed[printed.rindex(RULE, 0, start) : printed.index(RULE, start) + len(RULE)]
    assert block.startswith(RULE + "\nTo: author@example.test\n")
    assert "\nSubject: You have new activity on Lantern\n" in block
    assert "A new reply to a topic you started" in block
    # Each link whole on its own line, on the port being served.
    assert f"\nhttp://127.0.0.1:8123/p/{reply.pk}/\n" in block
    assert re.search(r"http://127\.0\.0\.1:8123/notifications/unsubscribe/\S+/\n", block)
    assert "(This email has an HTML part too, not shown here.)" in block
    for mark in MIME_MARKS:
        assert mark not in block


def test_text_is_printed_as_written_not_encoded():
    link = "http://127.0.0.1:8001/accounts/confirm-email/" + "k" * 90 + "/"
    message = EmailMultiAlternatives(
        subject="Lantern: Please confirm your email address",
        body=f"Café au lait, naïve résumé.\n\nTo confirm, open {link}\n",
        from_email="Lantern <no-reply@lantern.invalid>",
        to=["river@example.test"],
        cc=["harbor@example.test"],
    )
    message.attach_alternative("<p>Café</p>", "text/html")
    message.attach("plan.txt", "steps", "text/plain")
    connection, stream = console()
    assert connection.send_messages([message]) == 1
    printed = stream.getvalue()
    assert "Café au lait, naïve résumé." in printed
    assert f"To confirm, open {link}\n" in printed
    assert "Cc: harbor@example.test" in printed
    assert "(Attached: plan.txt)" in printed
    for mark in MIME_MARKS:
        assert mark not in printed
    # Django's own console backend would have encoded it.
    plain = io.StringIO()
    django_console = mail.get_connection(
        "django.core.mail.backends.console.EmailBackend", stream=plain
    )
    django_console.send_messages([message])
    assert "Content-Transfer-Encoding" in plain.getvalue()


def test_a_text_only_email_says_it_has_no_html_part():
    message = EmailMessage(subject="Hello", body="Just text.", to=["dawn@example.test"])
    block = readable(message)
    assert "Just text.\n" in block
    assert "(No HTML part.)" in block
    assert "HTML part too" not in block


def test_a_bad_header_fails_as_it_would_over_smtp():
    message = EmailMessage(subject="Two\nlines", body="x", to=["dawn@example.test"])
    connection, stream = console()
    with pytest.raises(ValueError):
        connection.send_messages([message])
    assert stream.getvalue() == ""
