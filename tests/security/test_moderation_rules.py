"""Rules moderators cannot bend (issue 12, section 2), asked through the site.

Each rule is a request a moderator could send that must be refused: the answer, the kind words
that say why (where the page may say it), and every table exactly as it was (item status and
claim, the post, the moderation log, members' muted_until, ...: the suite's snapshot). Beside
each refusal, the request someone allowed sends succeeds, so a rule that refused everyone
would fail here too.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from community import services
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
from forum.models import Post, Status
from tests.factories import UserFactory, make_reply, make_topic
from tests.security.test_authorization import without_csrf
from tests.security.world import built_once_and_rolled_back, sign_in, snapshot

DECISION = {
    "reason": ModerationReason.JUDGING,
    "explanation": "Please share what helped you rather than judging.",
}
HIDE = {"action": ModerationAction.HIDE, **DECISION}
KEEP = {"action": ModerationAction.KEEP, **DECISION}
WARN = {"action": ModerationAction.WARN, **DECISION}
MUTE = {"action": ModerationAction.MUTE, "duration": "24h", **DECISION}
EDIT = {"body": "Edited by a moderator.", **DECISION}

TAKE_OVER_FIRST = "Sam is working on this item. Take it over first if you need to act on it."
OWN_POST = "This item is about your own post, so another moderator will decide on it."
TEAM_SANCTION = "Only an admin can warn, mute or suspend a moderator or a peer specialist."
TEAM_LIFT = "Only an admin can lift a mute or suspension on a moderator or a peer specialist."


@dataclass
class RulesWorld:
    actors: dict[str, User]
    objects: dict[str, Any]
    sessions: dict[str, str] = field(default_factory=dict)
    baseline: dict[str, tuple[int, str]] = field(default_factory=dict)


def _reported(author: User, reporter: User) -> ReviewItem:
    post = make_reply(topic=make_topic(), author=author, body="Words someone reported.")
    report = services.report_post(reporter=reporter, post=post, reason=ReportReason.UNSUPPORTIVE)
    services.fold_report(report_id=report.pk)
    return ReviewItem.objects.get(post=post)


def _hidden(post: Post) -> Post:
    Post.objects.filter(pk=post.pk).update(status=Status.HIDDEN)
    return post


def _mute(user: User, *, by: User) -> Sanction:
    sanction = Sanction.objects.create(
        user=user, kind=SanctionKind.MUTE, ends_at=timezone.now() + timedelta(days=3), created_by=by
    )
    services.sanctions.sync_sanctions(user=user)
    return sanction


def build_rules_world() -> RulesWorld:
    admin = UserFactory(username="rules_admin", role=Role.ADMIN)
    actors = {
        "moderator": UserFactory(username="rules_moderator", role=Role.MODERATOR),
        # Sam claims items and is a moderator others may not sanction.
        "sam": UserFactory(username="rules_sam", display_name="Sam", role=Role.MODERATOR),
        "admin": admin,
        # A moderator with a mute in force: no moderation pages until it ends.
        "paused": UserFactory(username="rules_paused", role=Role.MODERATOR),
        "peer": UserFactory(username="rules_peer", role=Role.PEER_SPECIALIST),
        "member": UserFactory(username="rules_member"),
    }
    reporter = UserFactory(username="rules_reporter")
    claimed = _reported(actors["member"], reporter)
    services.claim_item(moderator=actors["sam"], item=claimed)
    # About the moderator's own post, and claimed by Sam: the own-post rule speaks first.
    own = _reported(actors["moderator"], reporter)
    services.claim_item(moderator=actors["sam"], item=own)
    item = _reported(actors["member"], reporter)
    objects = {
        "item": item,
        "item_post": item.post,
        "claimed_item": claimed,
        "own_item": own,
        "sam_item": _reported(actors["sam"], reporter),
        "peer_item": _reported(actors["peer"], reporter),
        "paused_sanction": _mute(actors["paused"], by=admin),
        # What only a moderator's powers open: a hidden post, the team's side of a conversation.
        "hidden_post": _hidden(make_reply(topic=make_topic(), author=actors["member"])),
        "conversation": services.start_conversation(
            member=actors["member"], body="Could someone look at a thread for me?"
        ),
        "peer_sanction": _mute(actors["peer"], by=admin),
    }
    return RulesWorld(actors=actors, objects=objects, sessions=sign_in(actors))


@pytest.fixture(scope="module")
def rules(django_db_setup, django_db_blocker):
    # Built once inside a transaction rolled back at the end, like the authorization world.
    yield from built_once_and_rolled_back(django_db_blocker, build_rules_world)


@dataclass(frozen=True)
class Rule:
    why: str
    actor: str
    route: str
    target: str
    data: dict[str, Any] | None
    status: int
    # What the moderator is told (None where the page answers as if it did not exist).
    says: str | None

    @property
    def id(self) -> str:
        return self.why.replace(" ", "-")


RULES = [
    Rule("second moderator acts on a claimed item", "moderator", "community:act_on_item",
         "claimed_item", HIDE, 200, TAKE_OVER_FIRST),
    Rule("second moderator edits the post of a claimed item", "moderator", "community:edit_post",
         "claimed_item", EDIT, 200, TAKE_OVER_FIRST),
    Rule("second moderator claims over a claim", "moderator", "community:claim_item",
         "claimed_item", {"claim": "1"}, 302, TAKE_OVER_FIRST),
    Rule("second moderator releases someone else's claim", "moderator", "community:claim_item",
         "claimed_item", {"claim": "0"}, 302, TAKE_OVER_FIRST),
    Rule("moderator claims an item about their own post", "moderator", "community:claim_item",
         "own_item", {"claim": "1"}, 302, OWN_POST),
    Rule("moderator takes over an item about their own post", "moderator",
         "community:take_over_item", "own_item", {}, 302, OWN_POST),
    Rule("moderator keeps their own post", "moderator", "community:act_on_item", "own_item",
         KEEP, 200, OWN_POST),
    Rule("moderator edits their own post through its item", "moderator", "community:edit_post",
         "own_item", EDIT, 200, OWN_POST),
    Rule("moderator mutes themselves through their own post", "moderator",
         "community:act_on_item", "own_item", MUTE, 200, OWN_POST),
    Rule("moderator mutes another moderator", "moderator", "community:act_on_item", "sam_item",
         MUTE, 200, TEAM_SANCTION),
    Rule("moderator warns another moderator", "moderator", "community:act_on_item", "sam_item",
         WARN, 200, TEAM_SANCTION),
    Rule("moderator mutes a peer specialist", "moderator", "community:act_on_item", "peer_item",
         MUTE, 200, TEAM_SANCTION),
    Rule("moderator lifts another moderator's mute", "moderator", "community:lift_sanction",
         "paused_sanction", DECISION, 302, TEAM_LIFT),
    Rule("moderator lifts a peer specialist's mute", "moderator", "community:lift_sanction",
         "peer_sanction", DECISION, 302, TEAM_LIFT),
    Rule("muted moderator lifts their own mute", "paused", "community:lift_sanction",
         "paused_sanction", DECISION, 404, None),
    Rule("muted moderator opens the queue", "paused", "community:queue", "", None, 404, None),
    Rule("muted moderator opens an item", "paused", "community:review_item", "item", None, 404,
         None),
    Rule("muted moderator claims an item", "paused", "community:claim_item", "item",
         {"claim": "1"}, 404, None),
    Rule("muted moderator acts on an item", "paused", "community:act_on_item", "item", HIDE, 404,
         None),
    Rule("muted moderator opens a hidden post", "paused", "forum:post", "hidden_post", None, 404,
         None),
    Rule("muted moderator reads a member's conversation with the team", "paused",
         "community:conversation", "conversation", None, 404, None),
    Rule("muted moderator checks in with a member", "paused", "community:check_in", "item_post",
         None, 404, None),
    Rule("muted peer specialist checks in with a member", "peer", "community:check_in", "item_post",
         None, 404, None),
    Rule("muted moderator takes over an item", "paused", "community:take_over_item",
         "claimed_item", {}, 404, None),
]  # fmt: skip


def client_for(actor: str, rules: RulesWorld) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = rules.sessions[actor]
    return client


def url_for(route: str, target: str, rules: RulesWorld) -> str:
    if not target:
        return reverse(route)
    return reverse(route, kwargs={"pk": rules.objects[target].pk})


def changed_tables(rules: RulesWorld) -> list[str]:
    after = snapshot()
    return sorted(table for table in after if after[table] != rules.baseline.get(table))


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_the_rule_refuses_and_changes_nothing(rule: Rule, rules: RulesWorld):
    client = client_for(rule.actor, rules)
    url = url_for(rule.route, rule.target, rules)
    response = client.get(url) if rule.data is None else client.post(url, rule.data)
    answer = f"{rule.why}: {response.status_code}"
    assert response.status_code == rule.status, answer
    assert changed_tables(rules) == [], answer
    if rule.status == 404:
        # Exactly what the same moderator is told about an id that was never used (or, for a
        # page without one, a path no route serves).
        missing = reverse(rule.route, kwargs={"pk": 0}) if rule.target else "/no-such-page/"
        again = client.get(missing) if rule.data is None else client.post(missing, rule.data)
        assert again.status_code == 404
        assert without_csrf(again.content) == without_csrf(response.content), (
            f"{rule.why}: differs from the answer for something that does not exist"
        )
        return
    page = response if response.status_code == 200 else client.get(response["Location"])
    assert rule.says in html.unescape(page.content.decode()), answer


# --- the same requests, sent by whoever the rule allows --------------------------------------


def _post(rules: RulesWorld, actor: str, route: str, target: str, data: dict[str, Any]):
    return client_for(actor, rules).post(url_for(route, target, rules), data)


@pytest.mark.django_db
def test_the_claimer_acts_and_anyone_else_takes_over_first_logged(rules: RulesWorld):
    item = rules.objects["claimed_item"]
    moderator, sam = rules.actors["moderator"], rules.actors["sam"]
    response = _post(rules, "moderator", "community:take_over_item", "claimed_item", {})
    assert response.status_code == 302
    log = ModerationLog.objects.get(action=ModerationAction.TAKE_OVER)
    assert (log.actor, log.target_user, log.review_item_id) == (moderator, sam, item.pk)
    assert ReviewItem.objects.get(pk=item.pk).claimed_by == moderator
    # Now Sam is the one refused, and the moderator acts.
    refused = _post(rules, "sam", "community:act_on_item", "claimed_item", HIDE)
    assert "is working on this item. Take it over first" in html.unescape(refused.content.decode())
    acted = _post(rules, "moderator", "community:act_on_item", "claimed_item", HIDE)
    assert acted.status_code == 302
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewStatus.RESOLVED
    assert Post.objects.get(pk=item.post_id).status == Status.HIDDEN


@pytest.mark.django_db
def test_the_claimer_acts_on_their_claimed_item(rules: RulesWorld):
    assert _post(rules, "sam", "community:act_on_item", "claimed_item", HIDE).status_code == 302
    assert Post.objects.get(pk=rules.objects["claimed_item"].post_id).status == Status.HIDDEN


@pytest.mark.django_db
def test_another_moderator_decides_about_a_moderators_post(rules: RulesWorld):
    assert _post(rules, "sam", "community:act_on_item", "own_item", KEEP).status_code == 302
    assert ReviewItem.objects.get(pk=rules.objects["own_item"].pk).status == ReviewStatus.RESOLVED


@pytest.mark.django_db
def test_an_admin_sanctions_the_team_and_lifts_their_sanctions(rules: RulesWorld):
    sam, peer = rules.actors["sam"], rules.actors["peer"]
    assert _post(rules, "admin", "community:act_on_item", "sam_item", MUTE).status_code == 302
    assert User.objects.get(pk=sam.pk).is_muted()
    assert _post(rules, "admin", "community:act_on_item", "peer_item", WARN).status_code == 302
    for target, who in (("paused_sanction", rules.actors["paused"]), ("peer_sanction", peer)):
        assert _post(rules, "admin", "community:lift_sanction", target, DECISION).status_code == 302
        assert User.objects.get(pk=who.pk).muted_until is None


@pytest.mark.django_db
def test_a_moderator_whose_mute_ended_moderates_again(rules: RulesWorld):
    paused = rules.actors["paused"]
    User.objects.filter(pk=paused.pk).update(muted_until=timezone.now() - timedelta(minutes=1))
    client = client_for("paused", rules)
    assert client.get(reverse("community:queue")).status_code == 200
    assert _post(rules, "paused", "community:claim_item", "item", {"claim": "1"}).status_code == 302
    assert ReviewItem.objects.get(pk=rules.objects["item"].pk).claimed_by == paused
