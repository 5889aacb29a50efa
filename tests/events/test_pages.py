"""The course pages, the events index and its filters, "my registrations": what each person sees, and what
she does not (a restricted event, the online link, materials for participants)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events import services
from events.choices import EventKind, MaterialAudience, RegistrationState
from events.models import EventPage, Material, Registration
from network.choices import AccessLevel
from tests.factories.cms import make_document
from tests.factories.events import first_session, make_course, network_member, observer

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/room-quokka"


def test_course_page_shows_sessions_in_the_viewers_time_zone(client, index):
    start = datetime.datetime(2031, 6, 20, 7, 0, tzinfo=datetime.UTC)
    page = make_course(index, sessions=[{"start": start, "time_zone": "Africa/Kigali"}])
    member = network_member(country="RW")
    client.force_login(member.user)
    html = client.get(page.url).content.decode()
    # 07:00 UTC is 09:00 in Kigali, the zone guessed from her country.
    assert "9 a.m." in html and "Africa/Kigali" in html
    member.user.time_zone = "America/Santiago"
    member.user.save()
    html = client.get(page.url).content.decode()
    assert "America/Santiago" in html


def test_register_from_the_page_and_see_it_in_my_registrations(client, index, django_assert_max_num_queries):
    page = make_course(index, sessions=[{"online": True, "online_link": LINK, "place": ""}])
    session = first_session(page)
    member = network_member()
    client.force_login(member.user)
    assert LINK not in client.get(page.url).content.decode()
    response = client.post(f"/en/events/sessions/{session.pk}/register/")
    assert response.status_code == 302 and response["Location"] == "/en/events/my/"
    assert LINK in client.get(page.url).content.decode()
    for n in range(5):
        other = make_course(index, title=f"Course {n}", sessions=[{}])
        services.register(actor=member.user, session=first_session(other))
    with django_assert_max_num_queries(20):
        html = client.get("/en/events/my/").content.decode()
    assert "Course 4" in html and "Registered" in html


def test_full_session_offers_the_waiting_list_on_the_page(client, index):
    session = first_session(make_course(index, sessions=[{"capacity": 1}]))
    services.register(actor=network_member().user, session=session)
    member = network_member()
    client.force_login(member.user)
    html = client.get(session.page.url).content.decode()
    assert "Join the waiting list" in html
    client.post(f"/en/events/sessions/{session.pk}/register/", {"join_waitlist": "on"})
    assert Registration.objects.get(user=member.user).state == RegistrationState.WAITLISTED


def test_restricted_event_is_invisible_below_its_level(client, index):
    page = make_course(index, title="Network-Only-Okapi course", access_level=AccessLevel.NETWORK)
    session = first_session(page)
    client.force_login(observer().user)
    assert client.get(page.url).status_code == 403
    assert "Network-Only-Okapi" not in client.get(index.url).content.decode()
    assert client.get(f"/en/events/sessions/{session.pk}/calendar.ics").status_code == 404
    assert client.post(f"/en/events/sessions/{session.pk}/register/").status_code == 404
    client.force_login(network_member().user)
    assert "Network-Only-Okapi" in client.get(index.url).content.decode()


def test_materials_for_participants_only(client, index):
    page = make_course(index)
    Material.objects.create(
        page=page, title="Curriculum-Marmot", document=make_document(), audience=MaterialAudience.PARTICIPANTS
    )
    Material.objects.create(
        page=page, title="Flyer-Heron", document=make_document(), audience=MaterialAudience.VISITORS
    )
    member = network_member()
    client.force_login(member.user)
    html = client.get(page.url).content.decode()
    assert "Flyer-Heron" in html and "Curriculum-Marmot" not in html
    services.register(actor=member.user, session=first_session(page))
    assert "Curriculum-Marmot" in client.get(page.url).content.decode()


def test_index_filters_work_and_bad_values_do_not_break_the_page(client, index, django_assert_max_num_queries):
    make_course(index, title="English course", sessions=[{"language": "en"}])
    make_course(index, title="French course", sessions=[{"language": "fr"}])
    make_course(index, title="Past course", sessions=[{"start": timezone.now() - datetime.timedelta(days=400)}])
    make_course(
        index,
        model=EventPage,
        title="Webinar on SGBV",
        kind=EventKind.WEBINAR,
        sessions=[{"online": True, "online_link": LINK, "place": ""}],
    )
    with django_assert_max_num_queries(30):
        html = client.get(index.url, {"language": "fr"}).content.decode()
    assert "French course" in html and "English course" not in html
    html = client.get(index.url, {"when": "past"}).content.decode()
    assert "Past course" in html and "French course" not in html
    html = client.get(index.url, {"format": "online"}).content.decode()
    assert "Webinar on SGBV" in html and "French course" not in html
    html = client.get(index.url, {"kind": "webinar"}).content.decode()
    assert "Webinar on SGBV" in html and "English course" not in html
    response = client.get(index.url, {"language": "klingon", "page": "zzz"})
    assert response.status_code == 200
    assert "a value we do not know" in response.content.decode()


def test_selective_registration_with_a_letter_checked_by_its_content(client, index, organiser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    session = first_session(make_course(index, selective=True))
    member = network_member()
    client.force_login(member.user)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(
        f"/en/events/sessions/{session.pk}/register/", {"nomination_note": "My words", "letter": fake}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "My words" in html
    assert "its content is not a PDF file" in html and "PDF, PNG or JPEG" in html
    assert not Registration.objects.exists()
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n% letter\n", content_type="application/pdf")
    client.post(f"/en/events/sessions/{session.pk}/register/", {"letter": letter})
    registration = Registration.objects.get()
    assert registration.state == RegistrationState.PENDING and registration.letter_type == "application/pdf"
    assert client.get(f"/en/events/registrations/{registration.pk}/letter/").status_code == 200
    client.force_login(network_member().user)
    assert client.get(f"/en/events/registrations/{registration.pk}/letter/").status_code == 404
    client.force_login(organiser)
    assert client.get(f"/en/events/registrations/{registration.pk}/letter/").status_code == 200
    assert "Approve" in client.get(f"/en/events/manage/sessions/{session.pk}/").content.decode()
    client.post(f"/en/events/manage/registrations/{registration.pk}/decide/", {"decision": "approve"})
    registration.refresh_from_db()
    assert registration.state == RegistrationState.REGISTERED


def test_my_registrations_lists_the_next_sessions_first_and_pages_the_rest(client, index):
    now = timezone.now()
    page = make_course(
        index,
        title="Regional course",
        sessions=[
            {"label": f"Run {n:02d}", "start": now + datetime.timedelta(days=10 + n), "capacity": 5} for n in range(23)
        ]
        + [{"label": f"Old run {n}", "start": now - datetime.timedelta(days=30 + n)} for n in range(2)],
    )
    member = network_member()
    for session in page.sessions.order_by("starts_at"):
        if session.starts_at > now:
            services.register(actor=member.user, session=session)
        else:  # registration for a past session has closed: she registered at the time
            Registration.objects.create(session=session, user=member.user, state=RegistrationState.REGISTERED)
    client.force_login(member.user)
    html = client.get("/en/events/my/").content.decode()
    assert html.index("Run 00") < html.index("Run 01") < html.index("Run 19")
    assert "Run 20" not in html and "Page 1 of 2" in html
    # The past sessions have their own list, on the first page too.
    assert html.index("Run 19") < html.index("Past") < html.index("Old run 0") < html.index("Old run 1")
    html = client.get("/en/events/my/", {"page": 2}).content.decode()
    assert "Run 20" in html and "Run 22" in html and "Run 19" not in html and "Old run 0" in html
    response = client.get("/en/events/my/", {"page": "zzz", "past": "99"})
    assert response.status_code == 200 and "Run 00" in response.content.decode()


def test_index_shows_her_own_registration_on_the_sessions_listed(client, index):
    mine = first_session(make_course(index, title="Kigali course"))
    make_course(index, title="Manila course")
    member = network_member()
    services.register(actor=member.user, session=mine)
    client.force_login(member.user)
    html = client.get(index.url).content.decode()
    assert html.count("You:") == 1
    assert html.index("Kigali course") < html.index("You:")
