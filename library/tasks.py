"""Celery tasks of the library: take ids, safe to run twice (library.services.extract_document_text does its
work once per version)."""

from celery import shared_task

from library import services


@shared_task(
    name="library.tasks.extract_document_text",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
)
def extract_document_text(document_id: int, version_number: int) -> str:
    """Extract text, page count and preview of one version's file; a storage error (OSError) is retried."""
    return services.extract_document_text(document_id, version_number)


@shared_task(name="library.tasks.resume_pending_extractions")
def resume_pending_extractions() -> int:
    """Beat job: queue again the extractions whose task never reached a worker."""
    return services.queue_pending_extractions()
