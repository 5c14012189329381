"""Saving a member's own safety plan: stored as typed, removed when emptied, and nothing else."""

from __future__ import annotations

import logging
import sys

import pytest
from django.core import mail
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from community import services
from community.models import SafetyPlan
from forum.models import Notification

SECRET = "Call my sister Ines on 555 0143"


def test_a_plan_is_saved_for_its_owner_with_its_text_as_typed(member):
    plan = services.save_safety_plan(
        owner=member,
        sections={"people_to_ask": f"  {SECRET}\nMy sponsor  ", "warning_signs": "<b>I stop</b>"},
    )
    assert plan is not None
    stored = SafetyPlan.objects.get(owner=member)
    assert stored.people_to_ask == f"{SECRET}\nMy sponsor"
    assert stored.warning_signs == "<b>I stop</b>"  # plain text: escaped when shown, never here
    assert stored.reasons_for_living == ""


def test_saving_again_changes_the_same_plan(member):
    services.save_safety_plan(owner=member, sections={"distractions": "The park"})
    services.save_safety_plan(owner=member, sections={"distractions": "The library"})
    assert SafetyPlan.objects.filter(owner=member).count() == 1
    assert SafetyPlan.objects.get(owner=member).distractions == "The library"


def test_a_plan_left_empty_is_removed(member):
    services.save_safety_plan(owner=member, sections={"distractions": "The park"})
    assert services.save_safety_plan(owner=member, sections={"distractions": "  \n "}) is None
    assert not SafetyPlan.objects.filter(owner=member).exists()


def test_an_unknown_section_is_refused(member):
    with pytest.raises(ValueError):
        services.save_safety_plan(owner=member, sections={"body": "x"})


def test_saving_sends_nothing_notifies_nobody_and_logs_nothing(
    member, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.save_safety_plan(owner=member, sections={"people_to_ask": SECRET})
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert SECRET not in caplog.text


def test_an_error_report_from_inside_the_service_hides_the_plan(member, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(SafetyPlan.objects, "update_or_create", broken)
    request = RequestFactory().get("/")
    try:
        services.save_safety_plan(owner=member, sections={"people_to_ask": SECRET})
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "save_safety_plan" in report
    assert SECRET not in report
