"""The deploy files agree with each other and with the settings; production passes check --deploy.

No database is needed: these read files and run manage.py in a subprocess.
"""

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_DIR = ROOT / "config" / "settings"

APP_SERVICES = ("web", "worker", "worker-mail", "beat")
ALL_SERVICES = {"web", "worker", "worker-mail", "beat", "postgres", "redis", "mailpit"}
# Read by Django or the test runner rather than through env(...) in the settings.
NOT_READ_BY_SETTINGS = {"DJANGO_SETTINGS_MODULE"}

# env("NAME", ...), env.bool("NAME", ...), env.db(...) and friends; os.environ / os.getenv too.
ENV_CALL = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
OS_ENV = re.compile(r"""\bos\.(?:environ(?:\.get)?|getenv)\s*[(\[]\s*["']([A-Z][A-Z0-9_]*)["']""")
ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
COMPOSE_VAR = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")


def settings_env_names() -> set[str]:
    names: set[str] = set()
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        source = path.read_text()
        names |= set(ENV_CALL.findall(source)) | set(OS_ENV.findall(source))
    return names


def env_example() -> dict[str, str]:
    """NAME -> value for each assignment in .env.example (surrounding quotes removed)."""
    values: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = ENV_LINE.match(line)
        if match:
            name, value = match.groups()
            assert name not in values, f".env.example sets {name} twice"
            values[name] = re.sub(r"""^(["'])(.*)\1$""", r"\2", value)
    return values


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service_command(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def service_environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def with_compose_defaults(value: str) -> str:
    """${NAME:-default} -> default, as compose resolves it when NAME is unset."""
    return COMPOSE_VAR.sub(lambda match: match.group(2) or "", value)


MAKEFILE_JOINED = (ROOT / "Makefile").read_text().replace("\\\n", " ")


def makefile_recipes() -> dict[str, list[str]]:
    """target -> its recipe lines, for the Makefile's plain `target: prerequisites` rules."""
    recipes: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (ROOT / "Makefile").read_text().splitlines():
        if line.startswith("\t"):
            for target in current:
                recipes[target].append(line.strip().lstrip("@-"))
            continue
        match = re.match(r"^([A-Za-z0-9_.$() /-]+?)\s*:(?!=)(.*)$", line)
        if match and not line.startswith("#"):
            targets, rest = match.groups()
            # `target: VAR = value` is a target-specific variable, not a rule with a recipe.
            current = [] if "=" in rest else targets.split()
            for target in current:
                recipes.setdefault(target, [])
        elif line.strip() and not line.startswith("#"):
            current = []
    return recipes


def makefile_celery_command(target: str) -> list[str]:
    lines = [line for line in makefile_recipes()[target] if "celery" in line]
    assert len(lines) == 1, f"make {target} should run exactly one celery command: {lines}"
    tokens = shlex.split(lines[0])
    # Run under bin/supervise (restarted when it exits), which compose's restart policy does.
    if tokens[0] == "bin/supervise":
        tokens = tokens[1:]
    # $(VENV)/bin/celery or .venv/bin/celery -> celery
    tokens[0] = tokens[0].rsplit("/", 1)[-1]
    return tokens


def run_manage(
    *args: str, env: dict[str, str], cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


# --- docker-compose.yml ------------------------------------------------------------------------


def test_compose_names_exactly_the_expected_services():
    assert set(compose()["services"]) == ALL_SERVICES


def test_web_migrates_then_serves_config_wsgi_with_gunicorn():
    command = service_command(compose()["services"]["web"])
    script = command[-1] if command[:2] == ["sh", "-c"] else shlex.join(command)
    assert "gunicorn config.wsgi:application" in script
    assert "manage.py migrate --noinput" in script
    assert script.index("migrate") < script.index("gunicorn")


def test_worker_and_beat_run_celery_for_config():
    services = compose()["services"]
    assert service_command(services["worker"])[:4] == ["celery", "-A", "config", "worker"]
    assert service_command(services["worker-mail"])[:4] == ["celery", "-A", "config", "worker"]
    assert service_command(services["beat"])[:4] == ["celery", "-A", "config", "beat"]


def test_the_workers_consume_every_queue_and_restart_with_a_health_check():
    from config.settings.base import CELERY_TASK_QUEUES

    services = compose()["services"]
    consumed: list[str] = []
    for name in ("worker", "worker-mail"):
        command = service_command(services[name])
        consumed += command[command.index("-Q") + 1].split(",")
        assert services[name]["restart"] == "unless-stopped", name
        assert "inspect ping" in " ".join(services[name]["healthcheck"]["test"]), name
    assert sorted(consumed) == sorted(queue.name for queue in CELERY_TASK_QUEUES)
    assert services["beat"]["restart"] == "unless-stopped"


def test_app_services_build_the_image_with_production_settings():
    services = compose()["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert "build" in service, name
        environment = service_environment(service)
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert environment["DATABASE_URL"].startswith("postgres://"), name
        assert environment["REDIS_URL"].startswith("redis://redis:"), name
        assert environment["EMAIL_HOST"] == "mailpit", name
        assert set(service["depends_on"]) >= {"postgres", "redis"}, name
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name


def test_backing_services_have_healthchecks_the_app_waits_for():
    services = compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    mailpit_ports = {str(port).split(":")[-1] for port in services["mailpit"]["ports"]}
    assert mailpit_ports >= {"8025", "1025"}


def test_app_services_share_one_environment():
    services = compose()["services"]
    environments = [service_environment(services[name]) for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)


def test_every_compose_app_variable_is_listed_in_env_example():
    listed = set(env_example())
    for name in APP_SERVICES:
        unlisted = set(service_environment(compose()["services"][name])) - listed
        assert not unlisted, f"{name} sets variables .env.example does not list: {unlisted}"


def test_every_compose_app_variable_is_read_by_the_settings():
    read = settings_env_names() | {"DJANGO_SETTINGS_MODULE"}
    for name in APP_SERVICES:
        unread = set(service_environment(compose()["services"][name])) - read
        assert not unread, f"{name} sets variables no settings module reads: {unread}"


# --- Makefile ----------------------------------------------------------------------------------


def test_makefile_has_the_documented_targets():
    recipes = makefile_recipes()
    targets = ("run", "test", "coverage", "test-next", "lint", "worker", "beat", "bench")
    for target in (*targets, "install-dev"):
        assert target in recipes, f"make {target} is missing"
    phony = re.search(r"^\.PHONY:(.*)$", MAKEFILE_JOINED, re.MULTILINE)
    assert phony
    assert set(targets) <= set(phony.group(1).split())


def test_make_run_migrates_seeds_and_serves_on_port():
    recipe = "\n".join(makefile_recipes()["run"])
    assert "manage.py migrate --noinput" in recipe
    assert "manage.py seed_demo" in recipe
    assert "manage.py runserver 127.0.0.1:$(PORT)" in recipe
    assert re.search(r"^PORT\s*\?=\s*8000$", (ROOT / "Makefile").read_text(), re.MULTILINE)


def test_make_test_runs_pytest_with_pytest_args():
    recipe = "\n".join(makefile_recipes()["test"])
    assert "-m pytest $(PYTEST_ARGS)" in recipe


def test_make_lint_runs_every_check():
    steps = re.search(r"^LINT_STEPS\s*:=(.*)$", MAKEFILE_JOINED, re.MULTILINE)
    assert steps
    recipes = makefile_recipes()
    commands = {step: "\n".join(recipes[step]) for step in steps.group(1).split()}
    assert "ruff check ." in commands["lint-ruff"]
    assert "ruff format --check ." in commands["lint-format"]
    assert "/mypy" in commands["lint-mypy"]
    assert "lint-imports" in commands["lint-imports"]
    assert "makemigrations --check --dry-run" in commands["lint-migrations"]


def _pins(name: str) -> dict[str, str]:
    """package (lower case, extras dropped) -> pinned version, following -r includes."""
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= _pins(line[3:].strip())
        elif line:
            package, version = line.split("==")
            pins[re.sub(r"\[.*\]", "", package).lower()] = version
    return pins


def test_requirements_next_copies_every_pin_but_django():
    current, next_ = _pins("requirements-dev.txt"), _pins("requirements-next.txt")
    # Lint tools run on the project's own virtualenv only.
    lint_only = {
        "ruff", "mypy", "django-stubs", "django-stubs-ext", "celery-types", "types-bleach",
        "types-pyyaml", "import-linter", "pre-commit", "pytest-cov", "coverage",
    }  # fmt: skip
    assert next_["django"].split(".")[0] != current["django"].split(".")[0]
    assert {k: v for k, v in next_.items() if k != "django"} == {
        k: v for k, v in current.items() if k != "django" and k not in lint_only
    }


@pytest.mark.parametrize(
    ("target", "service"),
    [("worker-main", "worker"), ("worker-mail", "worker-mail"), ("beat", "beat")],
)
def test_makefile_celery_commands_equal_compose(target, service):
    assert makefile_celery_command(target) == service_command(compose()["services"][service])
    assert makefile_recipes()[target][-1].startswith("bin/supervise ")


def test_make_worker_runs_both_workers():
    assert makefile_recipes()["worker"] == [
        "$(MAKE) --no-print-directory -j2 worker-main worker-mail"
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_dry_run_prints_the_commands():
    result = subprocess.run(
        ["make", "-n", "run", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "manage.py runserver 127.0.0.1:8000" in result.stdout
    assert "-m pytest" in result.stdout


# --- .env.example and the settings --------------------------------------------------------------


def test_env_example_lists_every_variable_the_settings_read():
    missing = settings_env_names() - set(env_example())
    assert not missing, f".env.example does not list: {sorted(missing)}"


def test_env_example_lists_only_variables_something_reads():
    unread = set(env_example()) - settings_env_names() - NOT_READ_BY_SETTINGS
    assert not unread, f".env.example lists variables nothing reads: {sorted(unread)}"


def test_env_example_documents_each_variable_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if ENV_LINE.match(line):
            assert index > 0 and lines[index - 1].startswith("# "), f"no comment above: {line}"


def test_settings_load_with_env_example_as_the_environment(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), **env_example()}
    # .env.example's SQLite path is relative (var/...), for `make run`, which creates var/ first.
    # Django 6 hands every database to the model checks, so `check` opens it: give it a var/
    # of its own rather than write into the working tree.
    (tmp_path / "var").mkdir()
    result = run_manage("check", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_load_with_the_compose_environment():
    environment = service_environment(compose()["services"]["web"])
    env = {"PATH": os.environ.get("PATH", "")}
    env |= {name: with_compose_defaults(value) for name, value in environment.items()}
    # The local compose runs without TLS on purpose, so only errors count here.
    result = run_manage("check", "--deploy", "--fail-level", "ERROR", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_passes_check_deploy(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "SECURE_", "CSRF_")) and name != "DEBUG"
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lantern.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


# --- make faults: the fault suite runs what docker-compose.yml runs --------------------------


def _fault_suite():
    import importlib

    return importlib.import_module("bench.faults.run")


def test_make_faults_runs_the_fault_suite_and_ci_runs_it_between_test_and_lint():
    assert "$(PY) bench/faults/run.py" in makefile_recipes()["faults"]
    phony = re.search(r"^\.PHONY:(.*)$", MAKEFILE_JOINED, re.MULTILINE)
    assert phony and "faults" in phony.group(1).split()
    ci = (ROOT / ".ci" / "run").read_text()
    steps = re.findall(r'^run_step "([^"]+)"', ci, re.MULTILINE)
    assert steps.index("make test") < steps.index("make faults") < steps.index("make lint")


def test_fault_suite_serves_with_the_compose_gunicorn_command_on_loopback():
    served = _fault_suite().gunicorn_command(8123)
    compose_serve = shlex.split(service_command(compose()["services"]["web"])[-1].split("exec ")[1])
    assert served[0].endswith("/gunicorn") and compose_serve[0] == "gunicorn"
    # Everything compose passes (the app, -c config/gunicorn.py), then the loopback bind, which
    # wins over the config file's 0.0.0.0:8000.
    assert "-b" not in compose_serve, "the bind lives in config/gunicorn.py"
    assert served[1:] == [*compose_serve[1:], "-b", "127.0.0.1:8123"]


def test_fault_suite_uses_the_compose_environment_with_only_the_endpoints_moved():
    suite = _fault_suite()
    env = suite.topology_environment(
        database_url="postgres://postgres@127.0.0.1:5432/x_faults_suite",
        redis_url="redis://127.0.0.1:6390/0",
        smtp_port=2525,
        web_port=8123,
    )
    compose_env = {
        name: with_compose_defaults(value)
        for name, value in service_environment(compose()["services"]["web"]).items()
    }
    assert set(env) == set(compose_env)
    moved = {name for name in env if env[name] != compose_env[name]}
    assert moved <= set(suite.ENDPOINTS)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    for name in ("DATABASE_URL", "REDIS_URL", "SITE_URL"):
        assert "127.0.0.1" in env[name], name


def test_fault_suite_starts_the_worker_and_beat_through_make():
    source = (ROOT / "bench" / "faults" / "run.py").read_text()
    assert 'CeleryWorker("worker", [*MAKE, "worker"], self.env)' in source
    assert 'Process("beat", [*MAKE, "beat"], self.env)' in source
