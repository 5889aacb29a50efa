"""Attendance, the training record on the profile, certificates (page, PDF, QR) and their public check."""

import datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader

from events import services
from events.models import Registration
from network.choices import Visibility
from tests.factories.events import first_session, make_course, network_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(index, organiser):
    start = timezone.now() - datetime.timedelta(days=10)
    session = first_session(
        make_course(
            index,
            title="SGBV pilot Manila",
            organiser="UN Police Division",
            sessions=[{"start": start, "place": "Manila", "time_zone": "Asia/Manila"}],
        )
    )
    present = network_member(user__first_name="Amina", user__last_name="Diallo")
    absent = network_member()
    # Registered before the course began (the window has closed since).
    for member in (present, absent):
        Registration.objects.create(session=session, user=member.user, state="registered")
    return session, present, absent


def test_organiser_marks_attendance_in_bulk_and_certificates_are_issued(client, attended, organiser):
    session, present, absent = attended
    client.force_login(organiser)
    page = client.get(f"/en/events/manage/sessions/{session.pk}/").content.decode()
    assert "Amina Diallo" in page
    mine = Registration.objects.get(user=present.user)
    client.post(f"/en/events/manage/sessions/{session.pk}/attendance/", {"attended": [str(mine.pk)]})
    mine.refresh_from_db()
    other = Registration.objects.get(user=absent.user)
    assert mine.attended is True and mine.certificate_code
    assert other.attended is False and not other.certificate_code


def test_certificate_page_pdf_and_public_verification(client, attended, organiser):
    session, present, absent = attended
    registration = Registration.objects.get(user=present.user)
    services.mark_attendance(actor=organiser, session=session, attended_ids=[registration.pk])
    registration.refresh_from_db()
    code = registration.certificate_code

    client.force_login(present.user)
    html = client.get(f"/en/events/registrations/{registration.pk}/certificate/").content.decode()
    assert "Amina Diallo" in html and code in html and "data:image/svg+xml" in html
    pdf = client.get(f"/en/events/registrations/{registration.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    import io

    reader = PdfReader(io.BytesIO(pdf.content))
    text = reader.pages[0].extract_text()
    assert "Amina Diallo" in text and code in text and "SGBV pilot Manila" in text
    assert reader.pages[0].images  # the QR code

    # Someone else's certificate is not found; the absent member has none.
    client.force_login(absent.user)
    assert client.get(f"/en/events/registrations/{registration.pk}/certificate/").status_code == 404

    client.logout()
    verified = client.get(f"/en/events/verify/{code}/").content.decode()
    assert "This certificate is genuine" in verified and "Amina Diallo" in verified and "SGBV pilot Manila" in verified
    assert present.user.email not in verified
    forged = client.get("/en/events/verify/ABCDEF123456/")
    assert forged.status_code == 404 and "No certificate has this code" in forged.content.decode()


def test_training_record_on_the_profile_follows_its_own_visibility(client, attended, organiser):
    session, present, absent = attended
    services.mark_attendance(
        actor=organiser, session=session, attended_ids=[Registration.objects.get(user=present.user).pk]
    )
    client.force_login(present.user)
    assert "Training record" in client.get("/en/members/me/").content.decode()
    present.visibility = {"country": Visibility.NETWORK}
    present.save()
    client.force_login(absent.user)
    html = client.get(f"/en/members/{present.public_id}/").content.decode()
    assert "Training record" not in html
    present.visibility = {"country": Visibility.NETWORK, "training_record": Visibility.NETWORK}
    present.save()
    html = client.get(f"/en/members/{present.public_id}/").content.decode()
    assert "Training record" in html and "SGBV pilot Manila" in html


def test_profile_form_saves_time_zone_and_refuses_an_unknown_one(client):
    member = network_member()
    client.force_login(member.user)
    form = client.get("/en/members/me/edit/").content.decode()
    assert 'name="time_zone"' in form and 'name="visibility_training_record"' in form
    data = {
        "first_name": "Ana",
        "last_name": "Lopez",
        "time_zone": "Mars/Olympus",
        "missions-TOTAL_FORMS": "0",
        "missions-INITIAL_FORMS": "0",
        **{
            f"visibility_{f}": "private"
            for f in (
                "country",
                "police_service",
                "rank",
                "missions",
                "languages",
                "expertise",
                "bio",
                "photo",
                "training_record",
            )
        },
    }
    response = client.post("/en/members/me/edit/", data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert 'value="Ana"' in response.content.decode()  # what she typed is kept
    member.user.refresh_from_db()
    assert member.user.time_zone == ""
    data["time_zone"] = "America/Santiago"
    data["visibility_training_record"] = "network"
    client.post("/en/members/me/edit/", data)
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.user.time_zone == "America/Santiago"
    assert member.visibility["training_record"] == "network"


def test_attendance_in_the_wagtail_admin(client, attended, organiser):
    session, present, absent = attended
    client.force_login(organiser)
    html = client.get(f"/admin/event-sessions/{session.pk}/attendance/").content.decode()
    assert "Amina Diallo" in html
    mine = Registration.objects.get(user=present.user)
    back = f"/admin/event-sessions/{session.pk}/attendance/"
    response = client.post(
        f"/en/events/manage/sessions/{session.pk}/attendance/", {"attended": [str(mine.pk)], "next": back}
    )
    assert response["Location"] == back
    mine.refresh_from_db()
    assert mine.attended is True
    client.force_login(absent.user)
    assert client.get(f"/admin/event-sessions/{session.pk}/attendance/").status_code == 302
