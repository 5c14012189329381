"""The `make run` settings: links on the port served, the console mail block, and the beat
schedule in-process only without Redis. Each case imports the settings in a fresh process, since
they are read from the environment once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.harness import ROOT

READ = (
    "import json, config.settings.local as s; "
    "print(json.dumps([s.SITE_URL, s.LOCAL_SCHEDULER, s.EMAIL_BACKEND, s.CELERY_BROKER_URL]))"
)


def local_settings(**env: str) -> tuple[str, bool, str, str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "PORT", "REDIS_URL", "EMAIL_BACKEND", "LOCAL_SCHEDULER"}
    }
    out = subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    site_url, scheduler, backend, broker = json.loads(out.stdout.strip().splitlines()[-1])
    return site_url, scheduler, backend, broker


def test_links_use_the_port_make_run_serves_on():
    assert local_settings(PORT="8123")[0] == "http://127.0.0.1:8123"
    assert local_settings()[0] == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port():
    assert local_settings(PORT="8123", SITE_URL="https://lantern.test")[0] == (
        "https://lantern.test"
    )


def test_mail_prints_as_readable_blocks_unless_another_backend_is_chosen():
    assert local_settings()[2] == "config.console_mail.EmailBackend"
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert local_settings(EMAIL_BACKEND=smtp)[2] == smtp


def test_the_schedule_runs_in_process_only_without_redis():
    _, scheduler, _, broker = local_settings()
    assert scheduler is True and broker.startswith("memory://")
    _, scheduler, _, broker = local_settings(REDIS_URL="redis://127.0.0.1:6379/7")
    assert scheduler is False and broker == "redis://127.0.0.1:6379/7"
    assert local_settings(LOCAL_SCHEDULER="false")[1] is False
