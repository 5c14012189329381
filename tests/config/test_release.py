"""The release in cache keys: a digest of the code and templates when the deploy names none."""

from pathlib import Path

from config.release import source_digest


def _project(root: Path, template: str) -> Path:
    (root / "forum").mkdir(parents=True)
    (root / "forum" / "views.py").write_text("x = 1\n")
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text(template)
    (root / "var").mkdir()
    (root / "var" / "notes.txt").write_text("not code")
    return root


def test_the_digest_follows_code_and_templates_only(tmp_path):
    root = _project(tmp_path / "a", "<p>hello</p>")
    before = source_digest(root)
    assert before == source_digest(root)
    (root / "var" / "notes.txt").write_text("changed, but not part of a release")
    assert source_digest(root) == before
    (root / "templates" / "page.html").write_text("<p>hello again</p>")
    assert source_digest(root) != before


def test_the_settings_carry_a_release(settings):
    assert settings.RELEASE
