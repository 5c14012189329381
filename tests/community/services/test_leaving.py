"""Leaving, across the site: what an export holds, and finalising a deletion."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts import leaving as account_leaving
from accounts.models import AccountDeletion, ExportRequest, ExportState, User
from community import tasks
from community.models import ModerationLog, SafetyPlan
from community.services import leaving, save_safety_plan
from forum import search
from forum import services as forum_services
from forum.models import Post, PostRevision, Topic
from forum.notifications.models import Notification
from tests.factories import UserFactory, make_reply, make_topic, mute

STORY = "Six months sober today. The mornings are the hardest."
PASSWORD = "a-long-test-password"


def _built(member: User) -> zipfile.ZipFile:
    export = ExportRequest.objects.create(member=member)
    assert tasks.build_export(export.pk) == "ready"
    export.refresh_from_db()
    return zipfile.ZipFile(account_leaving.export_path(export))


@pytest.mark.django_db
def test_the_export_holds_the_members_words_settings_and_history_but_nobody_elses():
    member = UserFactory(display_name="Robin")
    other = UserFactory(display_name="Sage")
    topic = make_topic(author=member, title="Six months", body="First draft of my story.")
    opening = topic.posts.get()
    forum_services.edit_post(editor=member, post=opening, body=STORY, reason="Say it better")
    reply = make_reply(topic=topic, author=other, body="Sage's private struggles, in a reply.")
    forum_services.set_reaction(user=member, post=reply, kind="strength", on=True)
    save_safety_plan(owner=member, sections={"reasons_for_living": "My dog, Biscuit."})
    save_safety_plan(owner=other, sections={"reasons_for_living": "Sage's own reasons."})

    archive = _built(member)

    names = set(archive.namelist())
    assert {"profile.json", "posts.json", "reactions_given.json", "notifications.json"} <= names
    assert {"notification_preferences.json", "safety_plan.json", "index.html"} <= names
    posts = json.loads(archive.read("posts.json"))
    assert [p["text"] for p in posts] == [STORY]
    assert posts[0]["history"][0]["text"] == "First draft of my story."
    assert json.loads(archive.read("reactions_given.json"))[0]["kind"] == "strength"
    plan = json.loads(archive.read("safety_plan.json"))
    assert plan["reasons_for_living"] == "My dog, Biscuit."
    assert json.loads(archive.read("profile.json"))["email"] == member.email
    everything = "".join(archive.read(name).decode() for name in names)
    assert "Sage" not in everything and other.email not in everything


@pytest.mark.django_db
def test_the_readable_copy_escapes_the_members_words():
    member = UserFactory()
    make_topic(author=member, body="I wrote <script>alert(1)</script> as a joke.")
    html = _built(member).read("index.html").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


@pytest.mark.django_db
def test_the_export_includes_decisions_the_member_was_told_about_without_who_took_them():
    member = UserFactory()
    moderator = UserFactory(role="moderator", display_name="Moderator Max")
    mute(member, moderator=moderator)
    archive = _built(member)
    decisions = json.loads(archive.read("moderation_decisions.json"))
    assert decisions[0]["action"] == "mute"
    assert decisions[0]["explanation"] == "Let's take a breather."
    assert "Moderator Max" not in archive.read("index.html").decode()


@pytest.mark.django_db
def test_building_twice_builds_once():
    member = UserFactory()
    export = ExportRequest.objects.create(member=member)
    assert tasks.build_export(export.pk) == "ready"
    assert tasks.build_export(export.pk) == "already built"


@pytest.mark.django_db
def test_a_broker_outage_leaves_the_export_for_the_sweep(monkeypatch):
    member = UserFactory()
    monkeypatch.setattr(account_leaving.dispatch, "publish", lambda name, args: False)
    export = account_leaving.request_export(member=member)
    account_leaving.hand_over_export(export.pk)
    monkeypatch.undo()
    handed, _expired = leaving.sweep_exports()
    export.refresh_from_db()
    assert handed == 1
    assert export.state == ExportState.READY


@pytest.mark.django_db
def test_the_sweep_deletes_expired_exports():
    member = UserFactory()
    archive = _built(member)
    export = ExportRequest.objects.get(member=member)
    path = account_leaving.export_path(export)
    assert path.is_file() and archive
    _handed, expired = leaving.sweep_exports(now=timezone.now() + timedelta(days=8))
    export.refresh_from_db()
    assert expired == 1
    assert export.state == ExportState.EXPIRED and export.file_name == ""
    assert not path.exists()


def _due(member: User, *, erase: bool) -> AccountDeletion:
    past = timezone.now() - timedelta(days=8)
    return account_leaving.request_deletion(member=member, erase_posts=erase, now=past)


@pytest.mark.django_db
def test_finalising_with_erase_replaces_each_posts_words_and_keeps_the_thread():
    member = UserFactory()
    topic = make_topic(author=member, title="My story", body=STORY)
    forum_services.edit_post(editor=member, post=topic.posts.get(), body=STORY + " Edited.")
    other = UserFactory()
    quoting = make_reply(topic=topic, author=other, body=f"> {STORY}\n\nSo proud of you.")
    _due(member, erase=True)

    assert tasks.finalise_deletions() == 1

    opening = Post.objects.get(topic=topic, position=1)
    assert opening.body == forum_services.ERASED_BY_LEAVING
    assert forum_services.ERASED_BY_LEAVING in opening.body_html
    assert not PostRevision.objects.filter(post=opening).exists()
    assert Topic.objects.get(pk=topic.pk).title == forum_services.ERASED_TITLE
    # Replies quoting them are someone else's words and stay as written.
    quoting.refresh_from_db()
    assert STORY in quoting.body
    # Search and "stories like yours" forget the words too; only the quoting reply is found.
    assert Topic.objects.get(pk=topic.pk).search_words == ""
    found = search.search_posts(reader=other, query=search.parse_query("proud"))
    assert [hit.post_id for hit in found.hits] == [quoting.pk]
    assert search.search_posts(reader=other, query=search.parse_query("Edited")).hits == []


@pytest.mark.django_db
def test_finalising_with_keep_leaves_the_posts_signed_a_former_member(client):
    member = UserFactory(display_name="Robin", bio="About me", pronouns="they/them")
    topic = make_topic(author=member, body=STORY)
    save_safety_plan(owner=member, sections={"warning_signs": "Not sleeping."})
    Notification.objects.create(recipient=member, kind="mention", event_key="x", message="Hi")
    _due(member, erase=False)

    assert tasks.finalise_deletions() == 1

    member.refresh_from_db()
    assert Post.objects.get(topic=topic).body == STORY
    assert member.public_name == "a former member"
    assert member.username.startswith("former-member-")
    assert (member.email, member.bio, member.pronouns, member.is_active) == ("", "", "", False)
    assert not member.has_usable_password()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not SafetyPlan.objects.filter(owner=member).exists()
    assert not Notification.objects.filter(recipient=member).exists()
    reader = UserFactory()
    client.force_login(reader)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert STORY in page and "a former member" in page and "Robin" not in page
    # Nothing links their posts together or to a profile.
    assert member.username not in page
    listing = client.get(topic.category.get_absolute_url()).content.decode()
    assert "started by a former member" in listing and member.username not in listing


@pytest.mark.django_db
def test_finalising_twice_or_too_early_changes_nothing():
    member = UserFactory()
    early = account_leaving.request_deletion(member=member, erase_posts=True)
    assert leaving.finalise_deletion(deletion_id=early.pk) == "waiting"
    assert tasks.finalise_deletions() == 0
    member.refresh_from_db()
    assert member.is_active
    AccountDeletion.objects.filter(pk=early.pk).update(delete_after=timezone.now())
    assert leaving.finalise_deletion(deletion_id=early.pk) == "finalised"
    username = User.objects.get(pk=member.pk).username
    assert leaving.finalise_deletion(deletion_id=early.pk) == "already finalised"
    assert tasks.finalise_deletions() == 0
    assert User.objects.get(pk=member.pk).username == username


@pytest.mark.django_db
def test_the_moderation_log_keeps_its_rows_with_the_member_pseudonymised(client):
    member = UserFactory(display_name="Robin")
    moderator = UserFactory(role="moderator")
    log = mute(member, moderator=moderator)
    _due(member, erase=False)
    tasks.finalise_deletions()
    kept = ModerationLog.objects.get(pk=log.pk)
    assert kept.target_user_id == member.pk
    assert kept.target_user.log_name.startswith("former member #")
    client.force_login(moderator)
    page = client.get(reverse("community:log")).content.decode()
    assert kept.target_user.log_name in page and "Robin" not in page


@pytest.mark.django_db
def test_a_deleted_member_cannot_log_in(client):
    member = UserFactory()
    email = member.email
    _due(member, erase=False)
    tasks.finalise_deletions()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_export_left_building_by_a_lost_worker_is_built_again():
    member = UserFactory()
    long_ago = timezone.now() - timedelta(hours=1)
    export = ExportRequest.objects.create(
        member=member, state=ExportState.BUILDING, dispatched_at=long_ago
    )
    recent = ExportRequest.objects.create(
        member=UserFactory(), state=ExportState.BUILDING, dispatched_at=timezone.now()
    )
    handed, _expired = leaving.sweep_exports()
    export.refresh_from_db()
    recent.refresh_from_db()
    assert handed == 1
    assert export.state == ExportState.READY
    assert recent.state == ExportState.BUILDING


@pytest.mark.django_db
def test_a_new_export_replaces_the_one_before():
    member = UserFactory()
    _built(member)
    first = ExportRequest.objects.get(member=member)
    first_path = account_leaving.export_path(first)
    _built(member)
    first.refresh_from_db()
    assert first.state == ExportState.EXPIRED
    assert not first_path.exists()
    assert ExportRequest.objects.filter(member=member, state=ExportState.READY).count() == 1


@pytest.mark.django_db
def test_milestones_and_warnings_are_exported_and_erased_with_the_member():
    from forum import milestones
    from forum.content_warnings import ContentWarning
    from forum.models import Milestone, MilestoneCounter

    member = UserFactory()
    counter = milestones.start_counter(
        owner=member, label="Days without a drink", started_on=timezone.now().date()
    )
    forum_services.create_topic(
        author=member,
        category=make_topic().category,
        title="A heavy week",
        body=STORY,
        warning_flags=ContentWarning.GRIEF_LOSS,
        warning_note="my dad",
    )
    contents = leaving.export_contents(member)
    assert contents["milestone_counters"] == [
        {"label": "Days without a drink", "started_on": counter.started_on.isoformat()}
    ]
    assert contents["posts"][0]["content_warnings"] == ["Grief and loss"]
    assert contents["posts"][0]["content_warning_note"] == "my dad"

    _due(member, erase=True)
    assert tasks.finalise_deletions() == 1
    assert not MilestoneCounter.objects.exists()
    assert not Post.objects.filter(warning_note="my dad").exists()
    assert not Milestone.objects.filter(post__author=member).exists()
