"""A member's way through a course in Chromium: register for a full session (the waiting list), be offered the
freed seat, confirm it, download the .ics, and after the course open her certificate."""

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from events import services
from events.models import Registration
from network.choices import StaffRole
from tests.browser.test_accounts import log_in
from tests.factories import UserFactory, home_pages
from tests.factories.events import first_session, make_course, make_index, network_member
from tests.factories.staff import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_waiting_list_offer_confirm_calendar_and_certificate(page: Page, url, tmp_path):
    index = make_index(home_pages()["en"])
    course = make_course(index, title="Kigali pilot course", sessions=[{"capacity": 1}])
    session = first_session(course)
    holder = network_member()
    seat = services.register(actor=holder.user, session=session)
    member = network_member(user__first_name="Grace", user__last_name="Uwase")

    log_in(page, url, member.user.email, UserFactory.PASSWORD)
    page.goto(url(course.url))
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_role("heading", name="My registrations")).to_be_visible()
    expect(page.get_by_role("cell", name="On the waiting list")).to_be_visible()

    services.cancel_registration(actor=holder.user, registration=seat)
    page.reload()
    page.get_by_role("button", name="Confirm my seat").click()
    expect(page.get_by_text("Your seat is confirmed.")).to_be_visible()
    assert Registration.objects.get(user=member.user, session=session).state == "registered"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Calendar (.ics)").click()
    path = tmp_path / "session.ics"
    download_info.value.save_as(path)
    (event,) = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["summary"]) == "Kigali pilot course"

    organiser = make_staff(StaffRole.TRAINING_ORGANISER)
    mine = Registration.objects.get(user=member.user, session=session)
    services.mark_attendance(actor=organiser, session=session, attended_ids=[mine.pk])
    page.goto(url("/en/events/my/"))
    page.get_by_role("link", name="Certificate").click()
    expect(page.get_by_role("heading", name="Certificate of attendance")).to_be_visible()
    expect(page.get_by_text("Grace Uwase")).to_be_visible()
    mine.refresh_from_db()
    page.goto(url(f"/en/events/verify/{mine.certificate_code}/"))
    expect(page.get_by_role("heading", name="This certificate is genuine")).to_be_visible()
