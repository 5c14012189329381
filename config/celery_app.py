"""The Celery application; tasks are discovered in each app's tasks.py, and in the packages
listed below that keep their tasks one level down."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("lantern")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# forum.notifications.tasks: autodiscovery looks only for `<app>.tasks`.
app.autodiscover_tasks(["forum.notifications"])
