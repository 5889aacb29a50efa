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


@pytest.mark.django_db(transaction=True)
def test_renewal_reminder_runs_on_the_worker_and_arrives_once(celery_worker):
    from datetime import timedelta

    from django.utils import timezone

    from network.models import RenewalReminder
    from network.tasks import send_renewal_reminders
    from tests.factories import MemberFactory

    member = MemberFactory(category="active", membership_expires_on=timezone.localdate() + timedelta(days=7))

    assert send_renewal_reminders.delay().get(timeout=20) == 1
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [member.user.email]
    assert "7 days" in mail.outbox[0].subject

    # The beat running the task again (or a redelivery) sends nothing more.
    assert send_renewal_reminders.delay().get(timeout=20) == 0
    time.sleep(1)
    assert len(mail.outbox) == 1
    assert RenewalReminder.objects.filter(member=member).count() == 1


# --- community review ---


@pytest.mark.django_db(transaction=True)
def test_community_review_task_reminds_and_lapses_once_through_the_worker(celery_worker):
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from network.choices import CommunityAccessState, MemberCategory, StaffRole
    from network.models import CommunityAccessRequest
    from network.services import community
    from network.tasks import review_community_access
    from tests.factories import MemberFactory

    moderator = MemberFactory().user
    # get_or_create: an earlier transactional test may have flushed the groups made after migrating.
    moderator.groups.add(Group.objects.get_or_create(name=StaffRole.MODERATOR.value)[0])
    today = timezone.localdate()
    soon, due = MemberFactory(category=MemberCategory.ACTIVE), MemberFactory(category=MemberCategory.CIVILIAN)
    for member, review_on in ((soon, today + datetime.timedelta(days=10)), (due, today + datetime.timedelta(days=1))):
        access = community.request_community_access(member, actor=member.user, motivation="Sharing field experience.")
        community.approve_community_request(access, actor=moderator, review_on=review_on)
    # The review date of the second one has come (approving refuses dates in the past).
    CommunityAccessRequest.objects.filter(member=due).update(review_on=today)
    assert wait_for(lambda: len(mail.outbox) == 2)  # the two approval emails
    mail.outbox = []

    assert review_community_access.delay().get(timeout=20) == {"reminded": 1, "lapsed": 1}
    assert wait_for(lambda: len(mail.outbox) == 2)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([soon.user.email, due.user.email])
    assert CommunityAccessRequest.objects.get(member=due).state == CommunityAccessState.LAPSED

    # Run twice the same day (a redelivered task): nothing more is sent or changed.
    assert review_community_access.delay().get(timeout=20) == {"reminded": 0, "lapsed": 0}
    time.sleep(1)
    assert len(mail.outbox) == 2
