"""Reminders, expiry and check-in nudges run by a real Celery worker, with emails in each recipient's language."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mentoring import services
from mentoring.choices import MentorshipState
from mentoring.models import Mentorship
from mentoring.tasks import expire_requests, send_checkin_nudges, send_request_reminders
from network.models import User
from tests.factories.mentoring import active, make_programme, mentee, mentor
from tests.test_celery_worker import wait_for


def emails_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def french(enrolment):
    User.objects.filter(pk=enrolment.member.user_id).update(language="fr")
    enrolment.member.user.language = "fr"


@pytest.mark.django_db
def test_request_email_is_in_the_mentors_language(mailoutbox, django_capture_on_commit_callbacks):
    programme = make_programme()
    pupil, guide = mentee(programme), mentor(programme)
    french(guide)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=guide)
    (email,) = emails_to(guide.member.user)
    assert "vous demande d'être sa mentore" in email.subject
    assert "vous travaillez toutes deux en fr" in email.body
    assert "Accepter :" in email.body


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_reminds_expires_and_offers_the_next_mentor(celery_worker):
    programme = make_programme()
    pupil = mentee(programme)
    first, second = mentor(programme, years_of_service=25), mentor(programme)
    french(pupil)
    mentorship = services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=first)
    assert wait_for(lambda: len(emails_to(first.member.user)) == 1)

    # A day before the deadline: one reminder, however often the task runs.
    Mentorship.objects.filter(pk=mentorship.pk).update(answer_by=timezone.now() + datetime.timedelta(hours=20))
    assert send_request_reminders.delay().get(timeout=20) == 1
    assert send_request_reminders.delay().get(timeout=20) == 0
    assert wait_for(lambda: len(emails_to(first.member.user)) == 2)
    assert "Reminder" in emails_to(first.member.user)[-1].subject

    # Past the deadline: expired, and the mentee (who reads French) is offered the next mentor.
    Mentorship.objects.filter(pk=mentorship.pk).update(answer_by=timezone.now() - datetime.timedelta(minutes=1))
    assert expire_requests.delay().get(timeout=20) == 1
    assert expire_requests.delay().get(timeout=20) == 0
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.EXPIRED
    assert wait_for(lambda: len(emails_to(pupil.member.user)) == 1)
    email = emails_to(pupil.member.user)[0]
    assert "n'a pas répondu à temps" in email.subject
    assert second.member.display_name in email.body


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_nudges_quiet_pairs_once(celery_worker):
    pair = active()
    Mentorship.objects.filter(pk=pair.pk).update(started_at=timezone.now() - datetime.timedelta(days=31))
    assert send_checkin_nudges.delay().get(timeout=20) == 1
    assert send_checkin_nudges.delay().get(timeout=20) == 0
    for person in (pair.mentee.member.user, pair.mentor.member.user):
        assert wait_for(lambda person=person: any("check-in" in m.subject for m in emails_to(person)))
    body = next(m.body for m in emails_to(pair.mentee.member.user) if "check-in" in m.subject)
    assert "/mentoring/link/" in body
