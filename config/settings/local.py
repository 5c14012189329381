"""`make run`: SQLite under var/, emails on the console as readable blocks, links on the port
being served, and without REDIS_URL tasks run eagerly and the beat schedule runs in-process."""

from typing import Any, cast

from .base import *  # noqa: F403
from .base import LOGGING, REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="config.console_mail.EmailBackend")
# `make run` passes PORT through, so links in emails point where runserver listens; an explicit
# SITE_URL (shell or .env) still wins.
SITE_URL = env("SITE_URL", default="") or f"http://127.0.0.1:{env.int('PORT', default=8000)}"
# No broker means no worker and no beat: the serving process runs CELERY_BEAT_SCHEDULE itself
# (config/local_scheduler.py, started by config/wsgi.py). With REDIS_URL, `make worker` and
# `make beat` do it, as in production.
LOCAL_SCHEDULER = env.bool("LOCAL_SCHEDULER", default=True) and not REDIS_URL
if not REDIS_URL:
    # Tasks run eagerly, yet Celery still opens its in-memory transport; naming the host spares
    # the console kombu's warning that none was given.
    CELERY_BROKER_URL = "memory://localhost/"
# A task that succeeds says nothing (the sweep alone runs every 15 s); one that fails still logs
# its error, and an email shows up as its own block.
LOGGING = {
    **LOGGING,
    "loggers": {
        **cast(dict[str, Any], LOGGING["loggers"]),
        "celery.app.trace": {"level": "WARNING"},
    },
}
MODERATORS_REQUIRE_MFA = env.bool("MODERATORS_REQUIRE_MFA", default=False)
DEMO_DATA_ALLOWED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
