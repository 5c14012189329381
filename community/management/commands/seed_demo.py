"""Demo accounts and stories for `make run`. Refuses to run outside the local settings."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import profile_version
from accounts.models import CredentialStatus, PeerCredential, Role, User
from forum import services as forum_services
from forum.models import Category, ReactionKind, Topic

DEMO_PASSWORD = "lantern-demo-2026"
DEMO_CERTIFYING_BODY = "Pennsylvania Certification Board"
DEMO_ACCOUNTS = [
    # username, email, role, display name, bio
    ("quiet_river", "river@demo.lantern.test", Role.MEMBER, "River", "Two years of small steps."),
    (
        "harbor_light",
        "harbor@demo.lantern.test",
        Role.PEER_SPECIALIST,
        "Harbor",
        "Certified Peer Specialist. Eleven years in recovery.",
    ),
    ("steady_oak", "oak@demo.lantern.test", Role.MODERATOR, "Oak", "Moderator. Here to listen."),
    ("new_dawn", "dawn@demo.lantern.test", Role.MEMBER, "", "Just finding my feet."),
]

STORIES = [
    (
        "introductions",
        "new_dawn",
        "Hello from someone on day 12",
        "Hi everyone. I'm on day 12 and a friend told me about this place.\n\n"
        "I don't really know what to say yet, but I wanted to say hello.",
        [("quiet_river", "Welcome! Day 12 is huge. I remember mine. **You belong here.**")],
    ),
    (
        "recovery-stories",
        "quiet_river",
        "What the first year actually looked like",
        "When I started, I thought recovery would be a straight line. It wasn't.\n\n"
        "What helped me:\n\n"
        "- a morning walk, even a short one\n"
        "- writing down one thing that went okay each day\n"
        "- a peer group that met on Thursdays\n\n"
        "> Progress, not perfection.\n\n"
        "I had hard weeks. I'm still here, and that matters.",
        [
            (
                "harbor_light",
                "Thank you for writing this. The *one thing that went okay* habit helped me "
                "too, and it's something I share with people I support.",
            ),
            ("new_dawn", "This gives me hope. Thank you."),
        ],
    ),
    (
        "encouragement",
        "quiet_river",
        "Made the phone call I'd been avoiding",
        "Small win: I finally called to book the appointment. My hands were shaking but I did it.",
        [("steady_oak", "That takes real courage. Proud of you.")],
    ),
    (
        "peer-specialists",
        "harbor_light",
        "Listening before advising: what I've learned",
        "In peer work the most useful sentence I know is *what helped me was...*.\n\n"
        "It leaves room for the other person's road.",
        [],
    ),
]


class Command(BaseCommand):
    help = "Load demo accounts and stories (local development only). Safe to run twice."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is only loaded with the local settings (make run).")
        with transaction.atomic():
            users = {row[0]: self._account(*row) for row in DEMO_ACCOUNTS}
            self._certify(users["harbor_light"])
            created = 0
            for slug, author, title, body, replies in STORIES:
                if Topic.objects.filter(title=title, author=users[author]).exists():
                    continue
                category = Category.objects.get(slug=slug)
                topic = forum_services.create_topic(
                    author=users[author], category=category, title=title, body=body
                )
                for replier, text in replies:
                    post = forum_services.create_reply(
                        author=users[replier], topic=topic, body=text
                    )
                    forum_services.set_reaction(
                        user=users[author], post=post, kind=ReactionKind.HEAR, on=True
                    )
                created += 1
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new topics)."))
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, email, role, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:28} {username:14} {role.label}")

    def _account(self, username, email, role, display_name, bio) -> User:
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "role": role,
                "display_name": display_name,
                "bio": bio,
                # Demo stories are published at once; new sign-ups still wait for review.
                "approved_post_count": settings.NEW_MEMBER_REVIEW_POSTS,
            },
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            user.guidelines_version = 1
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _certify(self, user: User) -> None:
        """The demo peer specialist is verified (as if an admin had approved a certificate),
        so the badge and Peer specialists' corner show as they do for a real one."""
        if user.certified_by:
            return
        PeerCredential.objects.create(
            member=user,
            issuing_body=DEMO_CERTIFYING_BODY,
            certificate_number="DEMO-0001",
            expires_on=timezone.localdate() + timedelta(days=730),
            status=CredentialStatus.APPROVED,
            decided_at=timezone.now(),
        )
        User.objects.filter(pk=user.pk).update(certified_by=DEMO_CERTIFYING_BODY)
        # Pages that name members show the badge.
        profile_version.bump_after_commit()
