# check=skip=SecretsUsedInArgOrEnv
# (the SECRET_KEY build argument below is a throwaway used only by collectstatic)

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected (hashed and compressed for whitenoise) into var/static at build
# time. Production settings insist on SECRET_KEY and ALLOWED_HOSTS; these dummies exist only
# for this step and are not kept in the image's environment.
ARG SECRET_KEY=collectstatic-only-not-a-secret-0000000000000000000000000000
ARG ALLOWED_HOSTS=build.invalid
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY="$SECRET_KEY" ALLOWED_HOSTS="$ALLOWED_HOSTS" \
    python manage.py collectstatic --noinput

# Run as an unprivileged user that owns nothing but var/ (celery beat keeps its schedule there).
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent lantern \
    && mkdir -p var \
    && chown lantern:lantern var
USER lantern

ENV DJANGO_SETTINGS_MODULE=config.settings.production
EXPOSE 8000
# config/gunicorn.py: bind, workers, access log with URL secrets masked, trusted proxy addresses.
CMD ["gunicorn", "config.wsgi:application", "-c", "config/gunicorn.py"]
