"""Secrets that travel in URLs never reach a log line.

One-click unsubscribe links carry a signed token valid for 90 days (forum.notifications), and
allauth's email confirmation and password reset links carry keys: anyone who reads a log line
with one can use it. Every log line the project writes or configures passes through MaskTokens:
Django's loggers (LOGGING in config/settings/base.py) and gunicorn's access and error logs
(MaskingGunicornLogger, named in config/gunicorn.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

MASK = "[masked]"
# The path segment after each prefix is the secret. The prefixes are the routes in
# forum/notifications/urls.py and allauth.account.urls; tests/config/test_log_masking.py
# reverses the real routes, so a renamed route fails the tests rather than leaks.
SECRET_SEGMENT = re.compile(
    r"(/notifications/unsubscribe/|/accounts/confirm-email/|/accounts/password/reset/key/)"
    r"[^/?#\s\"']+"
)


def mask(text: str) -> str:
    """`text` with every URL secret replaced by [masked]."""
    return SECRET_SEGMENT.sub(lambda match: match.group(1) + MASK, text)


def _secrets(*texts: str) -> set[str]:
    # A signed token is value:timestamp:signature, and an exception about it may quote one
    # part alone (BadSignature quotes the signature), so each long part is a secret too.
    found: set[str] = set()
    for text in texts:
        for match in SECRET_SEGMENT.finditer(text):
            secret = match.group(0)[len(match.group(1)) :]
            found.add(secret)
            found.update(part for part in secret.replace("-", ":").split(":") if len(part) >= 6)
    return found


class MaskTokens(logging.Filter):
    """Rewrites each record with URL secrets masked, in its message and traceback alike."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        request = getattr(record, "request", None)
        path = getattr(request, "path", "") or ""
        secrets = _secrets(message, str(path))
        if not secrets:
            return True
        for secret in sorted(secrets, key=len, reverse=True):
            message = message.replace(secret, MASK)
        record.msg = mask(message)
        record.args = None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in sorted(secrets, key=len, reverse=True):
                text = text.replace(secret, MASK)
            record.exc_text = text
        return True


class MaskingGunicornLogger(Logger):
    """gunicorn's logger, with URL secrets masked in the access and error logs."""

    def __init__(self, cfg: Any) -> None:
        super().__init__(cfg)
        self.error_log.addFilter(MaskTokens())
        self.access_log.addFilter(MaskTokens())
