from celery import shared_task

from events import services


@shared_task
def expire_seat_offers() -> int:
    """Unconfirmed offers pass on to the next member waiting (every few minutes)."""
    return services.expire_offers()


@shared_task
def send_session_reminders() -> int:
    """Reminders 7 days and 1 day before each session (hourly; each reminder is sent once)."""
    return services.send_reminders()
