"""The mentoring pages as members and coordinators use them: forms, one-click links, privacy of notes."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from mentoring import links, services
from mentoring.choices import LinkAction, MentorshipState, Role
from mentoring.models import Enrolment, Mentorship
from network.choices import MemberCategory, StaffRole
from network.models import Notification
from tests.factories.forums import network_member
from tests.factories.mentoring import active, make_programme, mentee, mentor, requested
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db
NOTE = "Private-Note-Axolotl"


def link_path(mentorship, action, user) -> str:
    return "/en/mentoring/link/" + links.make_token(mentorship, action, user) + "/"


def test_observer_is_told_why_she_cannot_enrol(client):
    observer = network_member(MemberCategory.OBSERVER)
    client.force_login(observer.user)
    response = client.get("/en/mentoring/")
    assert response.status_code == 200
    assert b"open to active, civilian and honorary members" in response.content


def test_enrolment_form_keeps_what_was_typed_when_capacity_is_out_of_range(client):
    programme = make_programme()
    member = network_member()
    client.force_login(member.user)
    url = f"/en/mentoring/programmes/{programme.slug}/enrol/mentor/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "topics": [1],
            "language_fr": "3",
            "time_zone": "Africa/Dakar",
            "day0": "18:00-20:00",
            "capacity": "50",
            "prefers_mission": "any",
            "years_of_service": "12",
            "reporting_line": "Unit Kilo",
        },
    )
    assert response.status_code == 400
    assert b"Choose a number from 1 to 5" in response.content
    assert b"Unit Kilo" in response.content
    assert not Enrolment.objects.exists()


def test_enrolment_without_hours_gets_a_clear_message(client):
    programme = make_programme()
    client.force_login(network_member().user)
    response = client.post(
        f"/en/mentoring/programmes/{programme.slug}/enrol/mentee/",
        {"topics": [1], "language_fr": "3", "time_zone": "UTC", "prefers_mission": "any", "years_of_service": "1"},
    )
    assert response.status_code == 400
    assert b"at least one time range" in response.content


def test_mentee_enrols_sees_explanations_and_requests(client):
    programme = make_programme()
    guide = mentor(programme, topics=("leadership",), member_kwargs={"user__first_name": "Grace"})
    member = network_member()
    client.force_login(member.user)
    response = client.post(
        f"/en/mentoring/programmes/{programme.slug}/enrol/mentee/",
        {
            "topics": [guide.topics.get().pk],
            "language_fr": "3",
            "time_zone": "UTC",
            "day1": "18:00-21:00",
            "day2": "18-21",
            "prefers_mission": "any",
            "years_of_service": "2",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert b"you both work in fr" in response.content
    assert b"6 shared hours a week" in response.content
    response = client.post(f"/en/mentoring/programmes/{programme.slug}/request/", {"mentor": guide.pk}, follow=True)
    assert response.status_code == 200
    mentorship = Mentorship.objects.get()
    assert mentorship.mentor == guide and mentorship.state == MentorshipState.REQUESTED


def test_a_forged_mentor_id_changes_nothing(client):
    programme = make_programme()
    pupil = mentee(programme)
    client.force_login(pupil.member.user)
    response = client.post(f"/en/mentoring/programmes/{programme.slug}/request/", {"mentor": 99999}, follow=True)
    assert b"not enrolled in the programme" in response.content
    assert not Mentorship.objects.exists()


def test_email_link_get_changes_nothing_and_post_accepts_once(client):
    mentorship = requested()
    path = link_path(mentorship, LinkAction.ACCEPT, mentorship.mentor.member.user)
    # A mail scanner or a link preview opens it: nothing happens.
    response = client.get(path)
    assert response.status_code == 200 and b"Yes, accept" in response.content
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.REQUESTED
    response = client.post(path)
    assert response.status_code == 200
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.ACCEPTED
    replay = client.post(path)
    assert replay.status_code == 400 and b"already used" in replay.content


def test_the_link_in_the_email_accepts(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mentorship = requested()
    body = next(m.body for m in mailoutbox if mentorship.mentor.member.user.email in m.to)
    accept = re.search(r"https?://[^\s]+/mentoring/link/[^\s]+/", body.split("Accept:")[1]).group(0)
    client.post(urlsplit(accept).path)
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.ACCEPTED


def test_tampered_and_expired_links_are_refused(client, monkeypatch):
    mentorship = requested()
    path = link_path(mentorship, LinkAction.ACCEPT, mentorship.mentor.member.user)
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(tampered).status_code == 400
    monkeypatch.setattr(links, "LINK_MAX_AGE_DAYS", -1)
    assert client.post(path).status_code == 400
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.REQUESTED


def test_a_link_for_someone_outside_the_pair_does_nothing(client):
    mentorship = requested()
    stranger = network_member().user
    response = client.post(link_path(mentorship, LinkAction.ACCEPT, stranger))
    assert response.status_code == 400
    assert Mentorship.objects.get(pk=mentorship.pk).state == MentorshipState.REQUESTED


def test_we_met_link_logs_a_meeting(client):
    mentorship = active()
    client.post(link_path(mentorship, LinkAction.MET, mentorship.mentee.member.user))
    assert mentorship.meetings.count() == 1


def test_notes_are_seen_by_the_pair_only(client):
    mentorship = active()
    services.log_meeting(mentorship, actor=mentorship.mentee.member.user, starts_at=timezone.now(), notes=NOTE)
    url = f"/en/mentoring/pairs/{mentorship.pk}/"
    for user in (mentorship.mentee.member.user, mentorship.mentor.member.user):
        client.force_login(user)
        assert NOTE.encode() in client.get(url).content
    client.force_login(network_member().user)
    assert client.get(url).status_code == 404
    coordinator = make_staff(StaffRole.MENTORING_COORDINATOR)
    client.force_login(coordinator)
    assert client.get(url).status_code in (403, 404)
    for page in (
        "/en/mentoring/coordinate/",
        "/en/mentoring/coordinate/export.csv",
        f"/en/mentoring/coordinate/{mentorship.programme.slug}/",
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert NOTE.encode() not in response.content
    administrator = make_staff(StaffRole.ADMINISTRATOR, superuser=True)
    client.force_login(administrator)
    assert NOTE.encode() not in client.get(url).content


def test_meeting_form_and_calendar_invite(client):
    mentorship = active()
    client.force_login(mentorship.mentor.member.user)
    day = timezone.localdate() + datetime.timedelta(days=3)
    client.post(
        f"/en/mentoring/pairs/{mentorship.pk}/do/meeting/",
        {"date": day.isoformat(), "time": "18:30", "duration_minutes": "45", "planned": "on", "notes": NOTE},
    )
    meeting = mentorship.meetings.get()
    response = client.get(f"/en/mentoring/pairs/{mentorship.pk}/meetings/{meeting.pk}/invite.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"DTSTART" in response.content
    assert NOTE.encode() not in response.content


def test_feedback_needs_a_rating(client):
    mentorship = active()
    services.close_mentorship(mentorship, actor=mentorship.mentor.member.user, reason="completed")
    client.force_login(mentorship.mentee.member.user)
    response = client.post(f"/en/mentoring/pairs/{mentorship.pk}/do/feedback/", {"text": "Good"}, follow=True)
    assert b"Choose a rating from 1 to 5" in response.content
    assert not mentorship.feedback.exists()


def test_coordinator_runs_locks_and_publishes_a_batch(client):
    programme = make_programme(matching_mode="batch")
    guides = [mentor(programme) for _ in range(2)]
    pupils = [mentee(programme) for _ in range(3)]
    coordinator = make_staff(StaffRole.MENTORING_COORDINATOR)
    client.force_login(coordinator)
    base = f"/en/mentoring/coordinate/{programme.slug}/"
    client.post(base + "do/run/")
    run = programme.runs.get()
    assert run.report["matched"] == 2 and len(run.report["unmatched"]) == 1
    unmatched = int(next(iter(run.report["unmatched"])))
    client.post(base + "do/lock/", {"mentee": unmatched, "mentor": guides[0].pk})
    client.post(base + "do/run/")
    run = programme.runs.first()
    assert (unmatched, guides[0].pk) in {(p.mentee_id, p.mentor_id) for p in run.proposals.all()}
    client.post(base + "do/publish/")
    assert Mentorship.objects.filter(source="batch").count() == 2
    assert Notification.objects.filter(recipient__in=[g.member.user for g in guides]).count() == 2
    assert len(pupils) == 3


def test_manual_suggestions_show_exclusions(client):
    programme = make_programme(matching_mode="manual")
    pupil = mentee(programme)
    mentor(programme, languages=(("en", 3),))
    coordinator = make_staff(StaffRole.MENTORING_COORDINATOR)
    client.force_login(coordinator)
    response = client.get(f"/en/mentoring/coordinate/{programme.slug}/mentees/{pupil.pk}/")
    assert b"no shared working language" in response.content


def test_dashboard_queries_stay_bounded(client, django_assert_max_num_queries):
    for _ in range(3):
        active()
    coordinator = make_staff(StaffRole.MENTORING_COORDINATOR)
    client.force_login(coordinator)
    with django_assert_max_num_queries(60):
        response = client.get("/en/mentoring/coordinate/")
    assert response.status_code == 200
    assert b"<svg" in response.content and b"<table" in response.content


def test_index_queries_stay_bounded(client, django_assert_max_num_queries):
    mentorship = active()
    client.force_login(mentorship.mentee.member.user)
    with django_assert_max_num_queries(15):
        assert client.get("/en/mentoring/").status_code == 200
    assert Role.MENTEE


def test_site_search_never_finds_the_pairs_notes(client):
    mentorship = active()
    services.log_meeting(
        mentorship, actor=mentorship.mentee.member.user, starts_at=timezone.now(), notes=f"{NOTE} patrol leadership"
    )
    client.force_login(mentorship.mentee.member.user)
    response = client.get("/en/search/", {"q": "patrol leadership"})
    assert response.status_code == 200
    # Notes are in no search index: no result points to the pair, and their words appear nowhere.
    assert b"/mentoring/pairs/" not in response.content
    assert NOTE.encode() not in response.content


def test_campaign_metric_counts_active_pairs():
    from campaigns.metrics import get_metric

    active()
    closed = active()
    metric = get_metric("mentoring_active_pairs")
    assert metric.value_on(timezone.localdate()).value == 2
    services.close_mentorship(closed, actor=closed.mentee.member.user, reason="completed")
    assert metric.value_on(timezone.localdate()).value == 1


def enrolment_post(**overrides) -> dict:
    data = {
        "topics": [1],
        "language_fr": "3",
        "time_zone": "UTC",
        "prefers_mission": "any",
        "years_of_service": "4",
        "duty_station": "Bangui",
    }
    data.update(overrides)
    return data


def test_enrolment_takes_several_time_ranges_a_day_and_shows_them_again(client):
    programme = make_programme()
    member = network_member()
    client.force_login(member.user)
    url = f"/en/mentoring/programmes/{programme.slug}/enrol/mentee/"
    response = client.post(url, enrolment_post(day0="07:00-09:00, 19:00-21:00", day6="22:00-01:00"))
    assert response.status_code == 302, response.content.decode()[:3000]
    enrolment = Enrolment.objects.get(member=member)
    assert enrolment.weekly_ranges == [[0, 7, 9], [0, 19, 21], [6, 22, 1]]
    # Sunday 22:00 to Monday 01:00 wraps into the start of the week.
    assert enrolment.local_hours == [(0, 0), (0, 7), (0, 8), (0, 19), (0, 20), (6, 22), (6, 23)]
    page = client.get(url).content.decode()
    assert 'value="07:00-09:00, 19:00-21:00"' in page
    assert 'value="22:00-01:00"' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("morning", "is not a time range: write it like 07:00-09:00"),
        ("07:30-09:00", "use whole hours"),
        ("09:00-09:00", "starts and ends at the same time"),
        ("07:00-25:00", "hours go from 00:00 to 24:00"),
    ],
)
def test_bad_time_range_gets_a_clear_message_and_keeps_what_was_typed(client, typed, message):
    programme = make_programme()
    client.force_login(network_member().user)
    response = client.post(
        f"/en/mentoring/programmes/{programme.slug}/enrol/mentee/",
        enrolment_post(day0="18:00-20:00", day2=f"07:00-08:00, {typed}"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page.replace("&#x27;", "'")
    assert f'value="07:00-08:00, {typed}"' in page
    assert 'value="18:00-20:00"' in page
    assert "Bangui" in page
    assert not Enrolment.objects.exists()
