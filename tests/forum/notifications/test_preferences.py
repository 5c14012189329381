"""How each member wants to hear about each kind, and that every choice is honoured."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import Role
from forum.models import (
    Delivery,
    EmailOutbox,
    Notification,
    NotificationKind,
    OutboxStatus,
    TopicSubscription,
)
from forum.notifications import api, preferences
from tests.factories import UserFactory, make_reply, make_topic

pytestmark = pytest.mark.django_db


def test_defaults_match_the_issue(member):
    prefs = preferences.preference_of(member)
    assert prefs.topic_reply == Delivery.IMMEDIATE
    assert prefs.mention == Delivery.IMMEDIATE
    assert prefs.followed_reply == Delivery.DIGEST
    assert prefs.encouragement == Delivery.NEVER
    assert prefs.include_excerpt is False


def test_moderator_alert_is_emailed_even_when_digest_is_chosen(run_on_commit, set_pref):
    moderator = UserFactory(role=Role.MODERATOR)
    set_pref(moderator, moderator_alert=Delivery.DIGEST)
    topic = make_topic()
    run_on_commit(
        api.notify,
        recipient=moderator,
        kind=NotificationKind.MODERATOR_ALERT,
        event_key="review:1",
        topic=topic,
    )
    assert EmailOutbox.objects.get(recipient=moderator).delivery == Delivery.IMMEDIATE
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "kind",
    [NotificationKind.TOPIC_REPLY, NotificationKind.FOLLOWED_REPLY, NotificationKind.MENTION],
)
@pytest.mark.parametrize("delivery", list(Delivery))
def test_each_preference_is_honoured(run_on_commit, set_pref, outbox_rows, kind, delivery):
    recipient = UserFactory(username="sam_pref")
    set_pref(recipient, **{kind: delivery})
    topic_author = recipient if kind == NotificationKind.TOPIC_REPLY else UserFactory()
    topic = run_on_commit(make_topic, author=topic_author)
    if kind == NotificationKind.FOLLOWED_REPLY:
        TopicSubscription.objects.get_or_create(user=recipient, topic=topic)
    body = "hello @sam_pref" if kind == NotificationKind.MENTION else "hello"
    run_on_commit(make_reply, topic=topic, body=body)

    assert Notification.objects.get(recipient=recipient).kind == kind
    rows = outbox_rows(recipient)
    to_recipient = [m for m in mail.outbox if m.to == [recipient.email]]
    if delivery == Delivery.NEVER:
        assert not rows.exists()
        assert to_recipient == []
    elif delivery == Delivery.DIGEST:
        assert rows.get().status == OutboxStatus.PENDING
        assert to_recipient == []
    else:
        assert rows.get().status == OutboxStatus.SENT
        assert len(to_recipient) == 1


def test_only_moderators_choose_how_alerts_arrive(member):
    moderator = UserFactory(role=Role.MODERATOR)
    values = {"moderator_alert": Delivery.NEVER, "mention": Delivery.DIGEST}
    saved = preferences.save_preferences(user=member, values=values)
    assert (saved.moderator_alert, saved.mention) == (Delivery.IMMEDIATE, Delivery.DIGEST)
    saved = preferences.save_preferences(user=moderator, values=values)
    assert (saved.moderator_alert, saved.mention) == (Delivery.NEVER, Delivery.DIGEST)


def test_urgent_alerts_have_no_preference_and_always_go_at_once(run_on_commit):
    moderator = UserFactory(role=Role.MODERATOR)
    saved = preferences.save_preferences(
        user=moderator, values={"urgent_alert": Delivery.NEVER, "moderator_alert": Delivery.NEVER}
    )
    assert not hasattr(saved, "urgent_alert")
    assert NotificationKind.URGENT_ALERT not in dict(preferences.preference_kinds(moderator))
    run_on_commit(
        api.notify,
        recipient=moderator,
        kind=NotificationKind.URGENT_ALERT,
        event_key="at-risk:9:0:1",
    )
    assert EmailOutbox.objects.get(recipient=moderator).delivery == Delivery.IMMEDIATE
    assert len(mail.outbox) == 1
