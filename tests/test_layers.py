"""The layers hold where import contracts cannot see: in templates, and in ORM attribute use.

`lint-imports` checks Python imports (accounts <- forum <- community) and ruff's banned-api
checks imports of Django's ORM internals. Neither sees a template that loads community's tags
or reverses a community URL, nor code that reaches into a queryset's private attributes
without importing anything. These tests read the files; no database is needed.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# --- templates: forum and accounts never depend on community ---------------------------------

# {% load community_tags %} (alone or among other libraries), a community URL name, or a
# community template pulled in with include/extends.
COMMUNITY_IN_TEMPLATE = re.compile(
    r"""\{%\s*load\s[^%]*\bcommunity_tags\b"""
    r"""|["']community:[\w-]+["']"""
    r"""|\{%\s*(?:include|extends)\s+["']community/"""
)


def _lower_layer_templates() -> list[Path]:
    return sorted(
        path
        for folder in ("forum", "accounts")
        for path in (TEMPLATES / folder).rglob("*")
        if path.is_file()
    )


def _template_params() -> list:
    return [
        pytest.param(path, id=path.relative_to(TEMPLATES).as_posix())
        for path in _lower_layer_templates()
    ]


def test_there_are_forum_and_accounts_templates_to_check():
    names = {path.relative_to(TEMPLATES).as_posix() for path in _lower_layer_templates()}
    assert "forum/topic.html" in names
    assert "accounts/profile.html" in names


@pytest.mark.parametrize("path", _template_params())
def test_forum_and_accounts_templates_do_not_use_community(path: Path):
    found = [match.group(0) for match in COMMUNITY_IN_TEMPLATE.finditer(path.read_text())]
    assert found == [], f"{path.relative_to(ROOT)} depends on community: {found}"


@pytest.mark.parametrize(
    "text",
    [
        "{% load community_tags %}",
        "{% load humanize community_tags %}",
        "{% url 'community:report_post' post.pk %}",
        '{% url "community:crisis" %}',
        '{% include "community/moderation/_crisis_panel.html" %}',
    ],
)
def test_the_template_pattern_finds_each_form_of_dependency(text: str):
    assert COMMUNITY_IN_TEMPLATE.search(text)


@pytest.mark.parametrize(
    "text",
    ["{% load humanize %}", "{% url 'forum:topic' topic.pk %}", "<p>our community</p>"],
)
def test_the_template_pattern_leaves_other_text_alone(text: str):
    assert not COMMUNITY_IN_TEMPLATE.search(text)


# --- code: only Django's public ORM API ------------------------------------------------------

# Attributes of a QuerySet's private state, and anything reached through `queryset.query` (the
# sql.Query object and its compiler): none is public API, all change between Django releases.
ORM_INTERNALS = re.compile(
    r"\._(?:iterable_class|result_cache|prefetch_related_lookups|known_related_objects"
    r"|fetch_all|clone|chain|sticky_filter|for_write|hints|defer_next_filter|deferred_filter"
    r"|prefetch_done|query)\b"
    r"|\.query\.\w"
    r"|\bget_compiler\("
)

SCANNED = ("accounts", "forum", "community", "config", "bench", "tests")
SKIPPED_PARTS = {"migrations", ".peers", "__pycache__"}
THIS_FILE = Path(__file__).resolve()


def _python_files() -> list[Path]:
    return sorted(
        path
        for folder in SCANNED
        for path in (ROOT / folder).rglob("*.py")
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts) and path != THIS_FILE
    )


def test_no_code_reaches_into_orm_internals():
    found = []
    for path in _python_files():
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if ORM_INTERNALS.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == [], "ORM internals (use the public QuerySet API):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "if queryset._iterable_class is ValuesIterable:",
        "compiler = queryset.query.get_compiler(using=using)",
        "qs.query.where.children",
        "topics._result_cache = rows",
        "qs._fetch_all()",
    ],
)
def test_the_code_pattern_finds_orm_internals(line: str):
    assert ORM_INTERNALS.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "post._meta.get_field('body')",
        "post.refresh_from_db()",
        "Topic.objects.filter(pk=pk).query",
        "print(str(qs.query))",
        "request.GET.get('query')",
    ],
)
def test_the_code_pattern_leaves_public_api_alone(line: str):
    assert not ORM_INTERNALS.search(line)
