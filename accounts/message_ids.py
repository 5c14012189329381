"""Message-IDs that stay the same when an email is sent again.

SMTP cannot rule out sending an email twice: if the sender dies (or its connection does) after
the mail server has taken the whole message but before the server's "250" reaches it, the
message is delivered and yet, as far as the sender can tell, not sent (RFC 1047). Lantern then
sends it again rather than risk losing it. Every attempt at one email carries the same
Message-ID, derived from the rows it tells about, so the member's mail system can recognise the
second copy as the same message (most mailboxes show it once). A different set of rows is a
different email, with its own Message-ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import salted_hmac


def stable_message_id(*, kind: str, ids: Iterable[int]) -> str:
    """The Message-ID of the email about rows `ids` of `kind`; the same on every attempt.

    Keyed with SECRET_KEY, so it reveals neither row ids nor how many emails the site sends."""
    key = f"{kind}:{','.join(str(pk) for pk in sorted(set(ids)))}"
    digest = salted_hmac("lantern.message-id", key).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "lantern.invalid"
    return f"<{digest}@{domain}>"
