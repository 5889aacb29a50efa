"""Email delivery through Celery: messages are stored, then sent by a task after commit."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from network.choices import EmailState
from network.models import OutboundEmail
from network.tasks_queue import queue_task

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


def _stored(message: EmailMessage) -> OutboundEmail:
    html_body = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html_body = content
    return OutboundEmail(
        subject=str(message.subject),
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        body=str(message.body),
        html_body=html_body,
    )


def queue_email(message: EmailMessage) -> OutboundEmail:
    """Store one message and hand it to a Celery worker once the surrounding transaction commits."""
    return queue_emails([message])[0]


def queue_emails(messages: list[EmailMessage]) -> list[OutboundEmail]:
    """Store these messages in one insert; each goes to a Celery worker once the transaction commits."""
    emails = OutboundEmail.objects.bulk_create([_stored(message) for message in messages])
    for email in emails:
        queue_task("network.tasks.deliver_email", email.pk)
    return emails


def deliver_queued_email(email_id: int) -> bool:
    """Send a stored email once. Returns False when it was already sent (a redelivered task).

    A failed attempt is recorded on the row and the error re-raised so that the task retries.
    """
    failure: Exception | None = None
    with transaction.atomic():
        # The row lock makes two workers that got the same task wait for each other; the second sees SENT.
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.state == EmailState.SENT:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=email.from_email,
            to=email.to,
            cc=email.cc,
            bcc=email.bcc,
            reply_to=email.reply_to,
            headers=email.headers,
            connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
        )
        if email.html_body:
            message.attach_alternative(email.html_body, "text/html")
        email.attempts += 1
        try:
            message.send()
        except Exception as error:  # noqa: BLE001 - any transport error is recorded and retried
            failure = error
            email.last_error = f"{type(error).__name__}: {error}"
            if email.attempts >= MAX_EMAIL_ATTEMPTS:
                email.state = EmailState.FAILED
                logger.error("Giving up on email %s after %s attempts: %s", email.pk, email.attempts, error)
        else:
            email.state = EmailState.SENT
            email.sent_at = timezone.now()
        email.save(update_fields=["state", "attempts", "last_error", "sent_at"])
    if failure is not None:
        raise failure
    return True
