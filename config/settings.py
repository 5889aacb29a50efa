"""Settings for the Peacekeepers Network, read from environment variables.

With no variables set the site runs embedded: SQLite, local-memory cache, Wagtail's database search,
Celery tasks run eagerly and email is printed to the console. Each real service is switched on by the
presence of its variable (DATABASE_URL, REDIS_URL, ELASTICSEARCH_URL, EMAIL_URL).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # Refuse to start half-configured: a throwaway key or SQLite in production loses data and sessions.
    missing = [name for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS") if not env(name)]
    if missing:
        raise ImproperlyConfigured("DJANGO_ENV=production needs these environment variables: " + ", ".join(missing))
    SECRET_KEY = env("DJANGO_SECRET_KEY")
    DEBUG = False
else:
    # Development only: a key derived from the checkout path, never used in production (see above).
    SECRET_KEY = env("DJANGO_SECRET_KEY") or f"insecure-development-key-{BASE_DIR}"
    DEBUG = env_bool("DJANGO_DEBUG", default=True)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "network",
    "campaigns",
    "cms",
    "forums",
    "library",
    "events",
    "mentoring",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "guardian",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: the health endpoints answer without sessions, users or the page cache (Redis, PostgreSQL).
    "network.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "network.middleware.StaffMFARequiredMiddleware",
    "network.middleware.RememberLanguageMiddleware",
    "network.page_cache.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "network.context_processors.capabilities",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable database answers the branded 503 page within seconds instead of hanging the worker.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(env("DATABASE_CONNECT_TIMEOUT", "1"))
        )
        # Server-side parameters, so psycopg prepares a statement a connection runs again and again: PostgreSQL
        # then plans each page's queries once per connection instead of on every request (planning the forum
        # and member queries cost more than running them). DATABASE_SERVER_SIDE_BINDING=false turns it off, as
        # a transaction-pooling pgbouncer in front of the database needs.
        if env("DATABASE_SERVER_SIDE_BINDING", "true").lower() != "false":
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH") or BASE_DIR / "db.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, Celery ----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis errors become cache misses (see network/resilient_cache.py): an outage slows the site down.
            "BACKEND": "network.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "pkn"),
        }
    }
    # Sessions survive a Redis restart because they are written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or REDIS_URL or None
# Without a broker the tasks run inline, so a newcomer needs no worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not (REDIS_URL or env("CELERY_BROKER_URL")))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1, "socket_timeout": 2}
# A request that queues a task while the broker is down gives up within about a second; the row it stored is
# picked up by the beat jobs below (network.tasks_queue).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Both limits stay well below the visibility timeout, so Redis never hands a running task to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "UTC"
# Length of a membership admitted or renewed today; 0 means memberships do not expire.
MEMBERSHIP_TERM_DAYS = int(env("MEMBERSHIP_TERM_DAYS", "730"))
CELERY_BEAT_SCHEDULE = {
    # The database row is the truth, a queued task only a wake-up: these find the rows whose task never
    # reached a worker (broker down, worker killed) and queue them again; running them twice does nothing twice.
    "retry-unsent-emails": {"task": "network.tasks.retry_unsent_emails", "schedule": 5 * 60},
    "resume-waiting-imports": {"task": "network.tasks.resume_waiting_imports", "schedule": 10 * 60},
    "purge-sent-emails": {"task": "network.tasks.purge_sent_emails", "schedule": 24 * 3600},
    # --- membership renewal and community review ---
    # Daily; RenewalReminder's unique key makes a second run (or a late one) send nothing twice.
    "send-renewal-reminders": {"task": "network.tasks.send_renewal_reminders", "schedule": 24 * 3600},
    "review-community-access": {"task": "network.tasks.review_community_access", "schedule": 24 * 3600},
    # Daily; a second run on the same day sends nothing (a per-day key in the cache).
    "send-pending-work-digest": {"task": "network.tasks.send_pending_work_digest", "schedule": 24 * 3600},
    # --- notifications: digests at fixed times (UTC), so members get them at a predictable hour. A second run
    # sends nothing again (each notification is marked sent with its digest).
    "send-daily-notification-digest": {
        "task": "network.tasks.send_daily_notification_digest",
        "schedule": crontab(minute=0, hour=6),
    },
    "send-weekly-notification-digest": {
        "task": "network.tasks.send_weekly_notification_digest",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    # --- forums: Message-IDs of replies by email are kept 30 days to recognise a message delivered twice ---
    "purge-inbound-emails": {"task": "forums.tasks.purge_inbound_emails", "schedule": 24 * 3600},
    # --- library: text extraction whose task never reached a worker ---
    "resume-pending-extractions": {"task": "library.tasks.resume_pending_extractions", "schedule": 15 * 60},
    # --- campaigns ---
    # Hourly: today's snapshot row follows the platform within the hour (still one row per target and day);
    # the first run after midnight completes the previous day.
    "snapshot-campaign-progress": {"task": "campaigns.tasks.snapshot_campaign_progress", "schedule": 3600},
    # --- events: an unconfirmed seat passes on after its deadline; reminders 7 days and 1 day before (each
    # once: a SessionReminder row per reminder) ---
    "expire-event-seat-offers": {"task": "events.tasks.expire_seat_offers", "schedule": 5 * 60},
    "send-event-reminders": {"task": "events.tasks.send_session_reminders", "schedule": 3600},
    # --- mentoring: hourly, so a deadline passes within the hour; the services act once per request or pair ---
    "mentoring-request-reminders": {"task": "mentoring.tasks.send_request_reminders", "schedule": 3600},
    "mentoring-expire-requests": {"task": "mentoring.tasks.expire_requests", "schedule": 3600},
    "mentoring-checkin-nudges": {"task": "mentoring.tasks.send_checkin_nudges", "schedule": 24 * 3600},
}
# Hours a member promoted from a waiting list has to confirm her seat.
EVENTS_OFFER_HOURS = int(env("EVENTS_OFFER_HOURS", "48"))

# --- Search ---------------------------------------------------------------------------------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
# Memory PostgreSQL may use to build each index of a rebuilt search index (search_reindex) in one sorted pass.
SEARCH_BUILD_MAINTENANCE_WORK_MEM = env("SEARCH_BUILD_MAINTENANCE_WORK_MEM", "512MB")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env("ELASTICSEARCH_INDEX_PREFIX", "peacekeepers"),
            "TIMEOUT": 10,
        }
    }
else:
    # PostgreSQL full-text search when DATABASE_URL points at PostgreSQL, SQLite FTS otherwise.
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Email ----------------------------------------------------------------------------------------
EMAIL_URL = env("EMAIL_URL")
if EMAIL_URL.startswith("file://"):
    # file:///some/folder: each message written to a file there (a test worker, a staging host).
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = unquote(urlparse(EMAIL_URL).path)
elif EMAIL_URL:
    # smtp://user:password@host:port/?tls=1  or  smtps://user:password@host:465
    _email = urlparse(EMAIL_URL)
    _email_options = parse_qs(_email.query)
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and _email_options.get("tls", ["0"])[0] in {"1", "true"}
elif PRODUCTION:
    raise ImproperlyConfigured("DJANGO_ENV=production needs EMAIL_URL (e.g. smtp://user:pass@host:587/?tls=1)")
else:
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Every message is stored and handed to Celery, which delivers it through EMAIL_DELIVERY_BACKEND.
EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Peacekeepers Network <no-reply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Administrators", address) for address in env_list("ADMIN_EMAILS")]

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:my_profile"

ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "network.forms.SignupForm"}
# The versions of the texts people agree to (sign-up terms, being featured publicly); raise one when its text
# changes, and every new consent is recorded with it.
TERMS_VERSION = env("TERMS_VERSION", "1")
FEATURE_CONSENT_VERSION = env("FEATURE_CONSENT_VERSION", "1")
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Behind N reverse proxies the client address is the N-th from the right in X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
# Security keys need HTTPS, except on a developer's own machine (http://localhost).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = "Peacekeepers Network"
USERSESSIONS_TRACK_ACTIVITY = False

GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Member photos are personal data: they live outside MEDIA_ROOT and are served only through a view
# that checks the owner's visibility choice.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Peacekeepers Network"
# The site's public address, for links in emails. Unset (development), emails sent while answering a request
# use the address the site is served on, and background emails this default.
SITE_URL = env("SITE_URL")
WAGTAILADMIN_BASE_URL = SITE_URL or "http://127.0.0.1:8000"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Passwords are managed through allauth only (rate limits, notifications, logout of other sessions).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# No Gravatar: it would send a hash of each staff member's email address to a third party, and shows a broken
# image where it cannot be reached. Wagtail falls back to its own default avatar (a static file).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# --- Document library (library/) ------------------------------------------------------------------
# Documents are library.Document: private files, access levels, versions, extracted text (README "Library").
WAGTAILDOCS_DOCUMENT_MODEL = "library.Document"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "library.forms.DocumentAdminForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "png", "jpg", "jpeg"]
LIBRARY_MAX_UPLOAD_BYTES = int(env("LIBRARY_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
# A zip (DOCX, XLSX, PPTX, ODT) is refused when its declared content is larger than this, expands more than
# UPLOAD_ZIP_MAX_RATIO times its compressed size, or holds more than UPLOAD_ZIP_MAX_MEMBERS files.
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = int(env("UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
UPLOAD_ZIP_MAX_RATIO = int(env("UPLOAD_ZIP_MAX_RATIO", "100"))
UPLOAD_ZIP_MAX_MEMBERS = int(env("UPLOAD_ZIP_MAX_MEMBERS", "2000"))
# Behind nginx: files are handed over with X-Accel-Redirect to this internal location (e.g. "/protected/"),
# which maps to PRIVATE_MEDIA_ROOT. Empty: Django streams the file itself.
PRIVATE_FILES_X_ACCEL_REDIRECT_PREFIX = env("PRIVATE_FILES_X_ACCEL_REDIRECT_PREFIX")
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
ANONYMOUS_PAGE_CACHE_SECONDS = int(env("ANONYMOUS_PAGE_CACHE_SECONDS", "600"))
# --- Forums: replies by email ---------------------------------------------------------------------
# The domain of the reply+<token>@ addresses notifications carry (empty: the host name of SITE_URL).
FORUMS_REPLY_DOMAIN = env("FORUMS_REPLY_DOMAIN")
# Shared secret of the inbound webhook POST /forums/inbound-email/ (empty: the endpoint answers 404).
FORUMS_INBOUND_SECRET = env("FORUMS_INBOUND_SECRET")
# Routes the HTTP benchmark's own views (/bench/…, network/views/bench.py). Set by tests/bench/http_bench.py
# only; never in a deployment.
BENCH_VIEWS = env_bool("BENCH_VIEWS")

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Wagtail's live preview shows the page in a same-origin frame, so DENY would break the editors' preview.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # While PostgreSQL or Redis is down, one report of each kind of outage error a minute, not one per request.
    "filters": {"repeated_outage": {"()": "network.health.RepeatedOutageFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["repeated_outage"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["repeated_outage"]},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}
