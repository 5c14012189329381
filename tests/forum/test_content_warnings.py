"""Content warnings: what authors mark, what each reader chose, and what lists leave out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum import content_warnings, services
from forum.content_warnings import ContentWarning
from forum.forms import ReplyForm, TopicForm
from forum.models import Category, Post, Topic
from tests.factories import CategoryFactory, UserFactory, make_reply, make_topic
from tests.forum.test_query_counts import WARM, count_queries

pytestmark = pytest.mark.django_db

SUICIDE = ContentWarning.SUICIDE_SELF_HARM
GRIEF = ContentWarning.GRIEF_LOSS


def warned_topic(*, flags: int = SUICIDE, note: str = "", **fields) -> Topic:
    return services.create_topic(
        author=fields.pop("author", None) or UserFactory(),
        category=fields.pop("category", None) or CategoryFactory(),
        title=fields.pop("title", "A hard night"),
        body=fields.pop("body", "WARNEDBODY what happened last winter"),
        warning_flags=flags,
        warning_note=note,
    )


def choose(user, **choices: str) -> None:
    """`user` chose, per warning name (a ContentWarning member name), show/fold/hide."""
    services.set_content_warning_choices(
        user=user, choices={ContentWarning[name].value: c for name, c in choices.items()}
    )


# --- the list, the words and the choices ---------------------------------------------------


def test_words_name_each_warning_then_the_note():
    assert content_warnings.describe(SUICIDE | GRIEF, "") == "Suicide or self-harm, grief and loss"
    assert content_warnings.describe(GRIEF, "A death in the family") == (
        "Grief and loss. A death in the family"
    )
    assert content_warnings.describe(0, "Hospital stay") == "Hospital stay"
    assert content_warnings.describe(0, "") == ""


def test_posts_fold_by_default_and_show_or_hide_by_choice():
    reader = UserFactory()
    assert content_warnings.folds_for(reader, SUICIDE, "")
    assert not content_warnings.folds_for(reader, 0, "")
    choose(reader, SUICIDE_SELF_HARM="show", GRIEF_LOSS="hide")
    assert not content_warnings.folds_for(reader, SUICIDE, "")
    # Shown for one warning, still folded for another it carries.
    assert content_warnings.folds_for(reader, SUICIDE | GRIEF, "")
    # A note alone folds for everyone: nobody chose to see it shown.
    assert content_warnings.folds_for(reader, 0, "Hospital stay")
    assert content_warnings.is_hidden_from_lists(reader, GRIEF)
    assert not content_warnings.is_hidden_from_lists(reader, SUICIDE)
    reader.refresh_from_db()
    assert content_warnings.choice_for(reader, SUICIDE) == "show"
    assert content_warnings.choice_for(reader, GRIEF) == "hide"
    assert content_warnings.choice_for(reader, ContentWarning.EATING) == "fold"


def test_the_queryset_helper_leaves_out_topics_the_reader_hides():
    warned = warned_topic(flags=GRIEF)
    plain = make_topic()
    reader = UserFactory()
    assert set(content_warnings.without_hidden(Topic.objects.listed(), reader)) == {warned, plain}
    choose(reader, GRIEF_LOSS="hide")
    assert list(content_warnings.without_hidden(Topic.objects.listed(), reader)) == [plain]


# --- forms -----------------------------------------------------------------------------------


def test_the_form_turns_ticked_warnings_into_flags_and_trims_the_note():
    form = ReplyForm(
        {"body": "Hi", "warnings": [str(SUICIDE), str(GRIEF)], "warning_note": "  Loss  "}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["warning_flags"] == SUICIDE | GRIEF
    assert form.cleaned_data["warning_note"] == "Loss"


def test_a_long_note_is_refused_kindly_and_what_was_typed_is_kept():
    note = "x" * 81
    form = TopicForm(
        {"title": "Title", "body": "Body", "warnings": [str(SUICIDE)], "warning_note": note}
    )
    assert not form.is_valid()
    assert "up to 80 characters (yours has 81)" in form.errors["warning_note"][0]
    html = str(form["warning_note"]) + "".join(str(box) for box in form["warnings"])
    assert note in html and "checked" in html


def test_an_unknown_warning_is_refused():
    form = ReplyForm({"body": "Hi", "warnings": ["999"]})
    assert not form.is_valid()
    assert "warnings" in form.errors


def test_the_new_topic_page_keeps_ticked_warnings_on_errors_and_preview(member_client):
    category = CategoryFactory()
    url = reverse("forum:new_topic", kwargs={"slug": category.slug})
    data = {"title": "", "body": "Words", "warnings": [str(GRIEF)], "warning_note": "A loss"}
    page = member_client.post(url, data).content.decode()
    assert "<legend>Content warnings (optional)</legend>" in page
    assert f'value="{GRIEF}"' in page and "checked" in page and 'value="A loss"' in page
    data["title"] = "Missing my dad"
    data["preview"] = "1"
    page = member_client.post(url, data).content.decode()
    assert "checked" in page and 'value="A loss"' in page
    assert not Topic.objects.exists()


# --- writing ---------------------------------------------------------------------------------


def test_warnings_are_stored_and_the_topic_mirrors_its_opening_post(member_client):
    category = CategoryFactory()
    url = reverse("forum:new_topic", kwargs={"slug": category.slug})
    member_client.post(
        url,
        {
            "title": "Missing my dad",
            "body": "Words",
            "warnings": [str(GRIEF)],
            "warning_note": "<b>x</b>",
        },
    )
    topic = Topic.objects.get()
    post = topic.posts.get()
    assert topic.warning_flags == post.warning_flags == GRIEF
    assert post.warning_note == "<b>x</b>"  # plain text, escaped where shown
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Grief and loss. &lt;b&gt;x&lt;/b&gt;" in page


def test_a_reply_carries_its_own_warnings(member_client):
    topic = make_topic()
    member_client.post(
        reverse("forum:reply", kwargs={"pk": topic.pk}),
        {"body": "Same here", "warnings": [str(SUICIDE)]},
    )
    reply = topic.posts.get(position=2)
    assert reply.warning_flags == SUICIDE
    topic.refresh_from_db()
    assert topic.warning_flags == 0  # only the opening post decides the lists


def test_editing_changes_warnings_and_bumps_the_revisions(member_client, member):
    topic = warned_topic(author=member, flags=SUICIDE)
    category_revision = Category.objects.get(pk=topic.category_id).revision
    post = topic.posts.get()
    response = member_client.post(
        reverse("forum:edit_post", kwargs={"pk": post.pk}),
        {"title": topic.title, "body": post.body, "warnings": [str(GRIEF)], "warning_note": ""},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    topic.refresh_from_db()
    assert post.warning_flags == topic.warning_flags == GRIEF
    assert Category.objects.get(pk=topic.category_id).revision > category_revision
    page = member_client.get(reverse("forum:edit_post", kwargs={"pk": post.pk})).content.decode()
    assert f'value="{GRIEF}"' in page


def test_set_post_warnings_reports_whether_anything_changed():
    topic = make_topic()
    post = topic.posts.get()
    revision = topic.revision
    assert services.set_post_warnings(post=post, warning_flags=SUICIDE, warning_note="") is True
    assert services.set_post_warnings(post=post, warning_flags=SUICIDE, warning_note="") is False
    topic.refresh_from_db()
    assert topic.warning_flags == SUICIDE and topic.revision > revision


# --- reading ---------------------------------------------------------------------------------


def test_a_warned_post_is_folded_behind_details_by_default(member_client):
    topic = warned_topic(flags=SUICIDE, note="Past tense")
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert '<details class="content-warning">' in page
    assert "Content warning: Suicide or self-harm. Past tense" in page
    assert '<span class="content-warning-show">Show</span>' in page
    folded = page.split('<details class="content-warning">', 1)[1].split("</details>", 1)[0]
    assert "WARNEDBODY" in folded


def test_a_reader_who_shows_a_warning_reads_the_post_open(member_client, member):
    topic = warned_topic(flags=SUICIDE)
    member_client.get(topic.get_absolute_url())  # a folded page is cached first
    choose(member, SUICIDE_SELF_HARM="show")
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'class="content-warning"' not in page
    assert "Content warning: Suicide or self-harm" in page and "WARNEDBODY" in page


def test_readers_with_different_choices_each_get_their_own_fold(client):
    topic = warned_topic(flags=SUICIDE)
    shows, folds = UserFactory(), UserFactory()
    choose(shows, SUICIDE_SELF_HARM="show")
    for reader, folded in ((shows, False), (folds, True), (shows, False)):
        client.force_login(reader)
        page = client.get(topic.get_absolute_url()).content.decode()
        assert ('<details class="content-warning">' in page) is folded


def test_posts_without_warnings_carry_no_warning_markup(member_client):
    topic = make_topic(body="PLAINBODY")
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert "PLAINBODY" in page
    assert 'class="content-warning' not in page and "Content warning:" not in page
    # The reply box offers the warnings to the next author.
    assert "<legend>Content warnings (optional)</legend>" in page


def test_starting_from_the_story_template_keeps_the_ticked_warnings(member_client):
    category = CategoryFactory()
    url = reverse("forum:new_topic", kwargs={"slug": category.slug})
    data = {"title": "Mine", "body": "", "warnings": [str(GRIEF)], "story_template": "1"}
    page = member_client.post(url, data).content.decode()
    assert "Where I was" in page
    box = page.split(f'value="{GRIEF}"', 1)[1].split(">", 1)[0]
    assert "checked" in box


# --- lists -----------------------------------------------------------------------------------


def test_hidden_topics_are_left_out_of_lists_with_a_note_and_still_open(member_client, member):
    category = CategoryFactory()
    hidden = warned_topic(flags=GRIEF, category=category, title="HIDDENTITLE")
    make_topic(category=category, title="PLAINTITLE")
    choose(member, GRIEF_LOSS="hide")
    for url in (category.get_absolute_url(), "/"):
        page = member_client.get(url).content.decode()
        assert "HIDDENTITLE" not in page and "PLAINTITLE" in page
        assert "1 topic is left out here because of your content warning choices." in page
        assert reverse("forum:content_warning_settings") in page
    opened = member_client.get(hidden.get_absolute_url()).content.decode()
    assert "HIDDENTITLE" in opened and '<details class="content-warning">' in opened


def test_readers_who_fold_still_see_the_topic_in_lists(member_client):
    category = CategoryFactory()
    warned_topic(flags=GRIEF, category=category, title="FOLDEDTITLE")
    page = member_client.get(category.get_absolute_url()).content.decode()
    assert "FOLDEDTITLE" in page and "left out" not in page


def test_a_page_whose_topics_are_all_hidden_does_not_say_it_is_empty(member_client, member):
    category = CategoryFactory()
    warned_topic(flags=GRIEF, category=category)
    choose(member, GRIEF_LOSS="hide")
    page = member_client.get(category.get_absolute_url()).content.decode()
    assert "No topics yet" not in page and "1 topic is left out" in page


# --- settings page ---------------------------------------------------------------------------


def test_the_settings_page_shows_and_saves_each_choice(member_client, member):
    url = reverse("forum:content_warning_settings")
    page = member_client.get(url).content.decode()
    assert "<legend>Suicide or self-harm</legend>" in page
    # Fold behind a tap is everyone's starting choice.
    form = page.split('<form method="post" class="stack"', 1)[1]
    assert form.count(" checked") == len(ContentWarning.values)
    assert form.count('value="fold"') == len(ContentWarning.values)
    data = {f"warning_{value}": "fold" for value in ContentWarning.values}
    data[f"warning_{SUICIDE}"] = "show"
    data[f"warning_{GRIEF}"] = "hide"
    response = member_client.post(url, data, follow=True)
    assert "Your content warning choices are saved." in response.content.decode()
    member.refresh_from_db()
    assert member.content_warnings_shown == SUICIDE
    assert member.content_warnings_hidden == GRIEF


def test_a_missing_choice_is_explained_and_nothing_is_saved(member_client, member):
    response = member_client.post(
        reverse("forum:content_warning_settings"), {f"warning_{SUICIDE}": "show"}
    )
    assert "Please choose how to see posts with this warning." in response.content.decode()
    member.refresh_from_db()
    assert member.content_warnings_shown == member.content_warnings_hidden == 0


def test_the_settings_page_is_in_the_account_nav(member_client):
    page = member_client.get(reverse("accounts:edit_profile")).content.decode()
    assert reverse("forum:content_warning_settings") in page


# --- query counts ----------------------------------------------------------------------------


def test_pages_with_warned_posts_keep_their_constant_queries(client, settings):
    settings.POSTS_PER_PAGE = 50
    settings.TOPICS_PER_PAGE = 50
    category = CategoryFactory()
    topic = warned_topic(flags=SUICIDE, category=category)
    for i in range(20):
        post = make_reply(topic=topic)
        services.set_post_warnings(post=post, warning_flags=GRIEF if i % 2 else 0, warning_note="")
        warned_topic(flags=GRIEF if i % 2 else SUICIDE, category=category)
    reader = UserFactory()
    choose(reader, GRIEF_LOSS="hide", SUICIDE_SELF_HARM="show")
    client.force_login(reader)
    for url in (topic.get_absolute_url(), category.get_absolute_url(), "/"):
        count, sql = count_queries(client, url)
        assert count == WARM, sql
    # The reader's lists really did leave topics out (10 hidden, 11 shown).
    page = client.get(category.get_absolute_url()).content.decode()
    assert "10 topics are left out here" in page
    assert Post.objects.filter(warning_flags=GRIEF).count() == 20
