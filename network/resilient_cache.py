"""The Redis cache backend, made to survive a Redis outage: the site gets slower, never down.

Redis holds only what can be rebuilt: cached pages and menus, cached sessions (written through to the
database by the `cached_db` engine), rate-limit counters. When Redis cannot be reached:

- every read is a miss and every write is dropped, so pages render uncached and sessions are read from the
  database (members stay signed in and can sign in);
- the counters that bound abuse — allauth's rate limits (login, sign-up, password reset), the contact form and
  member messages — move to a cache local to the process, so a brute force stays bounded by the same rates
  per web process; they are never "no limit at all";
- after a failure Redis is left alone for `RETRY_AFTER_SECONDS`, so requests do not each wait for a timeout;
- the outage is logged once per `WARNING_INTERVAL_SECONDS`, not once per request.

When Redis answers again, the cache's own keys are deleted (by their prefix: the Celery broker's keys in the
same Redis stay) before anything is read: while Redis was away, pages may have been published and sessions
ended, and their old copies must not come back.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
WARNING_INTERVAL_SECONDS = 60.0
# Keys of counters that must keep counting while Redis is away (see the module docstring).
LOCAL_WHEN_DOWN = ("allauth:rl:", "cms:contact-submissions:", "member-messages:sent:")
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_DOWN = object()  # what _on_redis returns when Redis could not be asked


class _Outage:
    """State shared by every thread's cache object for one Redis location."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.flush_needed = False
        self.last_warning = 0.0


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class _ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool instead of one per call.

    Django builds a new `redis.Redis` for every cache operation, and redis-py fills its table of about
    170 response callbacks each time: a quarter of a millisecond per operation, five times per page. The
    client is thread-safe (connections come from the pool), so one per pool serves every call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        # A Redis host that has gone away must cost a request milliseconds, not the default minutes.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClientRedisCacheClient
        with _outages_lock:
            self._outage = _outages.setdefault(str(server), _Outage())
        self._local = LocMemCache(f"resilient-fallback:{server}", {"OPTIONS": {"MAX_ENTRIES": 50_000}})

    # --- state -----------------------------------------------------------------------------------

    def is_available(self) -> bool:
        """Whether Redis is used now; after an outage, first deletes what may have gone stale."""
        outage = self._outage
        if time.monotonic() < outage.down_until:
            return False
        if outage.flush_needed:
            with outage.lock:
                if outage.flush_needed:
                    try:
                        self._delete_own_keys()
                    except OUTAGE_ERRORS as error:
                        self._went_down(error)
                        return False
                    outage.flush_needed = False
                    logger.warning("Redis cache reachable again; its entries were cleared and will refill.")
        return True

    def _went_down(self, error: Exception) -> None:
        outage = self._outage
        now = time.monotonic()
        outage.down_until = now + RETRY_AFTER_SECONDS
        outage.flush_needed = True
        if now - outage.last_warning >= WARNING_INTERVAL_SECONDS or not outage.last_warning:
            outage.last_warning = now
            logger.warning(
                "Redis cache unreachable (%s: %s); serving without it, rate limits counted per process.",
                type(error).__name__,
                error,
            )

    def _delete_own_keys(self) -> None:
        client = self._cache.get_client(write=True)
        batch = []
        for key in client.scan_iter(match=self.make_key("*"), count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)

    def _on_redis(self, name: str, *args, **kwargs):
        """Run RedisCache's method `name`; _DOWN when Redis cannot be reached now."""
        if self.is_available():
            try:
                return getattr(super(), name)(*args, **kwargs)
            except OUTAGE_ERRORS as error:
                self._went_down(error)
        return _DOWN

    def _run(self, name: str, key, *args, when_down=None, **kwargs):
        result = self._on_redis(name, key, *args, **kwargs)
        if result is not _DOWN:
            return result
        if isinstance(key, str) and key.startswith(LOCAL_WHEN_DOWN):
            return getattr(self._local, name)(key, *args, **kwargs)
        return when_down() if callable(when_down) else when_down

    # --- the cache API -----------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._run("get", key, default, version=version, when_down=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set", key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not stored: callers that use add() as a lock or a once-a-day guard skip their work.
        return self._run("add", key, value, timeout, version=version, when_down=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("touch", key, timeout, version=version, when_down=False)

    def delete(self, key, version=None):
        return self._run("delete", key, version=version, when_down=False)

    def has_key(self, key, version=None):
        return self._run("has_key", key, version=version, when_down=False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")

        return self._run("incr", key, delta, version=version, when_down=missing)

    # The many-key methods fall back key by key, so counters still reach the process-local cache.
    def get_many(self, keys, version=None):
        keys = list(keys)
        found = self._on_redis("get_many", keys, version=version)
        if found is not _DOWN:
            return found
        return {key: value for key in keys if (value := self.get(key, version=version)) is not None}

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = self._on_redis("set_many", data, timeout, version=version)
        if failed is not _DOWN:
            return failed
        for key, value in data.items():
            self.set(key, value, timeout, version=version)
        return []

    def delete_many(self, keys, version=None):
        keys = list(keys)
        if self._on_redis("delete_many", keys, version=version) is _DOWN:
            for key in keys:
                self.delete(key, version=version)

    def clear(self):
        self._local.clear()
        return self._on_redis("clear") is not _DOWN

    def ping(self) -> bool:
        """Whether Redis answers now (for the readiness check), bypassing the pause after a failure."""
        try:
            return bool(self._cache.get_client().ping())
        except OUTAGE_ERRORS:
            return False
