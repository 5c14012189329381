"""The practical limit: Django 5.2 with the full default middleware, one template, one
indexed 20-row query. Served exactly like Lantern, so the gap between the two is what
Lantern's own features cost."""

import os
from pathlib import Path

import environ

HERE = Path(__file__).resolve().parent
PEERS = HERE.parent / ".peers"

SECRET_KEY = "bench-only-limit-secret-key-0123456789-abcdefghijklmnop"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "limit",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
ROOT_URLCONF = "limit.urls"
WSGI_APPLICATION = "limit.wsgi.application"
# The same session set-up as Lantern: read from the cache, written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_url = os.environ.get("LIMIT_DATABASE_URL", "")
DATABASES = {
    "default": environ.Env.db_url_config(_url)
    if _url
    else {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(PEERS / "limit.sqlite3"),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
    }
}
# Connections stay open between requests, as Lantern's and Spirit's do.
DATABASES["default"]["CONN_MAX_AGE"] = 60
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
