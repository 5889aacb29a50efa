"""Background work through a real Celery worker on the Redis broker (run in CI; skipped without Redis)."""

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.mail import send_mail
from django.db import transaction

from config.celery import app as celery_app
from network.choices import EmailState
from network.models import OutboundEmail
from network.tasks import deliver_email
from tests.conftest import require_service

pytestmark = pytest.mark.celery_worker


def redis_available() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker(settings):
    require_service("Redis", redis_available(), "set REDIS_URL to a running Redis")
    settings.EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    celery_app.conf.task_always_eager = True


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_email_queued_on_commit_is_delivered_once_by_the_worker(celery_worker):
    with transaction.atomic():
        send_mail("Your application", "It has been received.", None, ["applicant@example.org"])
        email = OutboundEmail.objects.get()
        time.sleep(0.5)
        # The task is only queued when the transaction commits, so the worker cannot have seen it.
        assert mail.outbox == []

    assert wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).state == EmailState.SENT)
    assert [message.subject for message in mail.outbox] == ["Your application"]

    # Redis redelivers unacknowledged tasks; a second delivery of the same id sends nothing more.
    assert deliver_email.delay(email.pk).get(timeout=20) is False
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1
