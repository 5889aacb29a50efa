"""Settings are read from the environment; each case runs in a fresh interpreter with only the given variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "search": settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"],
    "email": settings.EMAIL_DELIVERY_BACKEND,
    "debug": settings.DEBUG,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "session_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def run_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.update(variables)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_no_configuration_runs_embedded():
    result = run_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["eager"] is True
    assert values["search"] == "wagtail.search.backends.database"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"


def test_service_variables_switch_on_the_real_services():
    result = run_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/example",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ELASTICSEARCH_URL="http://127.0.0.1:9200",
        EMAIL_URL="smtp://user:secret@mail.example.org:587/?tls=1",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    # Django's Redis backend, with Redis errors turned into misses (network/resilient_cache.py).
    assert values["cache"] == "network.resilient_cache.ResilientRedisCache"
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["eager"] is False
    assert values["search"] == "wagtail.search.backends.elasticsearch9"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_its_variables():
    result = run_settings(DJANGO_ENV="production")
    assert result.returncode != 0
    assert (
        "DJANGO_ENV=production needs these environment variables: DJANGO_SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS"
        in (result.stderr)
    )


def test_production_is_secure_by_default():
    result = run_settings(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/example",
        ALLOWED_HOSTS="network.example.org",
        EMAIL_URL="smtp://mail.example.org:25",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31536000
    assert values["session_secure"] is True
