"""Mail under `make run`: each email printed on the console as one block a person can read.

Django's console backend prints the whole MIME message: headers, boundaries, and the text and
HTML parts encoded as quoted-printable, so the link to confirm an address is broken across
lines and `=`-escaped. This one prints who it is to, the subject, the text part as written
(links whole, ready to open) and one line saying whether an HTML part went with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.mime.base import MIMEBase

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends import console

RULE = "-" * 79


def _attachment_name(attachment: object) -> str:
    if isinstance(attachment, MIMEBase):
        return attachment.get_filename() or attachment.get_content_type()
    if isinstance(attachment, Sequence) and attachment:
        # EmailAttachment(filename, content, mimetype); the filename may be None.
        return str(attachment[0] or (attachment[2] if len(attachment) > 2 else "attachment"))
    return "attachment"


def readable(message: EmailMessage) -> str:
    """The block printed for `message`: headers a person needs, the text part, what else came."""
    lines = [RULE, f"To: {', '.join(message.to)}"]
    if message.cc:
        lines.append(f"Cc: {', '.join(message.cc)}")
    if message.bcc:
        lines.append(f"Bcc: {', '.join(message.bcc)}")
    if message.reply_to:
        lines.append(f"Reply-To: {', '.join(message.reply_to)}")
    lines += [f"From: {message.from_email}", f"Subject: {message.subject}", ""]
    alternatives = message.alternatives if isinstance(message, EmailMultiAlternatives) else []
    html_parts = [part for part in alternatives if part[1] == "text/html"]
    if message.content_subtype == "html":
        lines += ["This email has no plain-text part. Its HTML:", ""]
    lines.append(str(message.body).rstrip("\n"))
    lines.append("")
    if html_parts:
        lines.append("(This email has an HTML part too, not shown here.)")
    else:
        lines.append("(No HTML part.)")
    for attachment in message.attachments:
        lines.append(f"(Attached: {_attachment_name(attachment)})")
    lines.append(RULE)
    return "\n".join(lines) + "\n"


class EmailBackend(console.EmailBackend):
    """Prints each email as one readable block (To, Subject, text part, whether HTML came)."""

    def write_message(self, message: EmailMessage) -> None:
        # Built as for a real send, so a bad header fails here exactly as it would over SMTP.
        message.message()
        self.stream.write(readable(message))
