"""gunicorn settings for the web process: `gunicorn config.wsgi:application -c config/gunicorn.py`.

The Dockerfile and docker-compose.yml run it. Values the command line gives win over these.
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Access lines go to stdout with gunicorn's usual format; URL secrets (unsubscribe tokens,
# confirmation and reset keys) are masked in them and in the error log.
accesslog = "-"
errorlog = "-"
logger_class = "config.log_masking.MaskingGunicornLogger"
# Addresses whose X-Forwarded-* headers gunicorn believes: only the reverse proxy's. The same
# variable tells Django whose X-Forwarded-For to read (TRUSTED_PROXY_ADDRESSES, production.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
