"""The shortlist reads the programme's mentors from a per-process cache keyed by the programme's matching
token: every change that matters shows in the very next shortlist."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring import queries, services
from mentoring.choices import PairRuleKind
from mentoring.models import Enrolment
from network.choices import StaffRole
from network.models import Mission, MissionService
from tests.factories.mentoring import make_programme, mentee, mentor
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    queries.forget_cached_mentors()
    yield
    queries.forget_cached_mentors()


def shortlisted(pupil) -> list[int]:
    return [entry["mentor"] for entry in services.refresh_shortlist(pupil)]


def test_second_shortlist_reads_the_mentors_from_the_cache():
    programme = make_programme()
    pupil = mentee(programme)
    for _ in range(3):
        mentor(programme)
    first = shortlisted(pupil)
    with CaptureQueriesContext(connection) as second:
        assert shortlisted(pupil) == first
    language_reads = [q for q in second.captured_queries if 'FROM "mentoring_enrolmentlanguage"' in q["sql"]]
    assert len(language_reads) == 1  # the mentee's languages, read each time; the mentors' came from the cache


def test_new_mentor_shows_in_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme)
    first = mentor(programme)
    assert shortlisted(pupil) == [first.pk]
    second = mentor(programme, topics=("leadership", "training"))
    assert set(shortlisted(pupil)) == {first.pk, second.pk}


def test_withdrawn_mentor_leaves_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme)
    guide = mentor(programme)
    assert shortlisted(pupil) == [guide.pk]
    services.withdraw_enrolment(guide, actor=guide.member.user)
    assert shortlisted(pupil) == []


def test_changed_enrolment_shows_in_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme)
    guide = mentor(programme)
    assert shortlisted(pupil) == [guide.pk]
    # She now works in English only, which the mentee does not speak.
    services.enrol(
        actor=guide.member.user,
        programme=programme,
        role="mentor",
        data={**_data_of(guide), "languages": [(_language("en"), 3)]},
    )
    assert shortlisted(pupil) == []


def test_vetting_shows_in_the_next_shortlist():
    from network.models import ExpertiseArea

    programme = make_programme()
    programme.sensitive_topics.add(ExpertiseArea.objects.get(slug="leadership"))
    pupil = mentee(programme)
    guide = mentor(programme)
    assert shortlisted(pupil) == []  # not vetted for the sensitive topic
    services.vet_mentor(guide, actor=make_staff(StaffRole.MENTORING_COORDINATOR))
    assert shortlisted(pupil) == [guide.pk]


def test_place_taken_and_freed_shows_in_the_next_shortlist():
    programme = make_programme()
    first_pupil, second_pupil = mentee(programme), mentee(programme)
    guide = mentor(programme, capacity=1)
    assert shortlisted(second_pupil) == [guide.pk]
    mentorship = services.request_mentor(actor=first_pupil.member.user, mentee=first_pupil, mentor=guide)
    services.accept_request(mentorship, actor=guide.member.user)
    assert shortlisted(second_pupil) == []  # her only place is taken
    services.close_mentorship(mentorship, actor=guide.member.user, reason="completed")
    assert shortlisted(second_pupil) == [guide.pk]


def test_ban_shows_in_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme)
    guide = mentor(programme)
    assert shortlisted(pupil) == [guide.pk]
    services.set_pair_rule(
        actor=make_staff(StaffRole.MENTORING_COORDINATOR),
        programme=programme,
        mentee=pupil,
        mentor=guide,
        kind=PairRuleKind.BAN,
    )
    assert shortlisted(pupil) == []


def test_deactivated_account_leaves_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme)
    guide = mentor(programme)
    assert shortlisted(pupil) == [guide.pk]
    user = guide.member.user
    user.is_active = False
    user.save()
    assert shortlisted(pupil) == []


def test_mission_served_shows_in_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme, mission="MINUSCA")
    guide = mentor(programme)
    before = services.refresh_shortlist(pupil)[0]["parts"]
    assert "experience" not in {part["component"] for part in before}
    MissionService.objects.create(member=guide.member, mission=Mission.objects.get(acronym="MINUSCA"), start_year=2019)
    after = services.refresh_shortlist(pupil)[0]["parts"]
    assert "experience" in {part["component"] for part in after}


def test_stricter_language_level_shows_in_the_next_shortlist():
    programme = make_programme()
    pupil = mentee(programme, languages=(("fr", 2),))
    guide = mentor(programme, languages=(("fr", 2),))
    assert shortlisted(pupil) == [guide.pk]
    programme.min_proficiency = 3
    programme.save()
    assert shortlisted(pupil) == []


def test_mentor_whose_availability_ended_leaves_the_shortlist_the_next_day():
    programme = make_programme()
    pupil = mentee(programme)
    guide = mentor(programme, available_until=timezone.localdate() + datetime.timedelta(days=1))
    assert shortlisted(pupil) == [guide.pk]
    # Two days later, nothing was written, yet she is no longer available.
    later = timezone.now() + datetime.timedelta(days=2)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        assert shortlisted(pupil) == []


def _language(code):
    from network.models import Language

    return Language.objects.get(code=code)


def _data_of(enrolment: Enrolment) -> dict:
    return {
        "topics": list(enrolment.topics.all()),
        "languages": [(row.language, row.proficiency) for row in enrolment.languages.all()],
        "weekly_ranges": [tuple(item) for item in enrolment.weekly_ranges],
        "time_zone": enrolment.time_zone,
        "capacity": enrolment.capacity,
    }
