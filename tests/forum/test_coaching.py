"""Reply coaching (forum.coaching) and the story template: suggestions, never barriers."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from forum import coaching
from forum.forms import STORY_TEMPLATE, start_from_story_template
from forum.models import CoachingPhrase, Post
from tests.factories import CategoryFactory, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_list():
    coaching.forget_hints()
    yield
    coaching.forget_hints()


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Honestly, You Should try meditation.", "you should"),
        ("Maybe just   stop drinking", "just stop"),
        ("it\u2019s your fault, kind of", "it's your fault"),  # a curly apostrophe, as phones type
        ("Man up!", "man up"),
    ],
)
def test_listed_phrases_earn_their_suggestion(text, phrase):
    hint = coaching.hint_for(text)
    assert hint is not None and hint.phrase == phrase
    assert hint.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "What helped me was a walk every morning.",
        "You shouldn't have to face this alone.",  # not "you should"
        "I was told to manup once",  # not the whole words
    ],
)
def test_words_from_experience_earn_nothing(text):
    assert coaching.hint_for(text) is None


def test_an_admin_adds_a_phrase_and_retires_one():
    assert coaching.hint_for("Pull yourself together") is None
    CoachingPhrase.objects.create(phrase="pull yourself together", suggestion="Try sharing.")
    CoachingPhrase.objects.filter(phrase="you should").update(is_active=False)
    # What the admin's save does (forum.admin.CoachingPhraseAdmin).
    coaching.forget_hints()
    assert coaching.hint_for("Pull yourself together").suggestion == "Try sharing."
    assert coaching.hint_for("you should rest") is None


def test_saving_in_the_admin_reaches_members_at_once(
    admin_user, django_capture_on_commit_callbacks
):
    assert coaching.hint_for("Chin up, buttercup") is None
    model_admin = site._registry[CoachingPhrase]
    request = RequestFactory().post("/")
    request.user = admin_user
    phrase = CoachingPhrase(phrase="chin up")
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, phrase, form=None, change=False)
    assert coaching.hint_for("Chin up, buttercup").phrase == "chin up"


def test_the_list_is_served_to_members_only(member_client):
    url = reverse("forum:coaching_phrases")
    assert Client().get(url).status_code == 302
    hints = member_client.get(url).json()["hints"]
    assert {"phrase": "you should", "suggestion": coaching.GENERAL_SUGGESTION} in hints
    assert member_client.post(url).status_code == 405


def test_a_preview_shows_the_hint_and_posting_is_never_blocked(member_client):
    topic = make_topic()
    url = reverse("forum:reply", args=[topic.pk])
    body = "You should just go to a meeting."
    page = member_client.post(url, {"body": body, "preview": "1"}).content.decode()
    assert "A thought before you post:" in page
    assert "“you should” can sound like an instruction." in page
    assert "You can post it as it is." in page
    assert body in page  # the words are kept
    response = member_client.post(url, {"body": body})
    assert response.status_code == 302
    assert Post.objects.filter(topic=topic, body=body).exists()


def test_a_preview_without_listed_phrases_shows_no_hint(member_client):
    topic = make_topic()
    page = member_client.post(
        reverse("forum:reply", args=[topic.pk]),
        {"body": "What helped me was writing it down.", "preview": "1"},
    ).content.decode()
    assert "A thought before you post:" not in page
    assert re.search(r"<p class=\"coaching-hint\"[^>]*hidden", page)


def test_the_reply_box_on_the_topic_page_is_coached(member_client):
    topic = make_topic()
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert f'data-coaching="{reverse("forum:coaching_phrases")}"' in page
    assert "js/coaching" in page


def test_the_story_template_keeps_what_was_typed_and_shows_no_errors(member_client):
    category = CategoryFactory()
    url = reverse("forum:new_topic", args=[category.slug])
    response = member_client.post(
        url, {"title": "", "body": "I have been sober 40 days.", "story_template": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "### Where I was" in page and "### Where I am now" in page
    assert "I have been sober 40 days." in page
    assert "Please give your topic a title." not in page
    assert not Post.objects.exists()


def test_enter_in_the_title_posts_the_topic_not_the_story_template(member_client):
    # A browser submits a form on Enter with its first submit button.
    category = CategoryFactory()
    page = member_client.get(reverse("forum:new_topic", args=[category.slug])).content.decode()
    form = page[page.index("data-posting-form") :]
    first = re.search(r"<button type=\"submit\"([^>]*)>([^<]*)</button>", form)
    assert first is not None and first.group(2) == "Post topic", first


def test_the_story_template_is_added_once():
    once = start_from_story_template("Day one.")
    assert once.startswith(STORY_TEMPLATE) and once.endswith("Day one.")
    assert start_from_story_template(once) == once


def test_a_story_started_from_the_template_posts_with_headings(member_client):
    category = CategoryFactory()
    body = start_from_story_template("").replace(
        "### What helped\n\n", "### What helped\n\nMy sister, and mornings.\n"
    )
    member_client.post(
        reverse("forum:new_topic", args=[category.slug]), {"title": "Ninety days", "body": body}
    )
    post = Post.objects.get(topic__title="Ninety days")
    # Headings keep their place under the page's own (forum.rendering shifts their level).
    assert re.search(r"<h\d>What helped</h\d>", post.body_html)
