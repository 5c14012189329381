"""Unsubscribe tokens and allauth keys never reach a log line: Django's loggers and gunicorn's."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from config.log_masking import mask
from tests.harness import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "eyJ1IjozfQ:1tQkZ9:secretSIGNATUREvalue"


def test_every_route_that_carries_a_secret_is_masked():
    urls = [
        reverse("forum:unsubscribe", kwargs={"token": TOKEN}),
        reverse("account_confirm_email", kwargs={"key": TOKEN}),
        reverse("account_reset_password_from_key", kwargs={"uidb36": "3", "key": TOKEN}),
    ]
    for url in urls:
        line = f'"GET {url}?next=/ HTTP/1.1" 200 512 "https://lantern.example{url}"'
        masked = mask(line)
        assert "secretSIGNATUREvalue" not in masked, url
        assert "[masked]" in masked


def test_other_paths_are_left_alone():
    line = '"GET /t/42/?page=2 HTTP/1.1" 200'
    assert mask(line) == line


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'logs.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    return env


def test_djangos_log_lines_are_masked(tmp_path):
    script = textwrap.dedent(
        f"""
        import logging, django
        django.setup()
        get = logging.getLogger
        get("django.request").warning("Not Found: %s", "/notifications/unsubscribe/{TOKEN}/")
        get("django.server").info('"GET /accounts/confirm-email/{TOKEN}/ HTTP/1.1" 200 1')
        get("forum").error("odd request %s", "/accounts/password/reset/key/3-{TOKEN}/")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "secretSIGNATUREvalue" not in output
    assert output.count("[masked]") == 3


def test_gunicorns_access_and_error_logs_are_masked(tmp_path):
    port = free_port()
    env = _environment(tmp_path)
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-c",
            "config/gunicorn.py",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def answers() -> bool:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/missing.css", timeout=1)
            except urllib.error.HTTPError:
                return True
            except OSError:
                return False
            return True

        wait_until(answers, timeout=30, what="gunicorn to answer")
        for path in (f"/notifications/unsubscribe/{TOKEN}/", f"/accounts/confirm-email/{TOKEN}/"):
            # The database has no tables, so the page fails: its 500 and traceback are logged,
            # and must be masked as well as the access line.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "gunicorn.log").read_text()
    assert "secretSIGNATUREvalue" not in output
    assert "/notifications/unsubscribe/[masked]/" in output
    assert "/accounts/confirm-email/[masked]/" in output


@pytest.mark.parametrize("path", ["Dockerfile", "docker-compose.yml"])
def test_the_image_and_compose_run_gunicorn_with_the_masking_config(path):
    assert "-c config/gunicorn.py" in (ROOT / path).read_text().replace('", "', " ")
