"""Health endpoints for load balancers and operators, the page shown when the database is gone, and the
logging filter that reports an outage once a minute instead of once per request.

- `/healthz/` (liveness) answers "ok" without touching PostgreSQL, Redis or the session: a load balancer
  must not take every web host out because a shared service is down.
- `/healthz/ready/` (readiness) checks each dependency and says its state, with no address, secret or
  version: 200 "ok", 200 "degraded" (Redis or the broker down: the site still serves), 503 "down" (PostgreSQL
  down: nothing can be served).

`HealthCheckMiddleware` comes first in MIDDLEWARE, so neither endpoint runs the session, authentication or
page-cache middleware (which read Redis and the database).
"""

import logging
import time

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

LIVENESS_PATH = "/healthz/"
READINESS_PATH = "/healthz/ready/"


@never_cache
def liveness(request):
    """Liveness probe; it touches neither the database nor the cache."""
    return HttpResponse("ok", content_type="text/plain")


def _database_state() -> str:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError:
        # Forget the broken connection, so the next request opens a new one.
        connection.close_if_unusable_or_obsolete()
        return "down"


def _cache_state() -> str:
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"  # a cache inside the process (no REDIS_URL): nothing to be down
    return "ok" if ping() else "down"


def _broker_state() -> str:
    from celery import current_app

    if current_app.conf.task_always_eager:
        return "inline"  # tasks run inside the request (no broker configured)
    try:
        with current_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=1)
        return "ok"
    except Exception:  # noqa: BLE001 - any failure to reach the broker means "down" here
        return "down"


@never_cache
def readiness(request):
    """Each dependency's state; 503 only when the database is down."""
    checks = {"database": _database_state(), "cache": _cache_state(), "broker": _broker_state()}
    if checks["database"] == "down":
        status, code = "down", 503
    elif "down" in checks.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


class HealthCheckMiddleware:
    """Answers the two health endpoints before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == LIVENESS_PATH:
            return liveness(request)
        if request.path == READINESS_PATH:
            return readiness(request)
        return self.get_response(request)


# --- the database is gone -------------------------------------------------------------------------

DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError)


def server_error(request, template_name="500.html"):
    """handler500: the branded 503 page when the database cannot be reached, Django's 500 page otherwise.

    The 503 page is plain HTML in both languages: rendering the usual layout would need the database
    (site settings, menus), which is the thing that failed.
    """
    import sys

    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_OUTAGE_ERRORS):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    from django.views.defaults import server_error as django_server_error

    return django_server_error(request, template_name)


class RepeatedOutageFilter(logging.Filter):
    """Lets through one report per kind of outage error per interval; every other record passes.

    When PostgreSQL or Redis is down every request fails the same way; one report a minute tells the
    operator, hundreds bury the other errors (and email to ADMINS would need the database that is down).
    """

    OUTAGE_TYPES = (*DATABASE_OUTAGE_ERRORS, RedisConnectionError, RedisTimeoutError)

    def __init__(self, interval: float = 60.0):
        super().__init__()
        self.interval = interval
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, self.OUTAGE_TYPES):
            return True
        kind = type(error).__qualname__
        now = time.monotonic()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            return False
        self._last[kind] = now
        return True
