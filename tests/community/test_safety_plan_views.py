"""My safety plan through the client: the author reads, writes and prints it; nobody else sees
a word of it, in any page, email, notification or log line."""

from __future__ import annotations

import logging
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from accounts.models import Role
from community import safety_plan_views, services
from community.models import SafetyPlan
from forum.models import Notification
from tests.factories import UserFactory, make_topic

SECRET = "Call my sister Ines on 555 0143"
HIDDEN_REASON = "Seeing my niece grow up"
CRISIS_TEXT = "Tonight I just want to end my life."
PLAN_URLS = ["community:safety_plan", "community:edit_safety_plan"]
OTHER_ROLES = ["other member", Role.PEER_SPECIALIST, Role.MODERATOR, Role.ADMIN]


@pytest.fixture
def author(db):
    user = UserFactory()
    services.save_safety_plan(
        owner=user,
        sections={
            "warning_signs": "I stop answering messages",
            "coping_on_my_own": "A hot shower\nWalk round the block",
            "people_to_ask": SECRET,
            "reasons_for_living": HIDDEN_REASON,
        },
    )
    return user


def client_for(role) -> Client:
    client = Client()
    if role == "other member":
        client.force_login(UserFactory())
    else:
        is_admin = role == Role.ADMIN
        client.force_login(UserFactory(role=role, is_staff=is_admin, is_superuser=is_admin))
    return client


def test_anonymous_visitors_are_asked_to_log_in(client, author):
    for name in PLAN_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("community:edit_safety_plan"), {"people_to_ask": "x"})
    assert response.status_code == 302
    assert SafetyPlan.objects.get(owner=author).people_to_ask == SECRET


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_sees_only_their_own_empty_plan(author, role):
    client = client_for(role)
    for name in PLAN_URLS:
        response = client.get(reverse(name))
        assert response.status_code == 200
        page = response.content.decode()
        assert SECRET not in page
        assert HIDDEN_REASON not in page
    assert "Write my safety plan" in client.get(reverse("community:safety_plan")).content.decode()


@pytest.mark.parametrize("role", ["author", *OTHER_ROLES])
def test_no_url_takes_a_plan_or_member_so_a_plan_id_answers_404(author, role):
    plan = SafetyPlan.objects.get(owner=author)
    if role == "author":
        client = Client()
        client.force_login(author)
    else:
        client = client_for(role)
    paths = [
        f"/my/safety-plan/{plan.pk}/",
        f"/my/safety-plan/{author.pk}/",
        f"/my/safety-plan/{author.username}/",
    ]
    if role == Role.ADMIN:
        # Staff reach the admin; the plan is not in it (others are sent to the admin's login).
        paths += [f"/admin/community/safetyplan/{plan.pk}/change/", "/admin/community/safetyplan/"]
    for path in paths:
        assert client.get(path).status_code == 404, path


def test_the_plan_routes_have_no_parameters():
    routes = [
        pattern
        for pattern in get_resolver().url_patterns
        for pattern in getattr(pattern, "url_patterns", [pattern])
        if getattr(pattern, "name", None) in {"safety_plan", "edit_safety_plan"}
    ]
    assert len(routes) == 2
    assert all(not route.pattern.converters for route in routes)


def test_a_member_without_a_plan_is_invited_to_write_one(member_client):
    page = member_client.get(reverse("community:safety_plan")).content.decode()
    assert "A safety plan is a short list, in your own words" in page
    assert reverse("community:edit_safety_plan") in page


def test_the_author_writes_saves_reads_and_changes_their_plan(member_client, member):
    form = member_client.get(reverse("community:edit_safety_plan")).content.decode()
    assert "Write my safety plan" in form
    assert "One word is enough; so are many." in form  # the prompt under a section
    assert 'aria-describedby="id_reasons_for_living_helptext"' in form
    response = member_client.post(
        reverse("community:edit_safety_plan"),
        {"people_to_ask": f"{SECRET}\n<script>alert(1)</script>", "warning_signs": ""},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("community:safety_plan"), 302)]
    page = response.content.decode()
    assert "Your safety plan is saved. Only you can see it." in page
    assert f"<li>{SECRET}</li>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # plain text, escaped
    assert "<script>alert(1)" not in page
    assert "Nothing written here yet." in page  # empty parts are fine
    again = member_client.get(reverse("community:edit_safety_plan")).content.decode()
    assert "Change my safety plan" in again
    assert SECRET in again


def test_the_plan_page_prints_only_the_plan(member_client, member):
    services.save_safety_plan(owner=member, sections={"people_to_ask": SECRET})
    page = member_client.get(reverse("community:safety_plan")).content.decode()
    assert "/static/css/safety_plan.css" in page
    assert 'class="safety-plan prose"' in page
    assert "use your browser's print command" in page
    assert "data-print-plan hidden" in page  # the button appears only where scripts run


def test_emptying_every_part_removes_the_plan_and_says_so(member_client, member):
    services.save_safety_plan(owner=member, sections={"people_to_ask": SECRET})
    response = member_client.post(reverse("community:edit_safety_plan"), {}, follow=True)
    assert "Your safety plan is empty now, so we have removed it." in response.content.decode()
    assert not SafetyPlan.objects.filter(owner=member).exists()


