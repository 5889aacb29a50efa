"""Coordinators create and edit mentoring programmes in the Wagtail admin; nobody else opens it."""

import pytest
from django.urls import reverse

from mentoring import queries
from mentoring.choices import MatchingMode
from mentoring.models import Programme
from network.choices import AuditAction, MemberCategory, StaffRole
from network.models import AuditEntry, ExpertiseArea
from tests.factories.forums import network_member
from tests.factories.mentoring import make_programme, mentee, mentor
from tests.factories.staff import make_staff

pytestmark = pytest.mark.django_db


def programme_form(**overrides) -> dict:
    data = {
        "title": "SGBV investigation",
        "slug": "sgbv-investigation",
        "description": "Interviewing survivors, with a vetted mentor.",
        "is_evergreen": "",
        "enrolment_opens_on": "2027-01-10",
        "enrolment_closes_on": "2027-02-10",
        "matching_mode": MatchingMode.BATCH,
        "accept_deadline_days": "7",
        "expected_duration_months": "9",
        "weight_topic": "must",
        "weight_availability": "high",
        "weight_experience": "medium",
        "weight_seniority": "low",
        "weight_preferences": "off",
        "min_overlap_hours": "3",
        "min_proficiency": "2",
        "exclude_same_contingent": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_programme_with_its_window_weights_and_coordinators(client):
    coordinator = make_staff(StaffRole.MENTORING_COORDINATOR, first_name="Aminata", last_name="Diallo")
    colleague = make_staff(StaffRole.MENTORING_COORDINATOR)
    sgbv = ExpertiseArea.objects.first()
    client.force_login(coordinator)
    response = client.post(
        reverse("mentoring_programmes:add"),
        programme_form(coordinators=[coordinator.pk, colleague.pk], sensitive_topics=[sgbv.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(slug="sgbv-investigation")
    assert programme.matching_mode == MatchingMode.BATCH
    assert programme.accept_deadline_days == 7
    assert programme.expected_duration_months == 9
    assert programme.weight_topic == "must"
    assert str(programme.enrolment_closes_on) == "2027-02-10"
    assert set(programme.coordinators.all()) == {coordinator, colleague}
    assert list(programme.sensitive_topics.all()) == [sgbv]
    index = client.get(reverse("mentoring_programmes:index"))
    assert "SGBV investigation" in index.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.MENTORING_PROGRAMME_SAVED)
    assert entry.actor == coordinator and entry.reason == "created"


def test_only_role_holders_are_offered_as_coordinators(client):
    coordinator = make_staff(StaffRole.MENTORING_COORDINATOR)
    editor = make_staff(StaffRole.EDITOR, email="editor-not-coordinator@example.org")
    client.force_login(coordinator)
    page = client.get(reverse("mentoring_programmes:add")).content.decode()
    assert coordinator.email in page
    assert "editor-not-coordinator@example.org" not in page
    response = client.post(reverse("mentoring_programmes:add"), programme_form(coordinators=[editor.pk]))
    assert response.status_code == 200
    assert not Programme.objects.filter(slug="sgbv-investigation").exists()


def test_window_closing_before_it_opens_is_refused_and_keeps_what_was_typed(client):
    client.force_login(make_staff(StaffRole.MENTORING_COORDINATOR))
    response = client.post(
        reverse("mentoring_programmes:add"), programme_form(enrolment_closes_on="2027-01-01", accept_deadline_days="0")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enrolment cannot close before it opens." in page
    assert "Interviewing survivors, with a vetted mentor." in page
    assert not Programme.objects.exists()


def test_programme_without_window_must_be_evergreen(client):
    client.force_login(make_staff(StaffRole.MENTORING_COORDINATOR))
    response = client.post(
        reverse("mentoring_programmes:add"), programme_form(enrolment_opens_on="", enrolment_closes_on="")
    )
    assert response.status_code == 200
    assert "evergreen" in response.content.decode()
    response = client.post(
        reverse("mentoring_programmes:add"),
        programme_form(enrolment_opens_on="", enrolment_closes_on="", is_evergreen="on"),
    )
    assert response.status_code == 302
    assert Programme.objects.get(slug="sgbv-investigation").enrolment_is_open()


def test_edited_rule_shows_in_the_next_shortlist(client):
    programme = make_programme()
    pupil = mentee(programme, languages=(("fr", 2),))
    guide = mentor(programme, languages=(("fr", 2),))
    from mentoring import services

    queries.forget_cached_mentors()
    assert [entry["mentor"] for entry in services.refresh_shortlist(pupil)] == [guide.pk]
    client.force_login(make_staff(StaffRole.ADMINISTRATOR))
    area = ExpertiseArea.objects.get(slug="leadership")
    data = programme_form(
        title=programme.title, slug=programme.slug, is_evergreen="on", weight_topic="high", sensitive_topics=[area.pk]
    )
    response = client.post(reverse("mentoring_programmes:edit", args=[programme.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    pupil.refresh_from_db()
    # Leadership is now a sensitive topic and the mentor is not vetted: she is no longer suggested.
    assert services.refresh_shortlist(pupil) == []


@pytest.mark.parametrize("role", [StaffRole.EDITOR, StaffRole.MODERATOR, StaffRole.TRAINING_ORGANISER])
def test_other_staff_cannot_open_or_change_programmes(client, role):
    programme = make_programme()
    client.force_login(make_staff(role))
    for url in (
        reverse("mentoring_programmes:index"),
        reverse("mentoring_programmes:add"),
        reverse("mentoring_programmes:edit", args=[programme.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/", url
    response = client.post(reverse("mentoring_programmes:add"), programme_form())
    assert not Programme.objects.filter(slug="sgbv-investigation").exists()


def test_members_are_sent_to_the_login(client):
    client.force_login(network_member(MemberCategory.HONORARY).user)
    response = client.get(reverse("mentoring_programmes:index"))
    assert response.status_code == 302
    assert "login" in response.url


def test_menu_shows_programmes_to_coordinators_only(client):
    client.force_login(make_staff(StaffRole.MENTORING_COORDINATOR))
    assert reverse("mentoring_programmes:index") in client.get("/admin/").content.decode()
    client.force_login(make_staff(StaffRole.EDITOR))
    assert reverse("mentoring_programmes:index") not in client.get("/admin/").content.decode()
