"""The admin shows moderation but never changes it behind the services' back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from community.models import (
    Guidelines,
    ModerationAction,
    ModerationLog,
    ModerationReason,
    ReviewItem,
    ReviewStatus,
    Sanction,
    SanctionKind,
)
from tests.factories import UserFactory, make_reply, make_topic


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def item(db):
    return ReviewItem.objects.create(post=make_reply(topic=make_topic()), at_risk=True)


@pytest.fixture
def sanction(db, member):
    return Sanction.objects.create(
        user=member,
        kind=SanctionKind.MUTE,
        ends_at=timezone.now() + timedelta(days=1),
        created_by=UserFactory(role=Role.MODERATOR),
    )


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_a_review_items_change_form_offers_no_status_and_posting_changes_nothing(
    admin_client, item
):
    page = admin_client.get(change_url(item))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html and 'name="claimed_by"' not in html
    response = admin_client.post(
        change_url(item), {"status": ReviewStatus.RESOLVED, "at_risk": "", "score": "0"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ReviewStatus.OPEN and item.at_risk


def test_review_items_cannot_be_added_or_deleted_in_the_admin(admin_client, item):
    assert admin_client.get(reverse("admin:community_reviewitem_add")).status_code == 403
    delete = reverse("admin:community_reviewitem_delete", args=[item.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ReviewItem.objects.filter(pk=item.pk).exists()


def test_a_sanction_is_neither_lifted_nor_deleted_in_the_admin(admin_client, sanction):
    html = admin_client.get(change_url(sanction)).content.decode()
    assert 'name="lifted_at' not in html and 'name="ends_at' not in html
    response = admin_client.post(
        change_url(sanction), {"lifted_at_0": "2026-01-01", "lifted_at_1": "00:00:00"}
    )
    assert response.status_code == 403
    delete = reverse("admin:community_sanction_delete", args=[sanction.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    sanction.refresh_from_db()
    assert sanction.is_active
    assert admin_client.get(reverse("admin:community_sanction_add")).status_code == 403


def test_the_moderation_log_is_read_only_in_the_admin(admin_client, member):
    log = ModerationLog.objects.create(
        action=ModerationAction.WARN,
        target_user=member,
        reason=ModerationReason.OTHER,
        explanation="The original words.",
    )
    assert admin_client.get(change_url(log)).status_code == 200
    assert admin_client.post(change_url(log), {"explanation": "rewritten"}).status_code == 403
    assert admin_client.get(reverse("admin:community_moderationlog_add")).status_code == 403
    log.refresh_from_db()
    assert log.explanation == "The original words."


def test_guidelines_saved_in_the_admin_are_rendered_and_never_deleted(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:community_guidelines_add"),
            {
                "version": 2,
                "principles": "Be gentle with each other.",
                "body": "New **text**",
                "published_at_0": "2020-01-01",
                "published_at_1": "00:00:00",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Guidelines.objects.get(version=2)
    assert saved.body_html == "<p>New <strong>text</strong></p>\n"
    delete = reverse("admin:community_guidelines_delete", args=[saved.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Guidelines.objects.filter(pk=saved.pk).exists()


# --- my safety plan: not in the admin at all ------------------------------------------------


def test_safety_plans_are_not_in_the_admin(admin_client):
    from django.contrib import admin

    from community.models import SafetyPlan
    from community.services import save_safety_plan

    owner = UserFactory()
    save_safety_plan(owner=owner, sections={"people_to_ask": "Call Ines on 555 0143"})
    assert not admin.site.is_registered(SafetyPlan)
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "afety plan" not in index
    user_page = admin_client.get(reverse("admin:accounts_user_change", args=[owner.pk]))
    assert user_page.status_code == 200
    assert "Ines" not in user_page.content.decode()
    assert admin_client.get("/admin/community/safetyplan/").status_code == 404
    # Deleting the member lists what goes with them by name only, never the plan's words.
    delete_page = admin_client.get(reverse("admin:accounts_user_delete", args=[owner.pk]))
    assert "Ines" not in delete_page.content.decode()
