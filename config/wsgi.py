import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# `make run` without Redis: the beat schedule runs in the serving process. Imported after the
# application is set up; a no-op under every other settings (config/local_scheduler.py).
from config import local_scheduler  # noqa: E402

local_scheduler.start()
