"""Members asking moderators to look again at a decision about their own post."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from community.models import ModerationLog, Report, ReportReason
from forum.dispatch import publish_after_commit

from .errors import AlreadyReported, ModerationError
from .reports import FOLD_REPORT_TASK, NOTE_MAX


@transaction.atomic
def request_review(*, author: User, log: ModerationLog, note: str) -> Report:
    """The author's request to look again at a decision is in the queue, on the same item."""
    if log.target_user_id != author.pk or log.post_id is None:
        raise ModerationError("You can ask for a review of decisions about your own posts.")
    if not note.strip():
        raise ModerationError("Please tell us briefly why you'd like us to look again.")
    if len(note) > NOTE_MAX:
        raise ModerationError("Notes can be up to 1,000 characters.")
    # An appeal is a report by the author, so it reopens the post's one item in the queue.
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post_id=log.post_id, reporter=author, reason=ReportReason.APPEAL, note=note.strip()
            )
    except IntegrityError as error:
        raise AlreadyReported("You already asked for a review of this post.") from error
    publish_after_commit(FOLD_REPORT_TASK, report.pk)
    return report
