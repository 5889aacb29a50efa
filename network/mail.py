from django.core.mail.backends.base import BaseEmailBackend

from network.services import queue_emails


class QueuedEmailBackend(BaseEmailBackend):
    """Django email backend that stores each message and lets a Celery worker deliver it.

    Requests never wait for the mail server, and a message survives a mail server outage.
    """

    def send_messages(self, email_messages) -> int:
        return len(queue_emails(list(email_messages)))
