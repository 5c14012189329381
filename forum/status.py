"""Where a topic or post stands. Its own module so querysets and models share it."""

from django.db import models


class Status(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Waiting for a moderator"
    HIDDEN = "hidden", "Hidden while moderators take a look"
    REMOVED = "removed", "Removed by a moderator"
    DELETED = "deleted", "Removed by its author"
