"""Celery tasks of the site search: take a kind and pks, safe to run twice."""

from celery import shared_task

from search import indexing


@shared_task(name="search.tasks.refresh_entries", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def refresh_entries(kind: str, pks: list[int]) -> int:
    return indexing.refresh(kind, pks)
