from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from network import services, tasks
from network.choices import EmailState
from network.models import OutboundEmail

pytestmark = pytest.mark.django_db


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("451 try again later")


@pytest.fixture
def queued_mail(settings):
    """Email goes through our Celery queue and is then delivered to Django's test outbox."""
    settings.EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return settings


def test_email_is_stored_then_delivered_after_commit(queued_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = EmailMultiAlternatives("Welcome", "Plain text", "network@example.org", ["member@example.org"])
        message.attach_alternative("<p>HTML</p>", "text/html")
        message.send()
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@example.org"]
    assert mail.outbox[0].alternatives[0][0] == "<p>HTML</p>"
    stored = OutboundEmail.objects.get()
    assert stored.state == EmailState.SENT
    assert stored.sent_at is not None


def test_email_of_a_rolled_back_transaction_is_never_sent(queued_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Decision", "Approved", None, ["member@example.org"])
        raise RuntimeError("the decision failed to save")
    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


def test_redelivered_task_does_not_send_twice(queued_mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Once", "Only once", None, ["member@example.org"])
    email = OutboundEmail.objects.get()
    assert tasks.deliver_email.apply(args=[email.pk]).get() is False
    assert len(mail.outbox) == 1


def test_failed_delivery_is_recorded_and_given_up_after_five_attempts(queued_mail):
    queued_mail.EMAIL_DELIVERY_BACKEND = f"{__name__}.BrokenMailServer"
    email = OutboundEmail.objects.create(subject="Hello", from_email="a@example.org", to=["b@example.org"], body="Hi")
    for attempt in range(1, services.MAX_EMAIL_ATTEMPTS + 1):
        with pytest.raises(SMTPException):
            services.deliver_queued_email(email.pk)
        email.refresh_from_db()
        assert email.attempts == attempt
        assert "451 try again later" in email.last_error
    assert email.state == EmailState.FAILED


def test_stale_queued_emails_are_queued_again(queued_mail):
    email = OutboundEmail.objects.create(subject="Lost", from_email="a@example.org", to=["b@example.org"], body="Hi")
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(hours=1))
    OutboundEmail.objects.create(subject="Fresh", from_email="a@example.org", to=["c@example.org"], body="Hi")
    assert tasks.retry_unsent_emails.apply().get() == 1
    assert [message.subject for message in mail.outbox] == ["Lost"]


def test_delivered_emails_are_purged_after_a_week(queued_mail):
    old = OutboundEmail.objects.create(
        subject="Old",
        from_email="a",
        to=["b"],
        body="",
        state=EmailState.SENT,
        sent_at=timezone.now() - timedelta(days=8),
    )
    recent = OutboundEmail.objects.create(
        subject="New", from_email="a", to=["b"], body="", state=EmailState.SENT, sent_at=timezone.now()
    )
    assert tasks.purge_sent_emails.apply().get() == 1
    assert list(OutboundEmail.objects.all()) == [recent]
    assert not OutboundEmail.objects.filter(pk=old.pk).exists()
