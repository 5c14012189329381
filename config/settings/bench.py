"""`make bench`: production behaviour (DEBUG off, manifest static files, cached sessions)
served over plain HTTP on 127.0.0.1, with its own database so benchmark data never mixes
with development data."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-secret-key-never-used-in-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = "http://127.0.0.1:8000"

if not env("DATABASE_URL", default=""):
    DATABASES["default"]["NAME"] = BASE_DIR / "var" / "bench.sqlite3"

STATIC_ROOT = BASE_DIR / "var" / "bench-static"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MODERATORS_REQUIRE_MFA = False
# The load generator signs in once and then requests pages; login rate limits would only
# get in the way of setting up, never of the measured GETs.
ACCOUNT_RATE_LIMITS = False
# The publish benchmark posts as fast as it can from a few members; member limits would turn
# it into a measure of refusals.
MEMBER_RATE_LIMITS = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
