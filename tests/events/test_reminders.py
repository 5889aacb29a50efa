"""Reminders 7 days and 1 day before a session, once each, in the member's language; through a real worker."""

import datetime
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from events import services
from events.models import SessionReminder
from tests.factories import home_pages
from tests.factories.events import first_session, make_course, make_index, network_member
from tests.test_celery_worker import wait_for


@pytest.mark.django_db
def test_reminders_are_sent_once_each_in_her_language(index, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = timezone.now()
    week = first_session(
        make_course(index, title="Week course", sessions=[{"start": now + datetime.timedelta(days=6)}])
    )
    tomorrow = first_session(
        make_course(index, title="Tomorrow course", sessions=[{"start": now + datetime.timedelta(hours=20)}])
    )
    far = first_session(make_course(index, title="Far course", sessions=[{"start": now + datetime.timedelta(days=40)}]))
    member = network_member(user__language="fr")
    for session in (week, tomorrow, far):
        services.register(actor=member.user, session=session)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 0
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2 and all("Rappel" in subject for subject in subjects)
    assert any("Tomorrow course" in subject for subject in subjects)
    # A day later the week course is one day away: its 1-day reminder goes out, nothing else.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=now + datetime.timedelta(days=5, hours=12)) == 1
    assert SessionReminder.objects.count() == 3


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_reminder_task_runs_on_a_real_worker_and_arrives_once(celery_worker):
    from events.tasks import send_session_reminders

    index = make_index(home_pages()["en"])
    session = first_session(
        make_course(index, title="Worker course", sessions=[{"start": timezone.now() + datetime.timedelta(days=3)}])
    )
    member = network_member()
    with transaction.atomic():
        services.register(actor=member.user, session=session)

    assert send_session_reminders.delay().get(timeout=30) == 1
    assert send_session_reminders.delay().get(timeout=30) == 0

    def reminders():
        return [message for message in mail.outbox if "Worker course" in message.subject]

    assert wait_for(lambda: len(reminders()) >= 1)
    time.sleep(1)
    assert [message.to for message in reminders()] == [[member.user.email]]
