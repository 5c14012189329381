"""Fragments: one render per distinct set of shown values, new keys for a changed template."""

import pytest
from django.core.cache import cache

from forum import fragments

TEMPLATE = "forum/_category_rows.html"


def test_the_key_follows_the_values_and_the_template(monkeypatch):
    key = fragments.fragment_key(TEMPLATE, (1, "a"))
    assert key == fragments.fragment_key(TEMPLATE, (1, "a"))
    assert key != fragments.fragment_key(TEMPLATE, (1, "b"))
    monkeypatch.setattr(fragments, "template_digest", lambda name: "an edited template")
    assert key != fragments.fragment_key(TEMPLATE, (1, "a"))


@pytest.mark.django_db
def test_equal_values_render_once_and_come_back_from_the_cache(monkeypatch):
    calls = []
    real = fragments.render_to_string
    monkeypatch.setattr(
        fragments, "render_to_string", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    first, same = fragments.render_many(TEMPLATE, [((1,), {"topics": []}), ((1,), {"topics": []})])
    assert first == same and len(calls) == 1
    assert fragments.render(TEMPLATE, (1,), {"topics": []}) == first
    assert len(calls) == 1
    assert len([k for k in cache._cache if ":fragment:" in k]) == 1
