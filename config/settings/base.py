"""Settings shared by every environment. Values come from the environment (see .env.example)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from kombu import Queue

from config.release import source_digest

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The deploy's identity (e.g. its git sha), part of every cache key that holds rendered
# output; without it, a digest of the code and templates stands in (config/release.py).
RELEASE = env("RELEASE", default="") or source_digest(BASE_DIR)
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # SearchVectorField (forum.search) needs it on the system check of Django 6.
    "django.contrib.postgres",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "forum",
    "community",
]

MIDDLEWARE = [
    # Outermost: replays, once, a request whose database connection was killed under it
    # when doing so cannot do anything twice (config/lost_connections.py).
    "config.lost_connections.RetryOnLostConnectionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known, so its response step sees every later middleware's answer.
    "config.cache_control.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: signing a suspended member out tells them why.
    "accounts.middleware.SuspendedMemberMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.guidelines",
                "community.context_processors.moderation",
                "community.context_processors.muted",
                "forum.notifications.context_processors.notifications",
                "accounts.welcome.first_visit_welcome",
            ],
            # {% when %} is how every page and email shows a time, so no template loads it.
            "builtins": ["forum.templatetags.time_tags"],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'lantern.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection that died between requests (restart, failover, pg_terminate_backend) is found
# by the health check before its first query and replaced; one killed during a request is
# replayed when that is safe (config/lost_connections.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable database host costs seconds, not a worker's whole timeout: the outage
    # pages (community/outage.py) answer instead.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and one writer work at once; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The cache fails open: with Redis down an error is a miss (logged by django-redis), never
    # a 500, so members read and post from the database. Short socket timeouts make a dead
    # Redis cost milliseconds, not the request.
    CACHES = {
        "default": {
            # django-redis, except that an unreachable Redis grants allauth's rate-limit lock
            # instead of refusing every login after a second's wait (config/cache.py).
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="lantern"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Per process; large enough for the post cards of the busiest pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Sessions are read from the cache on every request and written through to the database,
# so a cache restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A failed check answers in the site's layout: what happened and how to keep what was typed.
CSRF_FAILURE_VIEW = "community.errors.csrf_failure"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth: email login, mandatory verification by link, anti-enumeration, rate limits.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
# Signed in straight after confirming, but only in the browser that signed up (allauth keeps
# the pending sign-in in that session): a link opened anywhere else only confirms the address.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.GuidelinesSignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    # The same forms with the site's sentence-case labels.
    "login": "accounts.forms.LoginForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Lantern: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# False turns them off (test and bench settings).
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "send_email": "5/m/key",
    "login": "30/m/ip",
    # Failed sign-ins: tight per address, loose per account (an attack spread over many
    # addresses is still bounded), and a browser that signed in to the account before counts
    # only against its own address (accounts/known_devices.py). docs/security.md has the numbers.
    "login_failed": "10/15m/ip,30/h/key",
    "confirm_email": "1/3m/key",
}
LOGIN_REDIRECT_URL = "forum:home"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lantern"
USERSESSIONS_TRACK_ACTIVITY = False

# The client's address, for allauth's per-address limits. Without a reverse proxy (local
# development, tests) it is REMOTE_ADDR; production.py reads it from the proxy's header, and only
# when the request came from one of TRUSTED_PROXY_ADDRESSES (accounts.adapter.get_client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER: str | None = None
TRUSTED_PROXY_ADDRESSES: list[str] = []

# Moderator pages require TOTP in production; local development turns it off.
MODERATORS_REQUIRE_MFA = env.bool("MODERATORS_REQUIRE_MFA", default=True)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env.int("EMAIL_PORT", default=1025)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds a mail server may take to answer before the attempt counts as failed: a server that
# accepts and never answers must not hold a worker process for long (forum/notifications).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=5)
# A neutral sender: the address alone must not say what the mail is about.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Lantern <no-reply@lantern.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no REDIS_URL, tasks run eagerly in-process (local development).
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Redis through config.broker (kombu's transport, with a worker-stopping fault handled).
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL else None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that loses Redis keeps trying to reconnect, for ever (its supervisor restarts it if it
# dies anyway: docs/operations.md). Tasks it was running when the connection dropped are
# cancelled: they were acknowledged late, so the broker hands them out again, and every task is
# safe to run twice.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Publishing must not hang a request when Redis is down: fail fast, the outbox sweeper retries.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Three queues, so nothing urgent waits behind mail: `default` (fan-out: in-site notifications,
# the sweeps, digest start), `moderation` (community: review items, moderator alerts, reports)
# and `mail` (sending email). Production runs one worker on default,moderation and another on
# mail (Makefile `worker`, docker-compose.yml); a worker started without -Q consumes all three.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("moderation"), Queue("mail")]
CELERY_TASK_ROUTES = {
    "forum.deliver_email": {"queue": "mail"},
    "forum.send_digest": {"queue": "mail"},
    "accounts.send_account_mail": {"queue": "mail"},
    "community.*": {"queue": "moderation"},
}
CELERY_BEAT_SCHEDULE: dict = {}
# Moderation (community.tasks): a queue summary at most every 15 minutes while items wait;
# every minute, escalate unclaimed at-risk items, lift expired sanctions, sweep lost reviews.
CELERY_BEAT_SCHEDULE["community-queue-summary"] = {
    "task": "community.send_queue_summary",
    "schedule": 15 * 60,
}
CELERY_BEAT_SCHEDULE["community-realert-at-risk"] = {
    "task": "community.realert_unclaimed_at_risk",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["community-lift-expired-sanctions"] = {
    "task": "community.lift_expired_sanctions",
    "schedule": 60,
}
CELERY_BEAT_SCHEDULE["community-sweep-unreviewed-posts"] = {
    "task": "community.sweep_unreviewed_posts",
    "schedule": 60,
}
# Reports (and appeals) whose fold task was lost, older than a minute, are folded every minute.
CELERY_BEAT_SCHEDULE["community-sweep-unfolded-reports"] = {
    "task": "community.sweep_unfolded_reports",
    "schedule": 60,
}
# Review items whose post was deleted or removed close by themselves (the task
# community.close_items_for_post, dispatched by forum.services); this sweep closes those whose
# task was lost.
CELERY_BEAT_SCHEDULE["community-sweep-items-of-gone-posts"] = {
    "task": "community.sweep_items_of_gone_posts",
    "schedule": 5 * 60,
}
# Notifications (forum.notifications.tasks): the outbox sweep (every 15 s) hands over email rows
# that are due (a coalescing window closed, a retry's backoff or a mail-server pause ended) and
# re-dispatches rows pending for longer than OUTBOX_REDISPATCH_AFTER seconds after a hand-off;
# the daily digest goes out at DIGEST_HOUR (UTC).
DIGEST_HOUR = env.int("DIGEST_HOUR", default=18)
OUTBOX_REDISPATCH_AFTER = 60
NOTIFICATION_COALESCE_SECONDS = 15 * 60
# A temporary mail error is retried after 30 s, 1 min, 2 min, ...; the row fails after this many.
EMAIL_MAX_ATTEMPTS = 6
# Rows per delivery task, sent over one connection to the mail server.
EMAIL_BATCH_SIZE = 50
# A mail server that fails is left alone for MAIL_PAUSE_SECONDS, doubling while it keeps
# failing, up to MAIL_PAUSE_MAX_SECONDS (forum/notifications/mail_server.py).
MAIL_PAUSE_SECONDS = 15
MAIL_PAUSE_MAX_SECONDS = 120
UNSUBSCRIBE_LINK_MAX_AGE = 60 * 60 * 24 * 90
CELERY_BEAT_SCHEDULE["forum-sweep-outbox"] = {"task": "forum.sweep_outbox", "schedule": 15}
# Account emails (accounts.tasks): confirmation, reset and "already registered" mails left pending.
CELERY_BEAT_SCHEDULE["accounts-sweep-account-mail"] = {
    "task": "accounts.sweep_account_mail",
    "schedule": 30,
}
CELERY_BEAT_SCHEDULE["forum-daily-digest"] = {
    "task": "forum.send_digests",
    "schedule": crontab(hour=DIGEST_HOUR, minute=0),
}
CELERY_TIMEZONE = "UTC"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# The site is written in English only; translation machinery costs every page about a
# sixth of its rendering time for nothing (docs/benchmarks.md).
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A strict policy: everything from this site only, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Forum sizes.
TOPICS_PER_PAGE = 25
# The page where a member reports a post. It belongs to community, which the forum never
# imports; the project wires it into the forum's post cards here.
POST_REPORT_VIEW = "community:report_post"
# The page where a moderator or peer specialist checks in privately with a post's author.
POST_CHECK_IN_VIEW = "community:check_in"
# The page where a moderator adds or changes a post's content warnings (logged).
POST_WARNINGS_VIEW = "community:post_warnings"
# A paused (suspended) member is signed out, so they cannot reach the review pages: the page
# that tells them about the pause links the guidelines (community, wired here like the report
# page) and names the moderators' mailbox for asking for a review.
GUIDELINES_VIEW = "community:guidelines"
# A member's profile lists their topics and replies (forum.activity), as each reader may see
# them. Accounts sits below the forum, so the profile view reaches it through this name.
PROFILE_ACTIVITY = "forum.activity.activity_page"
ACTIVITY_PER_PAGE = 20
MODERATION_CONTACT_EMAIL = env("MODERATION_CONTACT_EMAIL", default="moderators@lantern.invalid")
POSTS_PER_PAGE = 20
DEMO_DATA_ALLOWED = False
# Moderation: a new member's first posts wait for a moderator; reports per member per day.
NEW_MEMBER_REVIEW_POSTS = 2
REPORTS_PER_DAY = 20
# An at-risk item alerts the moderators on duty; nobody claiming it, it escalates one stage
# each this many minutes: every moderator, then the admins too (community/services/alerts.py).
AT_RISK_REALERT_MINUTES = 15
# Care for the moderators (community/care.py): after handling this many at-risk items within
# 24 hours, the queue and item pages suggest a break and offer to hand open claims back.
MODERATOR_BREAK_AFTER_AT_RISK = env.int("MODERATOR_BREAK_AFTER_AT_RISK", default=5)
# The weekly queue summary to admins (community.send_weekly_summary): Monday morning, UTC.
CELERY_BEAT_SCHEDULE["community-weekly-summary"] = {
    "task": "community.send_weekly_summary",
    "schedule": crontab(day_of_week="mon", hour=7, minute=0),
}

# No story left unanswered (community/first_replies.py): a story nobody but its author has
# answered after this many hours is listed for volunteers; a volunteer's take holds it for
# FIRST_REPLY_TAKE_MINUTES; volunteers hear once a day how many wait.
FIRST_REPLY_WAIT_HOURS = env.int("FIRST_REPLY_WAIT_HOURS", default=12)
FIRST_REPLY_TAKE_MINUTES = env.int("FIRST_REPLY_TAKE_MINUTES", default=60)
CELERY_BEAT_SCHEDULE["community-waiting-stories"] = {
    "task": "community.tell_volunteers_about_waiting_stories",
    "schedule": crontab(hour=DIGEST_HOUR, minute=5),
}

# Moderation: how much a report weighs towards hiding a post before a moderator looks
# (community/standing.py; docs/security.md has a worked example). Reports weighing
# AUTO_HIDE_THRESHOLD together hide the post; a moderator's report weighs the whole threshold.
# A newcomer (an account younger than AUTO_HIDE_NEW_ACCOUNT_HOURS, or one with no published
# post and no upheld report) weighs AUTO_HIDE_NEWCOMER_WEIGHT, and all newcomers together at
# most AUTO_HIDE_NEWCOMERS_MAX, which must stay below the threshold so that accounts made for
# the purpose never hide a post by themselves. Other members weigh AUTO_HIDE_MEMBER_WEIGHT,
# plus AUTO_HIDE_UPHELD_BONUS for each report of theirs a moderator upheld, up to
# AUTO_HIDE_MEMBER_MAX. "Someone may be at risk" reports never count towards hiding.
AUTO_HIDE_THRESHOLD = 3
AUTO_HIDE_NEW_ACCOUNT_HOURS = 24
AUTO_HIDE_NEWCOMER_WEIGHT = 0.25
AUTO_HIDE_NEWCOMERS_MAX = 1
AUTO_HIDE_MEMBER_WEIGHT = 1
AUTO_HIDE_UPHELD_BONUS = 0.25
AUTO_HIDE_MEMBER_MAX = 1.5

# How often a member may publish or change things (accounts/rate_limits.py): action ->
# (members, new members), in django-ratelimit's rate syntax ("6/m", "10/h", "5/10m").
# A member is new for NEW_MEMBER_DAYS after joining. False turns the limits off (test settings);
# a cache that cannot count (Redis down) lets members through rather than stop them writing.
NEW_MEMBER_DAYS = 7
MEMBER_RATE_LIMITS: dict[str, tuple[str, str]] | bool = {
    "topic": ("10/h", "3/h"),
    "reply": ("6/m", "3/m"),
    "edit": ("20/10m", "10/10m"),
    "reaction": ("60/m", "30/m"),
    "follow": ("30/m", "15/m"),
    "mute": ("30/m", "15/m"),
    "report": ("10/10m", "5/10m"),
    "profile": ("10/h", "5/h"),
    "message": ("20/h", "10/h"),
    "take": ("20/h", "10/h"),
}
RATELIMIT_FAIL_OPEN = True

# Every line goes through one handler whose filter masks secrets carried in URLs (unsubscribe
# tokens, confirmation and reset keys: config/log_masking.py). runserver's request lines
# (django.server) come here too instead of Django's own unfiltered handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "config.log_masking.MaskTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Issue 14, verified peer specialists (community.services.peer_specialists): only verified
# Certified Peer Specialists and moderators start topics in this category (forum.permissions).
PEER_SPECIALIST_CORNER = "peer-specialists"
# Members are told this many days before their certificate's expiry date that it is time to
# renew; once a day, just after midnight UTC, badges whose expiry date has passed are removed.
PEER_RENEWAL_NOTICE_DAYS = 30
CELERY_BEAT_SCHEDULE["community-peer-credentials"] = {
    "task": "community.remind_and_expire_peer_credentials",
    "schedule": crontab(hour=0, minute=10),
}

# Milestones (forum/milestones.py): shared milestones start a topic in this category, and the
# "Small wins" stream shows this many a page.
MILESTONES_CATEGORY = "encouragement"
SMALL_WINS_PER_PAGE = 20

# Issue 14, leaving with dignity (accounts.leaving, community.leaving): a member's export zip
# is written here, outside static and media, and served only through the signed, owner-only
# download view. The link works for EXPORT_LINK_DAYS; the hourly sweep then deletes the file
# and hands over exports still queued after a broker outage. A deletion waits
# ACCOUNT_DELETION_GRACE_DAYS, during which logging in lets the member keep their account.
# A relative EXPORT_ROOT is read from the project's folder, wherever the process started.
EXPORT_ROOT = BASE_DIR / env("EXPORT_ROOT", default="var/exports")
EXPORT_LINK_DAYS = 7
ACCOUNT_DELETION_GRACE_DAYS = 7
CELERY_BEAT_SCHEDULE["community-sweep-exports"] = {
    "task": "community.sweep_exports",
    "schedule": 60 * 5,
}
CELERY_BEAT_SCHEDULE["community-finalise-deletions"] = {
    "task": "community.finalise_deletions",
    "schedule": 60 * 60,
}
# Building an export can take a while: it waits in the default queue, never in front of the
# moderation queue's urgent alerts.
CELERY_TASK_ROUTES["community.build_export"] = {"queue": "default"}
