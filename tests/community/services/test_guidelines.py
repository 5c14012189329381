"""Publishing a new version of the guidelines (community/services/guidelines.py)."""

from __future__ import annotations

from community import selectors, services
from community.models import Guidelines


def test_a_saved_version_is_rendered_and_replaces_the_cached_one_after_commit(
    db, django_capture_on_commit_callbacks
):
    assert selectors.current_guidelines().version == 1  # now cached
    new = Guidelines(version=2, principles="Be gentle.", body="Be *kind*.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.save_guidelines(guidelines=new)
    assert new.body_html == "<p>Be <em>kind</em>.</p>\n"
    # Until the transaction commits, pages keep showing the version other connections see.
    assert selectors.current_guidelines().version == 1
    for callback in callbacks:
        callback()
    assert selectors.current_guidelines().version == 2
