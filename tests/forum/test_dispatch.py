"""Handing work to Celery by name: after commit, and a broker outage is logged, never raised."""

from unittest import mock

import pytest
from celery import current_app
from celery.canvas import Signature

from forum import dispatch


def test_a_broker_outage_is_logged_with_ids_only_and_reported(settings, caplog):
    current_app.conf.task_always_eager = False
    try:
        with mock.patch.object(Signature, "apply_async", side_effect=ConnectionError("refused")):
            assert dispatch.publish("forum.deliver_email", [41]) is False
    finally:
        current_app.conf.task_always_eager = True
    assert "forum.deliver_email(41,)" in caplog.text
    assert "ConnectionError" in caplog.text
    assert "refused" not in caplog.text, "the broker's own words can echo what was sent"


def test_eager_runs_raise_what_the_task_raised():
    with (
        mock.patch.object(Signature, "apply_async", side_effect=ValueError("a bug")),
        pytest.raises(ValueError),
    ):
        dispatch.publish("forum.deliver_email", [1])


@pytest.mark.django_db
def test_publish_after_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(Signature, "apply_async") as sent:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            dispatch.publish_after_commit("community.fold_report", 7)
        assert not sent.called
        for callback in callbacks:
            callback()
    assert sent.call_count == 1
