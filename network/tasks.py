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
def retry_unsent_emails(older_than_minutes: int = 5) -> int:
    """Queue again the emails still waiting after a while: their task never reached a worker (broker down when
    the request queued it) or was lost (worker killed mid-delivery). Delivery sends each email once."""
    stale = timezone.now() - timedelta(minutes=older_than_minutes)
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


@shared_task(acks_late=True)
def review_community_access() -> dict[str, int]:
    """Daily: remind members 14 days before their Community of Practice review date, lapse access after it."""
    from network.services.community import review_community_access as review

    return review()


@shared_task(acks_late=True)
def send_renewal_reminders() -> int:
    """Daily: email members 30 and 7 days before their membership expires, and once when it has lapsed.

    Safe to run twice: each reminder is recorded under a unique key in the same transaction as its email.
    """
    from network.services.membership import send_renewal_reminders as send

    return send()


@shared_task(acks_late=True)
def send_pending_work_digest() -> int:
    """Daily: tell officers, moderators and administrators what waits for their decision (counts only)."""
    from network.services.digest import send_pending_work_digest as send

    return send()


# --- imports ---


# Checking and importing 50,000 rows takes longer than the default limits; still well below the visibility timeout.
@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def check_member_import_file(import_id: int, language: str = "en") -> str | None:
    """Check every row of an uploaded member import (dry run); stores progress and per-row errors."""
    from django.utils import translation

    from network.services import imports

    with translation.override(language):
        return imports.check_member_import(import_id)


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def import_confirmed_members(import_id: int, actor_id: int | None, language: str = "en") -> str | None:
    """Import all rows of a confirmed member import in one transaction (or none, with the reason)."""
    from django.utils import translation

    from network.services import imports

    with translation.override(language):
        return imports.import_members(import_id, actor_id=actor_id)


@shared_task(acks_late=True)
def resume_waiting_imports(older_than_minutes: int = 10) -> int:
    """Queue again the member imports whose task never ran: uploaded but never checked, or confirmed but never
    imported (the broker was down when the officer acted). Both tasks do nothing for an import already done."""
    from network.choices import ImportState
    from network.models import MemberImport

    stale = timezone.now() - timedelta(minutes=older_than_minutes)
    waiting = MemberImport.objects.filter(
        state__in=[ImportState.UPLOADED, ImportState.IMPORTING], created_at__lt=stale, finished_at=None
    ).values_list("pk", "state", "created_by_id")
    count = 0
    for import_id, state, created_by_id in waiting:
        if state == ImportState.UPLOADED:
            check_member_import_file.delay(import_id)
        else:
            # The officer who uploaded the file stands for the one who confirmed it in the audit entry.
            import_confirmed_members.delay(import_id, created_by_id)
        count += 1
    return count


# --- notifications ---


@shared_task(acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification posted with IMMEDIATE delivery; sends at most once, and nothing when the recipient
    may no longer read what it points to."""
    from network import notifications

    return notifications.send_notification_email(notification_id)


@shared_task(acks_late=True)
def send_daily_notification_digest() -> int:
    """Daily: one email per member listing her notifications waiting for the daily digest."""
    from network.choices import Delivery
    from network.notifications import send_notification_digests

    return send_notification_digests(frequency=Delivery.DAILY)


@shared_task(acks_late=True)
def send_weekly_notification_digest() -> int:
    """Mondays: one email per member listing her notifications waiting for the weekly digest."""
    from network.choices import Delivery
    from network.notifications import send_notification_digests

    return send_notification_digests(frequency=Delivery.WEEKLY)
