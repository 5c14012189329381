"""Volunteering for first replies, taking a waiting story, and the daily count to volunteers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import automatic_email, has_verified_email, queue_account_mail
from community.first_replies import can_answer_waiting_stories, count_waiting, waiting_stories
from community.models import StoryTake, WaitingStoriesDigest
from community.services.errors import TakeRefused
from forum.models import Topic

DIGEST_SUBJECT = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Stories waiting for a first reply"


def set_volunteering(*, member: User, volunteering: bool) -> None:
    """The member does (or no longer does) see waiting stories and the daily count."""
    User.objects.filter(pk=member.pk).update(first_reply_volunteer=volunteering)
    member.first_reply_volunteer = volunteering
    if not volunteering:
        # Letting go of the list lets go of what they held, so nobody waits on them.
        StoryTake.objects.filter(volunteer=member, expires_at__gt=timezone.now()).delete()


@transaction.atomic
def take_story(*, volunteer: User, topic: Topic, now: datetime | None = None) -> StoryTake:
    """The volunteer is writing the first reply: nobody else takes the story until the take
    expires. Taking one already theirs renews it."""
    now = now or timezone.now()
    if not can_answer_waiting_stories(volunteer):
        raise TakeRefused("Only volunteers and peer specialists can take a waiting story.")
    if not waiting_stories(reader=volunteer, now=now).filter(pk=topic.pk).exists():
        raise TakeRefused("This story has had a reply already, so it is no longer waiting.")
    expires = now + timedelta(minutes=settings.FIRST_REPLY_TAKE_MINUTES)
    # The row lock makes two volunteers pressing "Take" at once queue: the second sees the first.
    take = StoryTake.objects.select_for_update().filter(topic=topic).first()
    if take is not None and take.expires_at > now and take.volunteer_id != volunteer.pk:
        raise TakeRefused(
            "Another volunteer is writing a reply to this story. If they don't post within "
            f"{settings.FIRST_REPLY_TAKE_MINUTES} minutes, it comes back to the list."
        )
    if take is None:
        try:
            with transaction.atomic():
                return StoryTake.objects.create(
                    topic=topic, volunteer=volunteer, taken_at=now, expires_at=expires
                )
        except IntegrityError:
            raise TakeRefused(
                "Another volunteer took this story a moment ago. There are others waiting."
            ) from None
    take.volunteer = volunteer
    take.taken_at = now
    take.expires_at = expires
    take.save(update_fields=["volunteer", "taken_at", "expires_at"])
    return take


def release_story(*, volunteer: User, topic: Topic) -> bool:
    """The volunteer lets the story go back to the list; False when they did not hold it."""
    released, _ = StoryTake.objects.filter(
        topic=topic, volunteer=volunteer, expires_at__gt=timezone.now()
    ).delete()
    return bool(released)


def digest_recipients() -> list[User]:
    """Active volunteers with a verified address, who may answer right now."""
    volunteers = (
        User.objects.filter(first_reply_volunteer=True, is_active=True)
        .exclude(email="")
        .filter(has_verified_email())
        .order_by("pk")
    )
    return [member for member in volunteers if can_answer_waiting_stories(member)]


def _digest_message(*, recipient: User, waiting: int) -> EmailMultiAlternatives:
    context = {
        "waiting": waiting,
        "link": settings.SITE_URL + reverse("community:waiting_stories"),
        "settings_link": settings.SITE_URL + reverse("community:first_reply_settings"),
    }
    return automatic_email(
        to=recipient.email,
        subject=DIGEST_SUBJECT,
        template="community/email/waiting_stories",
        context=context,
    )


def tell_volunteers(*, now: datetime | None = None) -> int:
    """Every volunteer hears today how many stories wait (only when some do): a count and a
    link, never a title or a name. Returns how many were told; a second run the same day
    (UTC) tells nobody again."""
    now = now or timezone.now()
    waiting = count_waiting(now=now)
    if not waiting:
        return 0
    day = now.astimezone(UTC).date()
    told = 0
    for recipient in digest_recipients():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    WaitingStoriesDigest.objects.create(
                        recipient=recipient, day=day, waiting=waiting
                    )
            except IntegrityError:
                continue
            queue_account_mail(message=_digest_message(recipient=recipient, waiting=waiting))
            told += 1
    return told
