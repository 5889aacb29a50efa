from django.core.mail.backends.base import BaseEmailBackend

from network.services import queue_email


class QueuedEmailBackend(BaseEmailBackend):
    """Django email backend that stores each message and lets a Celery worker deliver it.

    Requests never wait for the mail server, and a message survives a mail server outage.
    """

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            queue_email(message)
        return len(email_messages)
