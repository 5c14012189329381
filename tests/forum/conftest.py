"""Fixtures for the forum's cached pages: count what is rendered and what is read."""

import pytest

from forum import fragments


@pytest.fixture
def renders(monkeypatch):
    """The template names forum.fragments rendered (cache misses), in order."""
    calls: list[str] = []
    real = fragments.render_to_string

    def counting(template_name, context):
        calls.append(template_name)
        return real(template_name, context)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    return calls
