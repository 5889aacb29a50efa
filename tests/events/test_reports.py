"""The organisers' reports (charts, tables, CSV) and the campaign metric "training participants"."""

import datetime

import pytest
from django.utils import timezone

from campaigns.metrics import get_metric
from events import services
from events.models import Registration
from network.choices import MemberCategory
from tests.factories import MemberFactory
from tests.factories.events import first_session, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session(index, organiser):
    start = timezone.now() - datetime.timedelta(days=20)
    session = first_session(make_course(index, title="Santiago pilot", sessions=[{"start": start, "capacity": 3}]))
    people = [
        MemberFactory(category=MemberCategory.ACTIVE, country="CL"),
        MemberFactory(category=MemberCategory.ACTIVE, country="CL"),
        MemberFactory(category=MemberCategory.CIVILIAN, country="RW"),
    ]
    rows = [Registration.objects.create(session=session, user=p.user, state="registered") for p in people]
    services.mark_attendance(actor=organiser, session=session, attended_ids=[rows[0].pk, rows[2].pk])
    return session


def test_reports_page_shows_counts_charts_and_csv(client, past_session, organiser):
    client.force_login(organiser)
    html = client.get("/en/events/manage/reports/").content.decode()
    assert "Santiago pilot" in html and "<svg" in html
    assert "Participants by country" in html and "Chile" in html and "Rwanda" in html
    assert "attendance rate 67 %" in html
    csv_text = client.get("/en/events/manage/reports.csv").content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Course or event,") and "Santiago pilot" in lines[1] and lines[1].endswith(",2,67 %")
    bad = client.get("/en/events/manage/reports/", {"since": "not-a-date"})
    assert bad.status_code == 200


def test_members_may_not_open_the_reports(client, past_session):
    client.force_login(MemberFactory(category=MemberCategory.ACTIVE).user)
    assert client.get("/en/events/manage/reports/").status_code == 403
    assert client.get("/en/events/manage/reports.csv").status_code == 403


def test_training_participants_metric_counts_attendees_by_day(past_session):
    metric = get_metric("training_participants")
    assert metric.value_on(timezone.localdate()).value == 2
    assert metric.value_on(timezone.localdate() - datetime.timedelta(days=30)).value == 0
