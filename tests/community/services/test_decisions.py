"""Claiming and acting on review items (community/services/decisions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role, User
from community import services
from community.models import (
    ModerationAction,
    ModerationLog,
    ModerationReason,
    Report,
    ReviewStatus,
)
from forum.models import Category, NotificationKind, Status, Topic
from tests.factories import (
    CategoryFactory,
    UserFactory,
    established_member,
    make_reply,
    make_topic,
)


def test_hiding_writes_one_log_row_explains_to_the_author_and_thanks_reporters(
    reported_post, moderator, django_capture_on_commit_callbacks, notes_for, reported_item
):
    reporters = [UserFactory(), UserFactory()]
    item = reported_item(reported_post, reporters)
    with django_capture_on_commit_callbacks(execute=True):
        log = services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.HIDE,
            reason=ModerationReason.JUDGING,
            explanation="Please share what helped you rather than judging.",
        )
    assert ModerationLog.objects.filter(actor=moderator).count() == 1
    assert (log.action, log.target_user, log.post, log.reason) == (
        ModerationAction.HIDE,
        reported_post.author,
        reported_post,
        ModerationReason.JUDGING,
    )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    [note] = notes_for(reported_post.author, NotificationKind.MODERATION)
    assert "Strengths, not shortcomings" in note.message
    assert "Please share what helped you" in note.message
    assert "ask for a review" in note.message
    for reporter in reporters:
        [closed] = notes_for(reporter, NotificationKind.REPORT_CLOSED)
        assert "we reviewed your report" in closed.message
        # The closure note says nothing about the decision or the author.
        assert reported_post.author.username not in closed.message
    item.refresh_from_db()
    assert item.status == ReviewStatus.RESOLVED
    assert not Report.objects.filter(closed_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("action", "status", "locked"),
    [
        (ModerationAction.REMOVE, Status.REMOVED, False),
        (ModerationAction.LOCK, Status.PUBLISHED, True),
        (ModerationAction.WARN, Status.PUBLISHED, False),
    ],
)
def test_each_post_action_does_what_it_says(
    action, status, locked, reported_post, moderator, notes_for, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=action,
        reason=ModerationReason.OTHER,
        explanation="Explained kindly.",
    )
    reported_post.refresh_from_db()
    assert reported_post.status == status
    assert Topic.objects.get(pk=reported_post.topic_id).is_locked is locked
    assert ModerationLog.objects.filter(action=action).count() == 1
    assert len(notes_for(reported_post.author, NotificationKind.MODERATION)) == 1


def test_keeping_an_auto_hidden_post_publishes_it_again(
    reported_post, moderator, notes_for, reported_item
):
    item = reported_item(reported_post, [established_member() for _ in range(3)])
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="This is within our guidelines.",
    )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    assert Topic.objects.get(pk=reported_post.topic_id).reply_count == 1
    messages = [n.message for n in notes_for(reported_post.author, NotificationKind.MODERATION)]
    assert any("it stays up" in m for m in messages)


def test_editing_with_a_reason_keeps_the_old_text_in_history(
    reported_post, moderator, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.EDIT,
        reason=ModerationReason.PRIVACY,
        explanation="I took out a phone number.",
        body="A reply with the phone number taken out.",
    )
    reported_post.refresh_from_db()
    assert reported_post.body == "A reply with the phone number taken out."
    assert reported_post.revisions.get().body == "A reply someone might report."


@pytest.mark.parametrize(
    ("reason", "explanation"), [("", "Because."), (ModerationReason.SPAM, "   "), ("made_up", "x")]
)
def test_every_action_needs_a_reason_and_an_explanation(
    reason, explanation, reported_post, moderator, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    with pytest.raises(services.ModerationError):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.HIDE,
            reason=reason,
            explanation=explanation,
        )
    reported_post.refresh_from_db()
    assert reported_post.status == Status.PUBLISHED
    assert not ModerationLog.objects.exists()


def test_approve_applies_only_to_waiting_posts(reported_post, moderator, reported_item):
    item = reported_item(reported_post, [UserFactory()])
    with pytest.raises(services.ModerationError, match="doesn't apply"):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.APPROVE,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="ok",
        )


def test_category_counters_stay_true_through_hide_and_keep(moderator, reported_item):
    category = CategoryFactory()
    topic = make_topic(category=category)
    reply = make_reply(topic=topic)
    category.refresh_from_db()
    assert category.post_count == 2
    item = reported_item(reply, [moderator])
    assert Category.objects.get(pk=category.pk).post_count == 1
    services.act_on_item(
        moderator=moderator,
        item=item,
        action=ModerationAction.KEEP,
        reason=ModerationReason.WITHIN_GUIDELINES,
        explanation="Fine after all.",
    )
    assert Category.objects.get(pk=category.pk).post_count == 2


# --- approving: warm, naming the post on the site, never a guideline ------------------------

CRISIS_TITLE = "Tonight is hard"


def _approve(moderator, post, *, reason, capture):
    from community.models import ReviewItem

    services.review_new_post(post_id=post.pk)
    item = ReviewItem.objects.get(post=post)
    with capture(execute=True):
        return services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.APPROVE,
            reason=reason,
            explanation="Thank you for trusting us with this.",
        )


def test_approving_a_crisis_post_is_warm_names_it_and_names_no_guideline(
    moderator, notes_for, django_capture_on_commit_callbacks, client
):
    from django.core import mail
    from django.urls import reverse

    from forum.notifications import delivery
    from forum.notifications.models import EmailOutbox

    newcomer = UserFactory(approved_post_count=0)
    topic = make_topic(author=newcomer, title=CRISIS_TITLE, body="I want to end my life.")
    post = topic.posts.get()
    assert (post.status, post.crisis_language) == (Status.PENDING, True)
    log = _approve(
        moderator,
        post,
        reason=ModerationReason.SAFETY,
        capture=django_capture_on_commit_callbacks,
    )
    [note] = notes_for(newcomer, NotificationKind.MODERATION)
    assert note.message.startswith(f"A moderator read your post in “{CRISIS_TITLE}” and published")
    assert "Guideline" not in note.message and "Safety" not in note.message
    assert "Welcome!" not in note.message
    assert "Need help now?" in note.message
    assert "ask for a review" not in note.message

    client.force_login(newcomer)
    page = client.get(reverse("community:decision", kwargs={"pk": log.pk})).content.decode()
    assert "Your post is published" in page and CRISIS_TITLE in page
    assert "Guideline concerned" not in page and "someone may be at risk" not in page

    # The email says only that a message is waiting: no title, no words of the message.
    for row in EmailOutbox.objects.filter(recipient=newcomer):
        delivery.deliver(outbox_id=row.pk)
    for email in mail.outbox:
        assert CRISIS_TITLE not in email.subject + email.body
        assert "published" not in email.body


def test_approving_a_first_post_welcomes_the_member_by_the_post(
    moderator, notes_for, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(approved_post_count=0)
    topic = make_topic(author=newcomer, title="Hello from me", body="My first words.")
    _approve(
        moderator,
        topic.posts.get(),
        reason=ModerationReason.WITHIN_GUIDELINES,
        capture=django_capture_on_commit_callbacks,
    )
    [note] = notes_for(newcomer, NotificationKind.MODERATION)
    assert note.message.startswith("Welcome! A moderator read your post in “Hello from me”")
    assert "Guideline" not in note.message


def test_bad_news_still_names_the_guideline_and_the_post(
    reported_post, moderator, notes_for, django_capture_on_commit_callbacks, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.HIDE,
            reason=ModerationReason.PRIVACY,
            explanation="It named someone.",
        )
    [note] = notes_for(reported_post.author, NotificationKind.MODERATION)
    title = reported_post.topic.title
    assert note.message.startswith(f"A moderator has hidden your post in “{title}”.")
    assert "Guideline concerned: Build trust" in note.message


# --- rules moderators cannot bend --------------------------------------------------------------

HIDE = {
    "action": ModerationAction.HIDE,
    "reason": ModerationReason.JUDGING,
    "explanation": "Please share what helped you rather than judging.",
}


def _state(item, post):
    """What a refused change must leave as it was."""
    item.refresh_from_db()
    post.refresh_from_db()
    return (
        item.status,
        item.claimed_by_id,
        item.claimed_at,
        post.status,
        post.body,
        ModerationLog.objects.count(),
        Report.objects.filter(closed_at__isnull=True).count(),
    )


def test_only_the_claimer_acts_edits_or_releases_until_the_item_is_taken_over(
    reported_post, moderator, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    services.claim_item(moderator=moderator, item=item)
    other = UserFactory(role=Role.MODERATOR, display_name="Alex")
    before = _state(item, reported_post)
    refusals = [
        lambda: services.act_on_item(moderator=other, item=item, **HIDE),
        lambda: services.act_on_item(
            moderator=other,
            item=item,
            action=ModerationAction.EDIT,
            reason=ModerationReason.PRIVACY,
            explanation="I took out a phone number.",
            body="Edited by someone who had not claimed it.",
        ),
        lambda: services.claim_item(moderator=other, item=item),
        lambda: services.claim_item(moderator=other, item=item, claim=False),
    ]
    for refused in refusals:
        with pytest.raises(services.ModerationError) as refusal:
            refused()
        assert str(refusal.value) == (
            f"{moderator.public_name} is working on this item. Take it over first if you need "
            "to act on it."
        )
        assert _state(item, reported_post) == before

    log = services.take_over_item(moderator=other, item=item)
    assert (log.action, log.actor, log.target_user, log.review_item, log.post) == (
        ModerationAction.TAKE_OVER,
        other,
        moderator,
        item,
        None,
    )
    assert log.reason == ModerationReason.HANDOVER
    item.refresh_from_db()
    assert item.claimed_by == other
    # Now the first moderator is the one who must take it back before acting.
    with pytest.raises(services.ModerationError, match="Alex is working on this item"):
        services.act_on_item(moderator=moderator, item=item, **HIDE)
    services.act_on_item(moderator=other, item=item, **HIDE)
    reported_post.refresh_from_db()
    assert reported_post.status == Status.HIDDEN


def test_a_take_over_is_refused_when_there_is_nothing_to_take(
    reported_post, moderator, reported_item
):
    item = reported_item(reported_post, [UserFactory()])
    with pytest.raises(services.ModerationError, match="You can claim it instead"):
        services.take_over_item(moderator=moderator, item=item)
    services.claim_item(moderator=moderator, item=item)
    with pytest.raises(services.ModerationError, match="nothing to take over"):
        services.take_over_item(moderator=moderator, item=item)
    services.act_on_item(moderator=moderator, item=item, **HIDE)
    with pytest.raises(services.ModerationError, match="already resolved"):
        services.take_over_item(moderator=UserFactory(role=Role.MODERATOR), item=item)
    assert not ModerationLog.objects.filter(action=ModerationAction.TAKE_OVER).exists()


def test_nobody_claims_takes_over_or_acts_on_an_item_about_their_own_post(moderator, reported_item):
    own = make_reply(topic=make_topic(), author=moderator, body="A moderator's own reply.")
    item = reported_item(own, [UserFactory()])
    before = _state(item, own)
    attempts = [
        lambda: services.claim_item(moderator=moderator, item=item),
        lambda: services.act_on_item(moderator=moderator, item=item, **HIDE),
        lambda: services.act_on_item(
            moderator=moderator,
            item=item,
            action=ModerationAction.KEEP,
            reason=ModerationReason.WITHIN_GUIDELINES,
            explanation="Mine is fine.",
        ),
    ]
    for attempt in attempts:
        with pytest.raises(services.ModerationError, match="about your own post"):
            attempt()
        assert _state(item, own) == before
    services.claim_item(moderator=UserFactory(role=Role.ADMIN), item=item)
    with pytest.raises(services.ModerationError, match="about your own post"):
        services.take_over_item(moderator=moderator, item=item)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.PEER_SPECIALIST, Role.ADMIN])
@pytest.mark.parametrize("action", [ModerationAction.WARN, ModerationAction.MUTE])
def test_only_admins_warn_or_mute_the_team(role, action, moderator, reported_item):
    team_post = make_reply(topic=make_topic(), author=UserFactory(role=role))
    item = reported_item(team_post, [UserFactory()])
    decision = {
        "action": action,
        "reason": ModerationReason.JUDGING,
        "explanation": "Please share what helped you rather than judging.",
        "until": timezone.now() + timedelta(days=1),
    }
    before = _state(item, team_post)
    with pytest.raises(services.ModerationError, match="Only an admin can warn, mute or suspend"):
        services.act_on_item(moderator=moderator, item=item, **decision)
    assert _state(item, team_post) == before
    assert User.objects.get(pk=team_post.author_id).muted_until is None
    services.act_on_item(moderator=UserFactory(role=Role.ADMIN), item=item, **decision)
    assert ModerationLog.objects.filter(action=action).count() == 1


def test_a_muted_moderator_cannot_claim_or_act(reported_post, reported_item):
    muted = UserFactory(role=Role.MODERATOR, muted_until=timezone.now() + timedelta(hours=2))
    item = reported_item(reported_post, [UserFactory()])
    before = _state(item, reported_post)
    for attempt in (
        lambda: services.claim_item(moderator=muted, item=item),
        lambda: services.act_on_item(moderator=muted, item=item, **HIDE),
    ):
        with pytest.raises(services.ModerationError, match="Moderation is paused"):
            attempt()
    assert _state(item, reported_post) == before
