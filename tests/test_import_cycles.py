"""No project module imports itself back, round about, function-local imports included.

lint-imports checks cycles between sibling packages; this checks modules, the finer grain:
forum.models registering the notification models (forum.notifications.models, which imports
nothing from the project) is no cycle here, while a function-local import of a tasks module
from the services it calls would be. Services hand work to tasks by name (forum.dispatch)
precisely so that tasks -> services is the only direction.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "forum", "community")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module `name` imports, anywhere in the file (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            if node.level:
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # `from pkg import mod` imports the submodule; `from mod import name` the module.
            candidates = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def project_graph() -> dict[str, set[str]]:
    modules = project_modules()
    known = set(modules)
    graph = {name: imports_of(name, path, known) for name, path in modules.items()}
    # A package's __init__ re-exporting its own submodules is how packages work, not a cycle,
    # as long as the submodules never import the package back (that edge is kept).
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(f"{name}.")}
    return graph


def test_no_module_imports_itself_back():
    assert cycles(project_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_the_app_configs_import_the_tasks():
    # apps.ready() registers the tasks in every process so they can be dispatched by name;
    # services, views and admin never import them.
    graph = project_graph()
    for tasks, app in (
        ("community.tasks", "community.apps"),
        ("forum.notifications.tasks", "forum.apps"),
    ):
        importers = sorted(name for name, targets in graph.items() if tasks in targets)
        assert importers == [app], tasks


def test_the_checker_sees_a_cycle_hidden_in_a_function():
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}
    assert cycles(graph) == [["a", "b"]]


def test_the_checker_reads_every_name_of_an_import_inside_a_function(tmp_path):
    path = tmp_path / "services.py"
    path.write_text("def send():\n    from . import tasks, views\n")
    known = {"community", "community.services", "community.tasks", "community.views"}
    assert imports_of("community.services", path, known) == {"community.tasks", "community.views"}
