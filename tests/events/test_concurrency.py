"""Twenty members registering for a five-seat session at the same moment: exactly five seats, fifteen on the
waiting list in the order they were served (the service locks the session's row)."""

import threading

import pytest
from django.db import connection, connections

from events.choices import RegistrationState
from events.models import Registration
from tests.conftest import require_service
from tests.factories import home_pages
from tests.factories.events import first_session, make_course, make_index, network_member

PEOPLE = 20
SEATS = 5


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_registrations_for_five_seats():
    require_service("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    index = make_index(home_pages()["en"])
    session = first_session(make_course(index, sessions=[{"capacity": SEATS}]))
    members = [network_member() for _ in range(PEOPLE)]
    barrier = threading.Barrier(PEOPLE)
    errors = []

    def register(member):
        from events import services

        try:
            barrier.wait()
            services.register(actor=member.user, session=session, join_waitlist=True)
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(member,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = list(Registration.objects.filter(session=session).order_by("pk"))
    assert len(rows) == PEOPLE
    assert sum(row.state == RegistrationState.REGISTERED for row in rows) == SEATS
    waiting = [row for row in rows if row.state == RegistrationState.WAITLISTED]
    assert len(waiting) == PEOPLE - SEATS
    # Served one at a time: the five seats went to the first five served, and the waiting list keeps the
    # order in which the others were served.
    assert all(row.state == RegistrationState.REGISTERED for row in rows[:SEATS])
    by_place = sorted(waiting, key=lambda row: (row.waitlisted_at, row.pk))
    assert [row.pk for row in by_place] == [row.pk for row in rows[SEATS:]]

    # One cancellation promotes exactly the first on the waiting list, once.
    from events import services

    seat = rows[0]
    services.cancel_registration(actor=seat.user, registration=seat)
    offered = list(Registration.objects.filter(session=session, state=RegistrationState.OFFERED))
    assert [row.pk for row in offered] == [by_place[0].pk]