def test_too_long_a_part_is_refused_kindly_and_nothing_typed_is_lost(member_client, member):
    long_text = "I matter. " * 400
    response = member_client.post(
        reverse("community:edit_safety_plan"),
        {"reasons_for_living": long_text, "people_to_ask": SECRET},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing you typed has been lost." in page
    assert "Could you keep the words that help most?" in page
    assert SECRET in page
    assert long_text.strip() in page
    assert not SafetyPlan.objects.filter(owner=member).exists()


def test_a_muted_member_can_still_keep_their_plan(client, db):
    muted = UserFactory(muted_until=timezone.now() + timedelta(days=1))
    client.force_login(muted)
    client.post(reverse("community:edit_safety_plan"), {"people_to_ask": SECRET})
    assert SafetyPlan.objects.get(owner=muted).people_to_ask == SECRET


def test_the_plan_pages_are_never_cached(member_client, member):
    services.save_safety_plan(owner=member, sections={"people_to_ask": SECRET})
    for name in PLAN_URLS:
        cache_control = member_client.get(reverse(name))["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_an_error_while_saving_never_puts_the_plan_in_the_error_report(member, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "save_safety_plan", broken)
    request = RequestFactory().post(
        reverse("community:edit_safety_plan"), {"people_to_ask": SECRET}
    )
    request.user = member
    try:
        safety_plan_views.edit_safety_plan(request)
    except RuntimeError:
        report = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "edit_safety_plan" in report
    assert "people_to_ask" in report  # the field is named, its value is not
    assert SECRET not in report


def test_nothing_of_the_plan_reaches_email_notifications_or_logs(
    author, moderator, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    client = Client()
    client.force_login(author)
    topic = make_topic()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("community:safety_plan"))
        client.post(reverse("community:edit_safety_plan"), {"people_to_ask": SECRET})
        client.post(reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT})
        client.get(topic.get_absolute_url())
        client.get(reverse("community:crisis"))
    assert mail.outbox, "the crisis post alerts a moderator by email"
    for message in mail.outbox:
        text = " ".join(
            [message.subject, message.body, *(body for body, _ in message.alternatives)]
        )
        assert SECRET not in text
        assert HIDDEN_REASON not in text
    for notification in Notification.objects.all():
        assert SECRET not in str(vars(notification))
    assert SECRET not in caplog.text
    assert HIDDEN_REASON not in caplog.text


# --- where the plan is offered: the crisis panel, the help page, the account menu ------------


def test_the_crisis_panel_shows_the_author_their_plans_first_steps(author):
    client = Client()
    client.force_login(author)
    topic = make_topic()
    response = client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT}, follow=True
    )
    page = response.content.decode()
    assert "Thank you for telling us how you are" in page
    assert "From your safety plan" in page
    assert "<li>A hot shower</li>" in page
    assert f"<li>{SECRET}</li>" in page
    assert "I stop answering messages" not in page  # signs to notice are not steps to take
    assert HIDDEN_REASON not in page
    assert reverse("community:safety_plan") in page


def test_the_crisis_panel_shows_no_one_else_the_authors_plan(author, moderator):
    topic = make_topic()
    author_client = Client()
    author_client.force_login(author)
    author_client.post(reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT})
    # Another member in crisis in the same conversation sees their own plan, not the author's.
    other = UserFactory()
    services.save_safety_plan(owner=other, sections={"coping_on_my_own": "Phone my brother"})
    other_client = Client()
    other_client.force_login(other)
    response = other_client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT}, follow=True
    )
    page = response.content.decode()
    assert "Phone my brother" in page
    assert SECRET not in page
    assert "A hot shower" not in page
    moderator_client = Client()
    moderator_client.force_login(moderator)
    page = moderator_client.get(topic.get_absolute_url()).content.decode()
    assert SECRET not in page
    assert "From your safety plan" not in page


def test_the_crisis_panel_invites_a_member_without_a_plan(member_client):
    topic = make_topic()
    response = member_client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}), {"body": CRISIS_TEXT}, follow=True
    )
    page = response.content.decode()
    assert 'you could <a href="/my/safety-plan/">write a safety plan</a>' in page
    assert "From your safety plan" not in page


def test_the_help_page_links_a_member_to_their_plan(author):
    client = Client()
    client.force_login(author)
    page = client.get(reverse("community:crisis")).content.decode()
    assert "Your safety plan" in page
    assert "Open my whole safety plan" in page
    assert "<li>Walk round the block</li>" in page


def test_the_help_page_invites_members_without_a_plan_and_shows_others_nothing(author):
    client = client_for("other member")
    page = client.get(reverse("community:crisis")).content.decode()
    assert 'you could <a href="/my/safety-plan/">write a safety plan</a>' in page
    assert SECRET not in page
    anonymous = Client().get(reverse("community:crisis")).content.decode()
    assert "safety plan" not in anonymous
    assert "988" in anonymous or "Need help now?" in anonymous


def test_the_account_menu_offers_the_plan(member_client):
    page = member_client.get(reverse("accounts:edit_profile")).content.decode()
    assert '<a href="/my/safety-plan/">My safety plan</a>' in page
    page = member_client.get(reverse("community:safety_plan")).content.decode()
    assert '<a href="/my/safety-plan/" aria-current="page">My safety plan</a>' in page


def test_the_own_plan_tag_gives_anonymous_viewers_nothing(author):
    from community.templatetags.safety_plan_tags import own_safety_plan

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert own_safety_plan({"request": request}) is None
    assert own_safety_plan({}) is None
