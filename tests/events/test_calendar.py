"""Calendars: an .ics per session read back with icalendar (stable UID, times with their TZID), and the
personal feed at a secret address that a reset revokes; a tampered address is refused."""

import datetime

import pytest
from icalendar import Calendar

from events import calendar, services
from events.models import CalendarFeed
from tests.factories.events import first_session, make_course, network_member

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/room-okapi"


def _events(content: bytes):
    return [component for component in Calendar.from_ical(content).walk("VEVENT")]


def test_session_ics_parses_back_with_a_stable_uid_and_its_time_zone(client, index):
    start = datetime.datetime(2031, 8, 1, 7, 0, tzinfo=datetime.UTC)
    session = first_session(make_course(index, title="Kigali course", sessions=[{"start": start}]))
    first = client.get(f"/en/events/sessions/{session.pk}/calendar.ics")
    assert first["Content-Type"].startswith("text/calendar")
    second = client.get(f"/en/events/sessions/{session.pk}/calendar.ics")
    (event,) = _events(first.content)
    (again,) = _events(second.content)
    assert str(event["uid"]) == str(again["uid"]) and str(session.uid) in str(event["uid"])
    assert str(event["summary"]) == "Kigali course"
    dtstart = event.decoded("dtstart")
    assert dtstart == start  # the same instant …
    assert event["dtstart"].params["TZID"] == "Africa/Kigali"  # … written in the session's zone
    assert dtstart.hour == 9


def test_online_link_is_in_the_ics_for_registered_members_only(client, index):
    session = first_session(make_course(index, sessions=[{"online": True, "online_link": LINK, "place": ""}]))
    assert LINK.encode() not in client.get(f"/en/events/sessions/{session.pk}/calendar.ics").content
    member = network_member()
    services.register(actor=member.user, session=session)
    client.force_login(member.user)
    assert LINK.encode() in client.get(f"/en/events/sessions/{session.pk}/calendar.ics").content


def test_personal_feed_lists_her_sessions_and_a_reset_revokes_the_old_address(client, index):
    member = network_member()
    mine = [first_session(make_course(index, title=f"Course {n}")) for n in range(3)]
    other = first_session(make_course(index, title="Not mine"))
    for session in mine:
        services.register(actor=member.user, session=session)
    client.force_login(member.user)
    html = client.get("/en/events/my/").content.decode()
    feed = CalendarFeed.objects.get(user=member.user)
    url = calendar.feed_url(feed)
    assert url in html
    path = url.split("testserver")[-1] if "testserver" in url else "/" + url.split("/", 3)[3]
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    summaries = sorted(str(event["summary"]) for event in _events(response.content))
    assert summaries == ["Course 0", "Course 1", "Course 2"] and other.page.title not in summaries

    client.force_login(member.user)
    client.post("/en/events/my/calendar/reset/")
    client.logout()
    assert client.get(path).status_code == 404
    new_path = "/" + calendar.feed_url(CalendarFeed.objects.get(user=member.user)).split("/", 3)[3]
    assert client.get(new_path).status_code == 200


def test_tampered_or_forged_feed_address_is_refused(client, index):
    member = network_member()
    feed = services.calendar_feed_of(member.user)
    token = calendar.feed_token(feed)
    other = network_member()
    forged = token.replace(f"{member.user.pk}.", f"{other.user.pk}.", 1)
    for bad in (forged, token[:-2] + "xx", "nothing-here"):
        response = client.get(f"/en/events/calendar/{bad}.ics")
        assert response.status_code == 404
        assert b"does not work" in response.content
