"""Keeping the index in step: every model a registered source watches refreshes its entries after a commit.

A save or delete of a watched model (or of a subclass: every Wagtail page type is a `wagtailcore.Page`) asks the
source's watch function which pks of its kind to refresh, and queues `search.tasks.refresh_entries(kind, pks)`
once the transaction commits (Celery; inline in the embedded default). The task rebuilds those entries from
the database, so running it twice, late or out of order gives the same index. A broker that cannot be reached
loses the wake-up, not the data: `manage.py search_check` shows the drift and `search_reindex` repairs it.

The entries are written to the database's index always, and to Elasticsearch too when it is configured and
answering, so falling back to the database never serves a stale index.
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from search.registry import get_source, get_sources

logger = logging.getLogger(__name__)

TASK_NAME = "search.tasks.refresh_entries"
CHUNK = 500
_connected = False


def _watchers_for(model) -> list[tuple[str, object]]:
    labels = [model._meta.label_lower, *(parent._meta.label_lower for parent in model._meta.get_parent_list())]
    found = []
    for source in get_sources():
        for label, function in source.watch.items():
            if label.lower() in labels:
                found.append((source.kind, function))
    return found


def _send(kind: str, pks: list[int]) -> None:
    from network.tasks_queue import send_task_now

    try:
        send_task_now(TASK_NAME, kind, pks)
    except Exception:  # an index refresh must never fail the request that saved the content
        logger.exception("Could not refresh the search entries %s %s", kind, pks[:10])


def queue_refresh(kind: str, pks: Iterable[int]) -> None:
    pks = sorted({int(pk) for pk in pks})
    for start in range(0, len(pks), CHUNK):
        transaction.on_commit(partial(_send, kind, pks[start : start + CHUNK]))


def _changed(instance) -> None:
    if type(instance).__module__ == "__fake__":  # a historical model: a data migration is running
        return
    for kind, function in _watchers_for(type(instance)):
        try:
            pks = list(function(instance))
        except Exception:
            logger.exception("Search watch of %s failed for %r", kind, instance)
            continue
        if pks:
            queue_refresh(kind, pks)


def on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _changed(instance)


def on_delete(sender, instance, **kwargs) -> None:
    _changed(instance)


def on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _changed(instance)


def connect() -> None:
    global _connected
    if _connected:
        return
    post_save.connect(on_save, dispatch_uid="search.indexing.save")
    post_delete.connect(on_delete, dispatch_uid="search.indexing.delete")
    m2m_changed.connect(on_m2m, dispatch_uid="search.indexing.m2m")
    _connected = True


def write_engines() -> list:
    """Where entries are written: the database's index, and Elasticsearch when it answers."""
    from search import engines

    database = engines.database_engine()
    current = engines.get_engine()
    return [database] if current.name == database.name else [database, current]


def refresh(kind: str, pks: Iterable[int]) -> int:
    """Rebuild the entries of these pks from the database; a pk with no entry any more leaves the index."""
    from search import engines
    from search.engines.elastic import ElasticsearchUnavailable

    source = get_source(kind)
    if source is None:
        logger.warning("No search source for kind %r", kind)
        return 0
    pks = [int(pk) for pk in pks]
    entries = list(source.entries(pks))
    gone = {f"{kind}:{pk}" for pk in pks} - {entry.key for entry in entries}
    for engine in write_engines():
        try:
            engine.index(entries)
            if gone:
                engine.delete(sorted(gone))
        except ElasticsearchUnavailable as error:
            engines.mark_unavailable(str(error))
    return len(entries)
