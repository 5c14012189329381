"""`python manage.py set_role <username-or-email> <role>`: give a member a role."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts import services
from accounts.models import Role, User

# Admin is given through the Django admin by a superuser, not from a shell one-liner.
SETTABLE_ROLES = [Role.MEMBER, Role.PEER_SPECIALIST, Role.MODERATOR]


class Command(BaseCommand):
    help = "Set a member's role: member, peer_specialist or moderator."

    def add_arguments(self, parser) -> None:
        parser.add_argument("who", help="The member's username or email address.")
        parser.add_argument("role", help=f"One of: {', '.join(SETTABLE_ROLES)}.")

    def handle(self, *args, who: str, role: str, **options) -> None:
        if role not in SETTABLE_ROLES:
            raise CommandError(
                f"Unknown role {role!r}. Choose one of: {', '.join(SETTABLE_ROLES)}."
            )
        matches = list(
            User.objects.filter(
                Q(username__iexact=who) | Q(email__iexact=who) | Q(emailaddress__email__iexact=who)
            ).distinct()[:2]
        )
        if not matches:
            raise CommandError(f"No member has the username or email {who!r}.")
        if len(matches) > 1:
            raise CommandError(f"{who!r} matches more than one member; use the exact username.")
        user = matches[0]
        old, new = services.set_role(user=user, role=role)
        if old == new:
            self.stdout.write(
                f"{user.username} is already {Role(new).label.lower()}; nothing changed."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{user.username}: {Role(old).label.lower()} -> {Role(new).label.lower()}."
                )
            )
