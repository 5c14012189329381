"""Care for the moderators: stepping away, with nothing left waiting on you."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.models import CareBreak, ReviewItem


@transaction.atomic
def hand_back_claims(*, moderator: User, now: datetime | None = None) -> CareBreak:
    """Every open item `moderator` had claimed is unclaimed, back in the queue for others (an
    at-risk one alerts the team again on its usual schedule), and the break is recorded with
    how many claims it handed back."""
    now = now or timezone.now()
    returned = (
        ReviewItem.objects.open()
        .filter(claimed_by=moderator)
        .update(claimed_by=None, claimed_at=None)
    )
    return CareBreak.objects.create(moderator=moderator, taken_at=now, claims_returned=returned)
