"""Fragments and remembered values: one computation per distinct input, new keys for a new
template or release."""

from dataclasses import dataclass

import pytest

from forum import fragments

TEMPLATE = "forum/_category_row.html"


@dataclass(frozen=True)
class Shown:
    pk: int
    title: str
    reply_count: int = 0
    last_poster_username: str = ""
    category_name: str = ""
    last_activity_at: None = None


def test_the_key_follows_the_context_the_template_and_the_release(monkeypatch, settings):
    key = fragments.fragment_key(TEMPLATE, Shown(1, "a"))
    assert key == fragments.fragment_key(TEMPLATE, Shown(1, "a"))
    assert key != fragments.fragment_key(TEMPLATE, Shown(1, "b"))
    settings.RELEASE = "the next deploy"
    assert key != fragments.fragment_key(TEMPLATE, Shown(1, "a"))
    settings.RELEASE = fragments.settings.RELEASE
    monkeypatch.setattr(fragments, "template_digest", lambda name: "an edited template")
    assert key != fragments.fragment_key(TEMPLATE, Shown(1, "a"))


@pytest.mark.django_db
def test_equal_contexts_render_once_and_come_back_from_the_cache(renders):
    first, same = fragments.render_many(
        "forum/_latest_row.html", [Shown(1, "a"), Shown(1, "a")], as_name="row"
    )
    assert first == same and len(renders) == 1
    assert fragments.render_many("forum/_latest_row.html", [Shown(1, "a")], as_name="row") == [
        first
    ]
    assert len(renders) == 1


def test_remember_builds_once_per_parts_and_release(settings):
    built = []

    def build():
        built.append(1)
        return ["value"]

    assert fragments.remember(("topic", 1, 7), build) == ["value"]
    assert fragments.remember(("topic", 1, 7), build) == ["value"]
    assert len(built) == 1
    fragments.remember(("topic", 1, 8), build)
    assert len(built) == 2
    settings.RELEASE = "the next deploy"
    fragments.remember(("topic", 1, 8), build)
    assert len(built) == 3


def test_an_empty_value_is_remembered_too():
    built = []
    fragments.remember(("empty",), lambda: built.append(1) or frozenset())
    fragments.remember(("empty",), lambda: built.append(1) or frozenset())
    assert built == [1]
