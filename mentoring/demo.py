"""Demo mentoring programme for `make run`: the demo members as mentors and mentees, one active pair.
Written through the services, as members would; safe to run again."""

from django.utils import timezone

from mentoring import services
from mentoring.choices import MatchingMode, Proficiency, Role
from mentoring.models import Programme
from network.demo import register_demo
from network.models import ExpertiseArea, Language, Member

EVENINGS = [(day, 17, 21) for day in range(5)]  # Monday to Friday, 17:00–21:00


def _member(email: str) -> Member | None:
    return Member.objects.select_related("user").filter(user__email=email).first()


def _data(topics, languages, **extra) -> dict:
    return {
        "topics": list(ExpertiseArea.objects.filter(slug__in=topics)),
        "languages": [(Language.objects.get(code=code), Proficiency.FLUENT) for code in languages],
        "weekly_ranges": EVENINGS,
        "time_zone": extra.pop("time_zone", "UTC"),
        "capacity": extra.pop("capacity", 2),
        **extra,
    }


@register_demo(order=50)
def seed_mentoring_demo() -> None:
    if Programme.objects.filter(slug="leadership-in-peace-operations").exists():
        return
    programme = Programme.objects.create(
        title="Leadership in peace operations",
        slug="leadership-in-peace-operations",
        description="Experienced officers accompany colleagues preparing for command roles in UN missions, "
        "for about six months, in English or French.",
        matching_mode=MatchingMode.SHORTLIST,
        is_evergreen=True,
    )
    Programme.objects.create(
        title="SGBV investigation",
        slug="sgbv-investigation",
        description="Mentoring on investigating sexual and gender-based violence. Mentors are vetted by the "
        "coordinators.",
        matching_mode=MatchingMode.BATCH,
        is_evergreen=True,
    ).sensitive_topics.set(ExpertiseArea.objects.filter(slug="sgbv-investigation"))
    ingrid, grace = _member("ingrid.larsen@example.org"), _member("grace.uwase@example.org")
    amina, maria = _member("amina.diallo@example.org"), _member("maria.santos@example.org")
    if not (ingrid and grace and amina and maria):
        return
    lead = services.enrol(
        actor=ingrid.user,
        programme=programme,
        role=Role.MENTOR,
        data=_data(["leadership", "mentoring"], ["en", "fr"], time_zone="Europe/Oslo", years_of_service=30),
    )
    services.enrol(
        actor=grace.user,
        programme=programme,
        role=Role.MENTOR,
        data=_data(["leadership", "formed-police-units"], ["en", "fr"], time_zone="Africa/Kigali", years_of_service=18),
    )
    pupil = services.enrol(
        actor=amina.user,
        programme=programme,
        role=Role.MENTEE,
        data=_data(["leadership"], ["fr", "en"], time_zone="Africa/Bangui", years_of_service=9),
    )
    services.enrol(
        actor=maria.user,
        programme=programme,
        role=Role.MENTEE,
        data=_data(["leadership", "training"], ["en"], time_zone="Asia/Manila", years_of_service=12),
    )
    mentorship = services.request_mentor(actor=amina.user, mentee=pupil, mentor=lead, message="Bonjour Ingrid !")
    services.accept_request(mentorship, actor=ingrid.user)
    services.set_goals(mentorship, actor=amina.user, goals="Prepare to lead a mixed unit in my next deployment.")
    services.log_meeting(mentorship, actor=ingrid.user, starts_at=timezone.now(), duration_minutes=45)
