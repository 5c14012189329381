"""The authorization suite's world: the actors, an object for every URL kwarg, the data an
allowed member would submit, and a snapshot of every table to prove a refusal changed nothing."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from functools import cache
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import (
    AccountMail,
    CredentialStatus,
    PeerCredential,
    PeerCredentialLog,
    PeerDecision,
    Role,
    User,
)
from community import services as community_services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    ReportReason,
    ReviewItem,
    ReviewStatus,
    Sanction,
    SanctionKind,
)
from forum import milestones
from forum.content_warnings import ContentWarning
from forum.models import (
    Delivery,
    EmailOutbox,
    Notification,
    NotificationKind,
    Post,
    PostFanOut,
    Status,
    Topic,
)
from forum.notifications.models import MailServerPause
from forum.notifications.unsubscribe import unsubscribe_token
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic

ACTORS = (
    "anonymous",
    "member",
    "other_member",
    "peer_specialist",
    "moderator",
    "muted",
    "suspended",
)

# Words only their owner (and, for a conversation, the team and the peer specialist who started
# it) may ever be shown: any other actor's response containing them fails the suite. Nothing in
# them is changed by HTML escaping, so a page showing them contains them as written.
SAFETY_PLAN_WORDS = "authz sentinel 7f3c warning signs only the member wrote"
CONVERSATION_WORDS = "authz sentinel 91ab a peer specialist checking in"
# A certificate number: its member and admins only (never moderators or other members).
CERTIFICATE_WORDS = "AUTHZ-CERT-5e2d"
# The label of the member's private milestone counter (forum.milestones).
COUNTER_WORDS = "authz sentinel 5b1e days only the member counts"
SECRETS: dict[str, frozenset[str]] = {
    SAFETY_PLAN_WORDS: frozenset({"member"}),
    COUNTER_WORDS: frozenset({"member"}),
    CONVERSATION_WORDS: frozenset({"member", "moderator", "peer_specialist"}),
    CERTIFICATE_WORDS: frozenset({"member"}),
}

# Bookkeeping of who is signed in, which every request may touch; everything else must hold.
UNWATCHED_TABLES = frozenset({"django_session", "usersessions_usersession"})


@dataclass
class World:
    actors: dict[str, User | None]
    objects: dict[str, Any]
    # Keyword arguments for each target name (see tests/security/routes.py).
    kwargs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A signed-in session per actor, made once: its cookie is all a test's client needs.
    sessions: dict[str, str] = field(default_factory=dict)
    # snapshot() of the world as built: every test starts from it (its savepoint is rolled back).
    baseline: dict[str, tuple[int, str]] = field(default_factory=dict)


def _set_status(post: Post, status: str, *, with_topic: bool = False) -> None:
    Post.objects.filter(pk=post.pk).update(status=status)
    if with_topic:
        Topic.objects.filter(pk=post.topic_id).update(status=status)


def build_world() -> World:
    now = timezone.now()
    member = UserFactory(username="authz_member")
    moderator = UserFactory(username="authz_moderator", role=Role.MODERATOR)
    actors: dict[str, User | None] = {
        "anonymous": None,
        "member": member,
        "other_member": UserFactory(username="authz_other"),
        "peer_specialist": UserFactory(username="authz_peer", role=Role.PEER_SPECIALIST),
        "moderator": moderator,
        "muted": UserFactory(username="authz_muted", muted_until=now + timedelta(days=3)),
        "suspended": UserFactory(
            username="authz_suspended", suspended_until=now + timedelta(days=3)
        ),
    }
    category = CategoryFactory()
    topic = make_topic(author=member, category=category)
    post = make_reply(topic=topic, author=member, body="A reply the member wrote.")
    pending = make_reply(topic=topic, author=member, body="A reply still waiting.")
    _set_status(pending, Status.PENDING)
    hidden = make_reply(topic=topic, author=member, body="A reply a moderator hid.")
    _set_status(hidden, Status.HIDDEN)
    pending_topic = make_topic(author=member, category=category, title="A topic still waiting")
    _set_status(pending_topic.posts.get(position=1), Status.PENDING, with_topic=True)
    hidden_topic = make_topic(author=member, category=category, title="A topic that was hidden")
    _set_status(hidden_topic.posts.get(position=1), Status.HIDDEN, with_topic=True)

    # A reply someone reported, in the review queue.
    reported = make_reply(topic=topic, author=UserFactory(), body="Words someone reported.")
    report = community_services.report_post(
        reporter=actors["other_member"], post=reported, reason=ReportReason.UNSUPPORTIVE
    )
    community_services.fold_report(report_id=report.pk)
    item = ReviewItem.objects.get(post=reported)

    # A reply of the member that members' reports hid while it waits for a moderator: everyone
    # who had joined by then may still report it (community.permissions.could_see_before_hiding).
    report_hidden = make_reply(topic=topic, author=member, body="A reply reports hid.")
    _set_status(report_hidden, Status.HIDDEN)
    ReviewItem.objects.create(
        post=report_hidden,
        status=ReviewStatus.OPEN,
        report_count=3,
        auto_hidden_at=timezone.now(),
    )

    decision = ModerationLog.objects.create(
        actor=moderator,
        action=ModerationAction.HIDE,
        target_user=member,
        post=hidden,
        topic=topic,
        reason=ModerationReason.JUDGING,
        explanation="Please share what helped you rather than judging.",
    )
    sanctions = {}
    for name, kind in (("muted", SanctionKind.MUTE), ("suspended", SanctionKind.SUSPEND)):
        sanctions[name] = Sanction.objects.create(
            user=actors[name], kind=kind, ends_at=now + timedelta(days=3), created_by=moderator
        )
    notification = Notification.objects.create(
        recipient=member,
        kind=NotificationKind.TOPIC_REPLY,
        event_key=f"authz-reply-{post.pk}",
        topic=topic,
        post=post,
        actor=actors["other_member"],
    )
    # A check-in a peer specialist started with the member, the member's safety plan and a
    # moderator's weekly hours on duty.
    conversation = community_services.check_in(
        sender=actors["peer_specialist"],  # type: ignore[arg-type]
        post=post,
        body=CONVERSATION_WORDS,
        include_crisis_resources=False,
    )
    community_services.save_safety_plan(owner=member, sections={"warning_signs": SAFETY_PLAN_WORDS})
    counter = milestones.start_counter(
        owner=member, label=COUNTER_WORDS, started_on=now.date() - timedelta(days=30)
    )
    community_services.save_rota(
        moderator=moderator, days=[0, 1, 2, 3, 4], starts=time(9), ends=time(17), time_zone="UTC"
    )
    # Rows only the admin lists, so every admin object URL names a real object.
    EmailOutbox.objects.create(
        notification=notification,
        recipient=member,
        kind=notification.kind,
        event_key=notification.event_key,
        delivery=Delivery.IMMEDIATE,
        topic=topic,
    )
    PostFanOut.objects.get_or_create(post=post)
    MailServerPause.objects.create(server="smtp.authz.test", paused_until=now)
    AccountMail.objects.create(
        to="authz@example.test", subject="Lantern: sent", body="", sent_at=now
    )
    Group.objects.create(name="authz group")
    staff_helper = UserFactory(username="authz_staff_helper")
    Authenticator.objects.create(
        user=staff_helper, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "0" * 40}
    )
    UserSession.objects.create(
        user=staff_helper, ip="127.0.0.1", session_key="authz-session", user_agent="test"
    )

    unverified = UserFactory(username="authz_unverified", verified=False)
    address = EmailAddress.objects.create(
        user=unverified, email=unverified.email, verified=False, primary=True
    )
    forgetful = UserFactory(username="authz_forgetful")
    # Declined, so the member may ask again (the POST the suite sends writes a new request).
    credential = PeerCredential.objects.create(
        member=member,
        issuing_body="Authz Certification Board",
        certificate_number=CERTIFICATE_WORDS,
        expires_on=now.date() + timedelta(days=400),
        status=CredentialStatus.DECLINED,
        decline_reason="The number did not match the board's register.",
    )
    PeerCredentialLog.objects.create(
        credential=credential, decision=PeerDecision.DECLINE, reason=credential.decline_reason
    )
    objects: dict[str, Any] = {
        "category": category,
        "topic": topic,
        "post": post,
        "pending": pending,
        "hidden": hidden,
        "pending_topic": pending_topic,
        "hidden_topic": hidden_topic,
        "item": item,
        "decision": decision,
        "sanction": sanctions["muted"],
        "notification": notification,
        "report_hidden": report_hidden,
        "conversation": conversation,
        "counter": counter,
    }
    kwargs: dict[str, dict[str, Any]] = {
        "": {},
        "category": {"slug": category.slug},
        "profile": {"username": member.username},
        "unsubscribe_token": {
            "token": unsubscribe_token(user=member, kind=NotificationKind.TOPIC_REPLY)
        },
        "bad_unsubscribe_token": {"token": "not-a-real-token"},
        "confirm_key": {"key": EmailConfirmationHMAC(address).key},
        # Someone else's key: the key, not the session, is the authority.
        "reset_key": {
            "uidb36": user_pk_to_url_str(forgetful),
            "key": default_token_generator.make_token(forgetful),
        },
    }
    for name, obj in objects.items():
        kwargs.setdefault(name, {"pk": obj.pk})
    return World(actors=actors, objects=objects, kwargs=kwargs, sessions=sign_in(actors))


def sign_in(actors: dict[str, User | None]) -> dict[str, str]:
    """A session key per signed-in actor. Signing in costs more than most requests, and the
    session rows live in the world's transaction, so each test reuses them (a request that
    ends a session, as for the suspended member, is rolled back with its test)."""
    sessions = {}
    for name, user in actors.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def admin_kwargs(route_key: str, pattern: str, world: World) -> dict[str, Any]:
    """Kwargs naming a real object for an admin route (its model read from the route)."""
    if route_key == "admin:app_list":
        return {"app_label": "forum"}
    if route_key == "admin:view_on_site":
        topic = world.objects["topic"]
        return {
            "content_type_id": ContentType.objects.get_for_model(Topic).pk,
            "object_id": topic.pk,
        }
    if route_key == "admin:auth_user_password_change":
        return {"id": world.actors["member"].pk}  # type: ignore[union-attr]
    if route_key == "admin/(?P<url>.*)$":
        return {"url": "no-such-page/"}
    if "<path:object_id>" not in pattern:
        return {}
    app_label, model_name = pattern.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    first = model._default_manager.order_by("pk").first()
    assert first is not None, f"no {app_label}.{model_name} row for {route_key}"
    return {"object_id": first.pk}


def post_data(route_key: str, world: World, actor: User | None) -> dict[str, Any]:
    """What a member allowed to use the route would submit, so a missing check would show."""
    decision = {
        "reason": ModerationReason.JUDGING,
        "explanation": "Please share what helped you rather than judging.",
    }
    data: dict[str, dict[str, Any]] = {
        "forum:new_topic": {
            "title": "A new small step today",
            "body": "Some words for a test.",
            "submission_token": str(uuid.uuid4()),
        },
        "forum:reply": {
            "body": "I hear you, and I am here.",
            "submission_token": str(uuid.uuid4()),
        },
        "forum:edit_post": {"body": "Edited words.", "title": "An edited small step"},
        "forum:react": {"reaction": "hear:on"},
        "community:report_post": {"reason": ReportReason.UNSUPPORTIVE, "note": ""},
        "community:decision": {"note": "Please look at this again."},
        "community:claim_item": {"claim": "1"},
        "community:act_on_item": {"action": ModerationAction.HIDE, **decision},
        "community:edit_post": {"body": "Edited by a moderator.", **decision},
        "community:lift_sanction": decision,
        "community:duty": {
            "days": ["0", "1"],
            "starts": "09:00",
            "ends": "17:00",
            "time_zone": "UTC",
        },
        "community:duty_on": {"hours": "2"},
        "community:edit_safety_plan": {"warning_signs": "Edited warning signs."},
        "forum:milestones": {
            "label": "Days of taking my meds",
            "started_on": timezone.localdate().isoformat(),
        },
        "forum:edit_counter": {
            "label": "Edited counter",
            "started_on": timezone.localdate().isoformat(),
        },
        "forum:share_counter": {
            "label": "30 days",
            "title": "A month today",
            "body": "Thirty days.",
            "submission_token": str(uuid.uuid4()),
        },
        "forum:share_milestone": {
            "label": "Back at work",
            "title": "Back at work",
            "body": "A small win.",
            "submission_token": str(uuid.uuid4()),
        },
        "community:message_team": {"body": "Could someone look at my post, please?"},
        "community:conversation": {"body": "Thank you for checking in."},
        "community:check_in": {"body": "Checking in: how are you doing today?"},
        "community:approve_new_members": {
            "items": [world.objects["item"].pk],
            "reason": ModerationReason.WITHIN_GUIDELINES,
        },
        "accounts:edit_profile": {"display_name": "QuietWillow", "pronouns": "", "bio": "Hi."},
        "accounts:peer_specialist": {
            "issuing_body": "Authz Certification Board",
            "certificate_number": "AUTHZ-NEW-1",
            "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        },
        "forum:notification_preferences": {
            **{kind.value: Delivery.NEVER for kind in NotificationKind},
            "include_excerpt": "",
        },
        "forum:content_warning_settings": {
            **{f"warning_{value}": "hide" for value in ContentWarning.values},
        },
        "community:post_warnings": {"warnings": [str(ContentWarning.GRIEF_LOSS)]},
    }
    return data.get(route_key, {})


@cache
def watched_tables() -> tuple[str, ...]:
    """Every table of every model, except who-is-signed-in bookkeeping (read once: asking
    the database for its tables costs more than reading all their rows)."""
    tables = set(connection.introspection.django_table_names(only_existing=True))
    return tuple(sorted(tables - UNWATCHED_TABLES))


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row, per table (sessions and last_login aside)."""
    quote = connection.ops.quote_name
    result: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in watched_tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [column[0] for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            for row in rows:
                # Signing in (force_login) stamps it; it is not what a request may change.
                row.pop("last_login", None)
            digest = hashlib.sha1("\n".join(sorted(map(repr, rows))).encode()).hexdigest()
            result[table] = (len(rows), digest)
    return result


def built_once_and_rolled_back(blocker, build: Callable[[], Any]) -> Iterator[Any]:
    """For a module-scoped fixture: `build()` runs once inside a transaction (its `baseline` set
    to the tables' snapshot), the module's tests run in savepoints inside it, and the whole
    transaction is rolled back at the end, the way Django's TestCase builds setUpTestData."""
    with blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
            built.baseline = snapshot()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
