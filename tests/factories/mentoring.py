"""Mentoring set-up for tests: programmes and enrolments made through the services, as members would."""

import itertools

from mentoring import matching, services
from mentoring.choices import Proficiency, Role
from mentoring.models import Enrolment, Programme
from network.choices import MemberCategory
from network.models import ExpertiseArea, Language, Mission
from tests.factories.forums import network_member

_slugs = itertools.count(1)
# Monday to Friday, 18:00–21:00 in the member's time zone.
EVENINGS = [(day, hour) for day in range(5) for hour in (18, 19, 20)]


def make_programme(**kwargs) -> Programme:
    kwargs.setdefault("slug", f"programme-{next(_slugs)}")
    kwargs.setdefault("title", "Leadership in peace operations")
    kwargs.setdefault("is_evergreen", True)
    return Programme.objects.create(**kwargs)


def area(slug: str = "leadership") -> ExpertiseArea:
    return ExpertiseArea.objects.get(slug=slug)


def enrolment_data(
    *,
    topics=("leadership",),
    languages=(("fr", Proficiency.FLUENT),),
    hours=EVENINGS,  # [(weekday, hour)], turned into the ranges a member would type
    time_zone="UTC",
    capacity=1,
    mission=None,
    **extra,
) -> dict:
    return {
        "topics": [area(slug) for slug in topics],
        "languages": [(Language.objects.get(code=code), level) for code, level in languages],
        "weekly_ranges": matching.local_hours_to_ranges(hours),
        "time_zone": time_zone,
        "capacity": capacity,
        "mission": Mission.objects.get(acronym=mission) if mission else None,
        **extra,
    }


def enrol(member, programme: Programme, role: str, **kwargs) -> Enrolment:
    return services.enrol(actor=member.user, programme=programme, role=role, data=enrolment_data(**kwargs))


def mentor(programme: Programme, category=MemberCategory.HONORARY, member_kwargs=None, **kwargs) -> Enrolment:
    return enrol(network_member(category, **(member_kwargs or {})), programme, Role.MENTOR, **kwargs)


def mentee(programme: Programme, category=MemberCategory.ACTIVE, member_kwargs=None, **kwargs) -> Enrolment:
    return enrol(network_member(category, **(member_kwargs or {})), programme, Role.MENTEE, **kwargs)


def requested(programme: Programme | None = None, **kwargs):
    """A request from a new mentee to a new mentor, both speaking French in the evenings."""
    programme = programme or make_programme()
    pupil, guide = mentee(programme), mentor(programme, **kwargs)
    return services.request_mentor(actor=pupil.member.user, mentee=pupil, mentor=guide)


def active(programme: Programme | None = None):
    mentorship = requested(programme)
    services.accept_request(mentorship, actor=mentorship.mentor.member.user)
    return services.set_goals(mentorship, actor=mentorship.mentee.member.user, goals="Prepare my first deployment.")
