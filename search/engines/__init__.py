"""Which engine searches: Elasticsearch when ELASTICSEARCH_URL is set and the cluster answers, otherwise the
database's own (PostgreSQL full-text search or SQLite FTS5).

The ping's answer is kept for PING_SECONDS, so a page does not wait on a dead cluster more than once a minute.
A fallback is logged as a warning and shown in the Wagtail admin (search/wagtail_hooks.py reads
`fallback_reason()`).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

PING_SECONDS = 60.0
_lock = threading.Lock()
_state: dict = {"checked_at": None, "engine": None, "reason": "", "url": None}


def database_engine():
    """The engine of the database the site runs on."""
    if connection.vendor == "postgresql":
        from search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from search.engines.sqlite import SqliteEngine

    return SqliteEngine()


def _elastic_or_none():
    """(engine, reason): the Elasticsearch engine if it answers, else None and why not."""
    from search.engines.elastic import ElasticsearchEngine, ElasticsearchUnavailable

    try:
        engine = ElasticsearchEngine.from_settings()
    except ElasticsearchUnavailable as error:
        return None, str(error)
    if not engine.ping():
        return None, "the cluster at ELASTICSEARCH_URL does not answer"
    return engine, ""


def get_engine():
    url = getattr(settings, "ELASTICSEARCH_URL", "") or ""
    if not url:
        return database_engine()
    now = time.monotonic()
    with _lock:
        fresh = _state["checked_at"] is not None and now - _state["checked_at"] < PING_SECONDS
        if not fresh or _state["url"] != url:
            engine, reason = _elastic_or_none()
            if engine is None and (_state["reason"] != reason or _state["engine"] is not None or not fresh):
                logger.warning("Site search falls back to the database engine: %s", reason)
            _state.update(checked_at=now, engine=engine, reason=reason, url=url)
        engine = _state["engine"]
    return engine if engine is not None else database_engine()


def fallback_reason() -> str:
    """Why the site searches with the database although Elasticsearch is configured ("" when it is not)."""
    if not getattr(settings, "ELASTICSEARCH_URL", ""):
        return ""
    get_engine()
    return _state["reason"]


def mark_unavailable(reason: str) -> None:
    """A request to the cluster failed: use the database until the next ping."""
    with _lock:
        if _state["engine"] is not None:
            logger.warning("Site search falls back to the database engine: %s", reason)
        _state.update(checked_at=time.monotonic(), engine=None, reason=reason)


def reset() -> None:
    """Forget the last ping (tests, settings changes)."""
    with _lock:
        _state.update(checked_at=None, engine=None, reason="", url=None)
