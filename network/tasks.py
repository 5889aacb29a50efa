"""Background work for membership: tasks take ids, are safe to run twice and call services."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from network import services
from network.choices import EmailState
from network.models import OutboundEmail


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_EMAIL_ATTEMPTS - 1)
def deliver_email(self, email_id: int) -> bool:
    """Deliver one stored email; retried with backoff while the mail server fails."""
    try:
        return services.deliver_queued_email(email_id)
    except Exception as error:
        if OutboundEmail.objects.filter(pk=email_id, state=EmailState.FAILED).exists():
            raise
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def retry_unsent_emails() -> int:
    """Queue again the emails whose task was lost (e.g. broker restarted before a worker took it)."""
    stale = timezone.now() - timedelta(minutes=10)
    ids = list(OutboundEmail.objects.filter(state=EmailState.QUEUED, created_at__lt=stale).values_list("pk", flat=True))
    for email_id in ids:
        deliver_email.delay(email_id)
    return len(ids)


@shared_task(acks_late=True)
def purge_sent_emails(days: int = 7) -> int:
    """Delete delivered emails after a week: they hold personal data such as sign-in links."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutboundEmail.objects.filter(state=EmailState.SENT, sent_at__lt=cutoff).delete()
    return deleted


# --- membership renewal and community review ---

# --- imports ---

# --- campaigns ---
