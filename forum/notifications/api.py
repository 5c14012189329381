"""What the rest of the project calls to make members hear about things.

The forum's services and community import from here, never from the modules behind it, so
those can be recut without touching callers. Everything here writes rows in the caller's
transaction (or is a query expression) and tells Celery only after commit.
"""

from __future__ import annotations

from .fan_out import notify, notify_encouragement, schedule_fan_out
from .models import NotificationKind
from .subscriptions import auto_follow

__all__ = [
    "NotificationKind",
    "auto_follow",
    "notify",
    "notify_encouragement",
    "schedule_fan_out",
]
