"""One-click unsubscribe: signed, dated tokens in every email that turn one kind of email off.

The token is the authority, not a session: mail clients send the one-click POST (RFC 8058)
without cookies, so the signature is what proves the link came from us.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction

from accounts.models import User

from .models import Delivery, NotificationKind, NotificationPreference
from .preferences import reroute_pending

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"
DIGEST_TOKEN_KIND = "digest"
# Urgent alerts are never turned off by a link: a moderator sets when they are on duty instead.
UNSUBSCRIBABLE = frozenset(
    {*NotificationKind.values, DIGEST_TOKEN_KIND} - {NotificationKind.URGENT_ALERT.value}
)


class BadUnsubscribeLink(Exception):
    """The link was altered, is too old, or names something that does not exist."""


def unsubscribe_token(*, user: User, kind: str) -> str:
    """A signed, dated token that turns off `kind` emails (or "digest") for `user`."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The member and kind a token names; raises BadUnsubscribeLink for anything else."""
    try:
        data = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=settings.UNSUBSCRIBE_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise BadUnsubscribeLink("This unsubscribe link has expired.") from error
    except signing.BadSignature as error:
        raise BadUnsubscribeLink("This unsubscribe link isn't valid.") from error
    kind = data.get("k") if isinstance(data, dict) else None
    if kind not in UNSUBSCRIBABLE:
        raise BadUnsubscribeLink("This unsubscribe link isn't valid.")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise BadUnsubscribeLink("This unsubscribe link isn't valid.")
    return user, kind


def unsubscribe_label(kind: str) -> str:
    if kind == DIGEST_TOKEN_KIND:
        return "the daily digest"
    return NotificationKind(kind).label.lower()


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """The member a valid token names gets no more emails of its kind; nothing else changes."""
    user, kind = read_unsubscribe_token(token)
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    if kind == DIGEST_TOKEN_KIND:
        for name in UNSUBSCRIBABLE - {DIGEST_TOKEN_KIND}:
            if getattr(preference, name) == Delivery.DIGEST:
                setattr(preference, name, Delivery.NEVER)
    else:
        setattr(preference, kind, Delivery.NEVER)
    preference.save()
    reroute_pending(user=user, preference=preference)
    return user, kind
