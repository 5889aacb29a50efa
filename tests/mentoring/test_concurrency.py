"""Ten mentees' requests accepted at the same moment by a mentor with one place: exactly one mentorship
holds her place (the accept service locks her enrolment's row)."""

import threading

import pytest
from django.db import connection, connections

from mentoring import services
from mentoring.choices import MentorshipState
from mentoring.models import Mentorship
from mentoring.services import MentoringError
from tests.conftest import require_service
from tests.factories.mentoring import make_programme, mentee, mentor

REQUESTS = 10


@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_never_exceed_the_mentors_capacity():
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    programme = make_programme()
    guide = mentor(programme, capacity=1)
    requests = []
    for _ in range(REQUESTS):
        pupil = mentee(programme)
        requests.append(services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=guide))
    barrier = threading.Barrier(REQUESTS)
    refused, errors = [], []

    def accept(mentorship):
        try:
            barrier.wait()
            services.accept_request(Mentorship.objects.get(pk=mentorship.pk), actor=guide.member.user)
        except MentoringError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(mentorship,)) for mentorship in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(refused) == REQUESTS - 1
    assert Mentorship.objects.filter(mentor=guide, state=MentorshipState.ACCEPTED).count() == 1
    assert Mentorship.objects.filter(mentor=guide, state=MentorshipState.REQUESTED).count() == REQUESTS - 1
