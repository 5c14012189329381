"""pytest: fast hashing, in-memory mail; DATABASE_URL / REDIS_URL from the environment."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MODERATORS_REQUIRE_MFA = False
# Tests dispatch through the eager path unless a test asks for the real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ACCOUNT_RATE_LIMITS = False
# Tests that exercise the member limits turn them on with override_settings.
MEMBER_RATE_LIMITS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
# Export zips go to a throwaway folder, never the project's var/. It is put in the environment
# so a real worker started by the tests (config.settings.worker_test) writes to the same one.
if not os.environ.get("EXPORT_ROOT"):
    os.environ["EXPORT_ROOT"] = tempfile.mkdtemp(prefix="lantern-test-exports-")
EXPORT_ROOT = Path(os.environ["EXPORT_ROOT"])
