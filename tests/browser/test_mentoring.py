"""A mentee and a mentor through the mentoring programme in a real browser: both enrol, the mentee sees a
shortlist with explanations and asks, the mentor accepts from the link of her email, they log a meeting, the
mentee closes the mentorship and gives feedback."""

import re

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import Mentorship
from network.models import Notification
from tests.browser.test_accounts import log_in, log_out
from tests.factories import UserFactory
from tests.factories.forums import network_member
from tests.factories.mentoring import make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def enrol(page: Page, url, slug: str, role: str, *, capacity: str | None = None) -> None:
    page.goto(url(f"/en/mentoring/programmes/{slug}/"))
    page.get_by_role("link", name=f"Enrol as a {role}").click()
    page.get_by_label("Leadership and management").check()
    page.get_by_label("French").select_option("3")
    page.get_by_label("Monday").fill("07:00-08:00, 18:00-21:00")
    page.get_by_label("Tuesday").fill("18:00-21:00")
    if capacity:
        page.get_by_label("How many mentees at once (1 to 5)").fill(capacity)
    page.get_by_role("button", name="Save my enrolment").click()


def test_enrol_shortlist_request_accept_by_email_meet_close_and_feedback(page: Page, url, demo_site):
    programme = make_programme(slug="leadership", title="Leadership in peace operations")
    mentor = network_member("honorary", user__first_name="Ingrid", user__last_name="Larsen")
    mentee = network_member("active", user__first_name="Amina", user__last_name="Diallo")

    log_in(page, url, mentor.user.email, UserFactory.PASSWORD)
    enrol(page, url, programme.slug, "mentor", capacity="2")
    expect(page.get_by_text("Your enrolment is saved.")).to_be_visible()
    log_out(page)

    log_in(page, url, mentee.user.email, UserFactory.PASSWORD)
    enrol(page, url, programme.slug, "mentee")
    expect(page.get_by_role("heading", name="Suggested mentors")).to_be_visible()
    card = page.locator(".shortlist .card").first
    expect(card).to_contain_text("Ingrid Larsen")
    expect(card).to_contain_text("you both work in fr")
    expect(card).to_contain_text("7 shared hours a week")
    card.get_by_role("button", name="Ask Ingrid Larsen").click()
    expect(page.get_by_text("Waiting for her answer.")).to_be_visible()
    log_out(page)

    # The mentor opens the accept link of her email: a confirmation page, then the button.
    text = Notification.objects.get(recipient=mentor.user).text
    link = re.search(r"Accept: (\S+)", text).group(1)
    page.goto(url(re.sub(r"^https?://[^/]+", "", link)))
    expect(page.get_by_role("heading", name="Accept this mentoring request?")).to_be_visible()
    assert Mentorship.objects.get().state == "requested"
    page.get_by_role("button", name="Yes, accept").click()
    expect(page.get_by_role("heading", name="You accepted the request")).to_be_visible()

    log_in(page, url, mentee.user.email, UserFactory.PASSWORD)
    page.goto(url(f"/en/mentoring/pairs/{Mentorship.objects.get().pk}/"))
    page.get_by_label("Time (your time zone)").fill("18:30")
    page.get_by_label("Private notes (only the two of you can read them)").fill("We talked about patrol leadership.")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("We talked about patrol leadership.")).to_be_visible()
    page.get_by_label("Why are you closing this mentorship?").select_option("completed")
    page.get_by_role("button", name="Close", exact=True).click()
    expect(page.get_by_text("The mentorship is closed. Please give your feedback.")).to_be_visible()
    page.get_by_label("5").check()
    page.get_by_label("Comments").fill("Clear advice, every week.")
    page.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_text("Thank you for your feedback.").first).to_be_visible()
    assert Mentorship.objects.get().feedback.get().rating == 5
