"""Runs in the app's environment (production settings): the fault suite's members and topics.

    python bench/faults/seed.py PHASES   -> prints JSON: member sessions, one topic per phase

Members are established (joined a year ago, past the first-post review, verified address) so
rate limits and review behave as for the members who write most. One topic per phase, each
followed by the same 20 members (emailed at once about replies), so every phase owes each
follower an email of its own.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta

import django


def main(phases: list[str]) -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from accounts.models import User
    from forum import services
    from forum.models import Category
    from forum.notifications.models import (
        Delivery,
        FanOutStatus,
        NotificationPreference,
        PostFanOut,
    )
    from forum.notifications.subscriptions import follow_topic

    joined = timezone.now() - timedelta(days=365)

    def member(name: str) -> User:
        user, _ = User.objects.get_or_create(
            username=name,
            defaults={
                "email": f"{name}@faults.invalid",
                "date_joined": joined,
                "guidelines_version": 1,
                "guidelines_accepted_at": joined,
                "approved_post_count": settings.NEW_MEMBER_REVIEW_POSTS,
            },
        )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return user

    def session(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save(must_create=True)
        return str(store.session_key)

    followers = [member(f"faults_follower_{i:02d}") for i in range(20)]
    # Followed replies go to the daily digest by default; these followers asked for them at once.
    for follower in followers:
        NotificationPreference.objects.update_or_create(
            user=follower, defaults={"followed_reply": Delivery.IMMEDIATE}
        )
    posters = [member(f"faults_member_{i:03d}") for i in range(100)]
    category = Category.objects.order_by("position", "pk").first()
    assert category is not None, "the seeded categories are missing"
    created = [
        services.create_topic(
            author=followers[0],
            category=category,
            title=f"Fault suite: {phase}",
            body="A place to check in this week.",
        )
        for phase in phases
    ]
    # Followers join once the opening posts' fan-out is done: an email about an opening post
    # would open the coalescing window and defer every email the phase itself should cause.
    deadline = time.monotonic() + 120
    while PostFanOut.objects.filter(post__topic__in=created, status=FanOutStatus.PENDING).exists():
        if time.monotonic() > deadline:
            raise SystemExit("seed: the opening posts' fan-out did not finish")
        time.sleep(0.5)
    topics = {}
    for phase, topic in zip(phases, created, strict=True):
        for follower in followers:
            follow_topic(user=follower, topic=topic)
        topics[phase] = {"topic": topic.pk, "opening_post": topic.posts.order_by("position")[0].pk}
    print(
        json.dumps(
            {
                "followers": [f.pk for f in followers],
                "posters": [{"id": p.pk, "session": session(p)} for p in posters],
                "follower_sessions": [session(f) for f in followers],
                "topics": topics,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
