"""Background work for campaigns: tasks take ids or dates, are safe to run twice and call services."""

import datetime

from celery import shared_task

from campaigns import services


@shared_task(acks_late=True)
def snapshot_campaign_progress(day: str | None = None) -> int:
    """Store each running campaign target's value for yesterday and today (idempotent: one row per target and
    day); then forget the targets' cached progress and the anonymous page cache. Returns rows written."""
    return services.snapshot_campaign_progress(datetime.date.fromisoformat(day) if day else None)
