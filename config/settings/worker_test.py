"""A real Celery worker started by the delivery tests: the test settings, but tasks go through
the broker at REDIS_URL and mail goes over SMTP to the test's own sink (EMAIL_HOST/EMAIL_PORT)."""

from .test import *  # noqa: F403
from .test import REDIS_URL, env

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = REDIS_URL
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=1025)
EMAIL_TIMEOUT = 5
