"""The moderator's decision form: what it requires, per action, and the local sanction time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.models import ModerationAction, ModerationReason
from community.moderation_forms import BulkApprovalForm, ModerationActionForm

ACTIONS = [(action, action) for action in ModerationAction.values]
HIDE_ADVICE = "Could you share what worked for you instead?"


def decision(data: dict, **kwargs) -> ModerationActionForm:
    return ModerationActionForm(data, actions=ACTIONS, **kwargs)


@pytest.mark.parametrize("action", ["approve", "keep"])
def test_approve_and_keep_need_no_reason_nor_explanation(action):
    form = decision({"action": action})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reason"] == ModerationReason.WITHIN_GUIDELINES
    assert form.cleaned_data["explanation"] == ""


def test_an_action_the_member_is_told_about_needs_a_reason_and_words():
    form = decision({"action": "hide"})
    assert not form.is_valid()
    assert "reason" in form.errors
    form = decision({"action": "hide", "reason": "advice"})
    assert not form.is_valid()
    assert form.errors["explanation"] == ["Please write a few words: the member reads them."]


def test_the_template_fills_an_empty_explanation_to_be_read_before_it_is_sent():
    form = decision({"action": "hide", "reason": "advice"}, templates={"hide:advice": HIDE_ADVICE})
    # Not sent unread: the form comes back with the words filled in.
    assert not form.is_valid()
    assert "We filled in the usual words" in form.errors["explanation"][0]
    assert HIDE_ADVICE in str(form["explanation"])
    again = decision(
        {"action": "hide", "reason": "advice", "explanation": HIDE_ADVICE + " Thank you."},
        templates={"hide:advice": HIDE_ADVICE},
    )
    assert again.is_valid(), again.errors
    assert again.cleaned_data["explanation"].endswith("Thank you.")


def test_a_sanction_until_a_local_time_is_that_time_in_the_moderators_zone():
    zone = ZoneInfo("America/New_York")
    wall = (
        (timezone.now() + timedelta(days=3))
        .astimezone(zone)
        .replace(second=0, microsecond=0, tzinfo=None)
    )
    form = decision(
        {
            "action": "mute",
            "reason": "judging",
            "explanation": "A pause.",
            "duration": "custom",
            "until": wall.strftime("%Y-%m-%dT%H:%M"),
        },
        zone=zone,
    )
    assert form.is_valid(), form.errors
    until = form.cleaned_data["until"]
    assert until == wall.replace(tzinfo=zone)
    assert until.astimezone(ZoneInfo("UTC")).replace(tzinfo=None) != wall
    assert "America/New_York" in form.fields["until"].label


def test_a_sanction_in_the_past_or_without_a_length_is_refused():
    past = (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    words = {"reason": "judging", "explanation": "A pause."}
    form = decision({"action": "suspend", "duration": "custom", "until": past, **words})
    assert not form.is_valid()
    assert form.errors["until"] == ["Please choose a time in the future."]
    form = decision({"action": "mute", **words})
    assert not form.is_valid()
    assert "duration" in form.errors


def test_a_non_sanction_drops_any_sanction_time():
    form = decision({"action": "approve", "duration": "7d"})
    assert form.is_valid()
    assert form.cleaned_data["until"] is None


def test_bulk_approval_takes_item_ids_and_one_reason():
    form = BulkApprovalForm({"items": ["3", "5"], "reason": "within_guidelines"}, item_ids=[3, 5])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["items"] == [3, 5]
    # An item decided since the page was read is left to the service to skip, not refused.
    late = BulkApprovalForm({"items": ["9"], "reason": "within_guidelines"}, item_ids=[3])
    assert late.is_valid()
    assert not BulkApprovalForm(
        {"items": ["x"], "reason": "within_guidelines"}, item_ids=[]
    ).is_valid()
    assert "items" in BulkApprovalForm({"reason": "within_guidelines"}, item_ids=[3]).errors
