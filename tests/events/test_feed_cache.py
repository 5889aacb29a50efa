"""The personal calendar feed is served from the cache, and every change to what it shows is seen at the next
request: a cancelled or new registration, a promotion from the waiting list, a course renamed, moved in time or
unpublished in the admin."""

import datetime

import pytest
from icalendar import Calendar

from events import calendar, services
from events.models import Registration, Session
from tests.factories.events import first_session, make_course, network_member

pytestmark = pytest.mark.django_db


def _summaries(client, path) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200
    return sorted(str(event["summary"]) for event in Calendar.from_ical(response.content).walk("VEVENT"))


def _feed_path(user) -> str:
    return "/" + calendar.feed_url(services.calendar_feed_of(user)).split("/", 3)[3]


def test_cancelled_registration_leaves_the_cached_feed_at_once(client, index):
    member = network_member()
    kept, cancelled = (first_session(make_course(index, title=title)) for title in ("Kigali course", "Manila course"))
    services.register(actor=member.user, session=kept)
    registration = services.register(actor=member.user, session=cancelled)
    path = _feed_path(member.user)
    assert _summaries(client, path) == ["Kigali course", "Manila course"]
    assert _summaries(client, path) == ["Kigali course", "Manila course"]  # from the cache
    services.cancel_registration(actor=member.user, registration=registration)
    assert _summaries(client, path) == ["Kigali course"]


def test_new_registration_and_a_promotion_appear_in_the_cached_feed(client, index):
    member, first = network_member(), network_member()
    open_course = first_session(make_course(index, title="Santiago course"))
    full = first_session(make_course(index, title="Lexington pilot", sessions=[{"capacity": 1}]))
    seat = services.register(actor=first.user, session=full)
    services.register(actor=member.user, session=full, join_waitlist=True)
    path = _feed_path(member.user)
    assert _summaries(client, path) == []  # on the waiting list: not in her calendar yet
    services.register(actor=member.user, session=open_course)
    assert _summaries(client, path) == ["Santiago course"]
    services.cancel_registration(actor=first.user, registration=seat)  # she is offered the seat
    assert Registration.objects.get(user=member.user, session=full).state == "offered"
    assert _summaries(client, path) == ["Lexington pilot", "Santiago course"]


def test_course_renamed_or_moved_in_the_admin_shows_in_the_cached_feed(client, index):
    member = network_member()
    page = make_course(index, title="Germany pilot")
    services.register(actor=member.user, session=first_session(page))
    path = _feed_path(member.user)
    assert _summaries(client, path) == ["Germany pilot"]
    page.title = "Germany pilot (Berlin)"
    page.save_revision().publish()
    assert _summaries(client, path) == ["Germany pilot (Berlin)"]
    # A session moved in time, however the change is made, moves in her calendar.
    session = first_session(page)
    session.starts_at += datetime.timedelta(days=3)
    session.ends_at += datetime.timedelta(days=3)
    session.save()
    (event,) = Calendar.from_ical(client.get(path).content).walk("VEVENT")
    assert event.decoded("dtstart") == Session.objects.get(pk=session.pk).starts_at.replace(microsecond=0)


def test_unpublished_course_leaves_the_cached_feed(client, index):
    member = network_member()
    page = make_course(index, title="Withdrawn course")
    services.register(actor=member.user, session=first_session(page))
    path = _feed_path(member.user)
    assert _summaries(client, path) == ["Withdrawn course"]
    page.unpublish()
    assert _summaries(client, path) == []


def test_reset_address_is_refused_even_with_the_feed_cached(client, index):
    member = network_member()
    services.register(actor=member.user, session=first_session(make_course(index, title="Kigali course")))
    path = _feed_path(member.user)
    assert _summaries(client, path) == ["Kigali course"]
    services.reset_calendar_feed(actor=member.user)
    assert client.get(path).status_code == 404
