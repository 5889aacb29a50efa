"""Translating or copying a course in the Wagtail admin makes a page without sessions: a session's seats,
registrations and calendar identity belong to one page, and copying them would fail on its unique UID."""

import pytest

from events.models import Session
from tests.factories.cms import translate
from tests.factories.events import first_session, make_course

pytestmark = pytest.mark.django_db


def test_a_course_translated_for_the_french_site_starts_without_sessions(index):
    course = make_course(index, title="SGBV investigation course")
    session = first_session(course)
    translate(index, "fr", title="Formations et événements")

    french = translate(course, "fr", title="Cours sur les enquêtes VSBG")

    assert french.locale.language_code == "fr" and french.translation_key == course.translation_key
    assert not Session.objects.filter(page=french).exists()
    assert list(Session.objects.filter(page=course)) == [session]


def test_copying_a_course_in_the_admin_works_and_keeps_the_sessions_on_the_original(admin_client, index):
    course = make_course(index, title="Community policing course")
    session = first_session(course)

    response = admin_client.post(
        f"/admin/pages/{course.pk}/copy/",
        {
            "new_title": "Community policing course 2012",
            "new_slug": "community-policing-2012",
            "new_parent_page": index.pk,
            "publish_copies": "on",
        },
    )

    assert response.status_code == 302 and "/login" not in response["Location"]
    copy = index.get_children().get(slug="community-policing-2012").specific
    assert copy.live and not Session.objects.filter(page=copy).exists()
    assert list(Session.objects.filter(page=course)) == [session]
