"""Reads for the mentoring views and services: enrolments as the matching engine sees them, lists, reports."""

import time
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentoring import matching
from mentoring.choices import EnrolmentState, MentorshipState, PairRuleKind, Role, WeightLevel
from mentoring.models import Enrolment, EnrolmentLanguage, MatchRun, Meeting, Mentorship, PairRule, Programme
from network.models import MissionService

# A mentor's places are taken by accepted and active mentorships.
HOLDING_STATES = (MentorshipState.ACCEPTED, MentorshipState.ACTIVE)
OPEN_STATES = (MentorshipState.REQUESTED, MentorshipState.ACCEPTED, MentorshipState.ACTIVE)
WEIGHTS = {
    WeightLevel.MUST: matching.Weight.MUST,
    WeightLevel.HIGH: matching.Weight.HIGH,
    WeightLevel.MEDIUM: matching.Weight.MEDIUM,
    WeightLevel.LOW: matching.Weight.LOW,
    WeightLevel.OFF: matching.Weight.OFF,
}


def list_programmes() -> QuerySet[Programme]:
    return Programme.objects.order_by("title")


def get_programme(slug: str) -> Programme | None:
    return Programme.objects.filter(slug=slug).first()


def enrolments_of(member, programme: Programme | None = None) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(member=member, state=EnrolmentState.OPEN)
    return enrolments.filter(programme=programme) if programme else enrolments


def get_enrolment(member, programme: Programme, role: str) -> Enrolment | None:
    return Enrolment.objects.filter(member=member, programme=programme, role=role).first()


def mentorships_of(user) -> QuerySet[Mentorship]:
    return (
        Mentorship.objects.filter(Q(mentee__member__user=user) | Q(mentor__member__user=user))
        .select_related("programme", "mentee__member__user", "mentor__member__user")
        .order_by("-requested_at", "-pk")
    )


def get_mentorship(pk: int) -> Mentorship | None:
    return (
        Mentorship.objects.select_related("programme", "mentee__member__user", "mentor__member__user")
        .filter(pk=pk)
        .first()
    )


def list_meetings(mentorship: Mentorship) -> QuerySet[Meeting]:
    return mentorship.meetings.order_by("-starts_at")


def programme_rules(programme: Programme, *, mentee_ids=None) -> matching.Rules:
    weights = {
        "topic": WEIGHTS[programme.weight_topic],
        "availability": WEIGHTS[programme.weight_availability],
        "experience": WEIGHTS[programme.weight_experience],
        "seniority": WEIGHTS[programme.weight_seniority],
        "preferences": WEIGHTS[programme.weight_preferences],
    }
    previous = Mentorship.objects.filter(programme=programme)
    if mentee_ids is not None:
        previous = previous.filter(mentee_id__in=mentee_ids)
    rules = PairRule.objects.filter(programme=programme)
    if mentee_ids is not None:
        rules = rules.filter(mentee_id__in=mentee_ids)
    decided: dict[str, set] = {PairRuleKind.BAN: set(), PairRuleKind.LOCK: set()}
    for kind, mentee_id, mentor_id in rules.values_list("kind", "mentee_id", "mentor_id"):
        decided.setdefault(kind, set()).add((mentee_id, mentor_id))
    return matching.Rules(
        weights=weights,
        min_overlap_hours=programme.min_overlap_hours,
        exclude_same_contingent=programme.exclude_same_contingent,
        sensitive_topics=frozenset(programme.sensitive_topics.values_list("pk", flat=True)),
        previous_pairs=frozenset(previous.values_list("mentee_id", "mentor_id")),
        banned_pairs=frozenset(decided[PairRuleKind.BAN]),
        locked_pairs=frozenset(decided[PairRuleKind.LOCK]),
    )


def open_enrolments(programme: Programme, role: str) -> QuerySet[Enrolment]:
    today = timezone.localdate()
    return (
        Enrolment.objects.filter(programme=programme, role=role, state=EnrolmentState.OPEN)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .filter(member__user__is_active=True)
        .order_by("pk")
    )


def unmatched_mentees(programme: Programme) -> QuerySet[Enrolment]:
    """Open mentee enrolments without an open request or mentorship in the programme."""
    busy = Mentorship.objects.filter(programme=programme, state__in=OPEN_STATES).values("mentee_id")
    return open_enrolments(programme, Role.MENTEE).exclude(pk__in=busy)


# Each process keeps the open mentors of the programmes it served last, as the matching engine sees them:
# {programme pk: ((created_at, matching_version, min_proficiency, today), loaded at, people)}. A shortlist then
# reads one row (the programme's token) instead of five queries over every mentor. The token changes with
# every write that matters (services.bump_matching_version); the date is in the key because mentors whose
# `available_until` has passed drop out at midnight; the age limit bounds what a change made outside the
# services (a bulk update in a shell) could leave stale.
MENTOR_CACHE_SECONDS = 600
MENTOR_CACHE_PROGRAMMES = 32
_mentor_cache: dict[int, tuple[tuple, float, list[matching.Person]]] = {}


def open_mentors_as_people(programme: Programme) -> list[matching.Person]:
    """The programme's open mentors as matching.Person (capacities net of the places taken), cached per
    process under the programme's matching token; a new list each call (the Person objects are frozen)."""
    row = Programme.objects.filter(pk=programme.pk).values_list("created_at", "matching_version", "min_proficiency")
    row = row.first()
    if row is None:
        return []
    key = (*row, timezone.localdate())
    cached = _mentor_cache.get(programme.pk)
    now = time.monotonic()
    if cached is not None and cached[0] == key and now - cached[1] < MENTOR_CACHE_SECONDS:
        return list(cached[2])
    # Read after the token: a change committed in between shows in these rows and bumps the token again, so
    # what is stored is never older than its key.
    people = as_people(open_enrolments(programme, Role.MENTOR), programme, min_proficiency=row[2])
    if len(_mentor_cache) >= MENTOR_CACHE_PROGRAMMES and programme.pk not in _mentor_cache:
        _mentor_cache.pop(next(iter(_mentor_cache)))
    _mentor_cache[programme.pk] = (key, now, people)
    return list(people)


def forget_cached_mentors() -> None:
    """Empty this process's mentor cache (tests; a shell after a bulk change)."""
    _mentor_cache.clear()


def as_people(enrolments, programme: Programme, *, min_proficiency: int | None = None) -> list[matching.Person]:
    """Enrolments → matching.Person, in five plain queries whatever their number (values, not model
    instances: a shortlist reads 2,000 mentors within a request)."""
    if min_proficiency is None:
        min_proficiency = programme.min_proficiency
    rows = list(
        enrolments.values_list(
            "pk",
            "member_id",
            "role",
            "availability_utc",
            "mission__acronym",
            "duty_station",
            "reporting_line",
            "contingent",
            "years_of_service",
            "capacity",
            "vetted_at",
            "prefers_mission",
            "prefers_language__code",
            "member__category",
            "member__country",
        )
    )
    # Subqueries rather than lists of 2,000 ids: PostgreSQL plans them as joins.
    ids = enrolments.order_by().values("pk")
    topics = defaultdict(set)
    for enrolment_id, area_id in Enrolment.topics.through.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "expertisearea_id"
    ):
        topics[enrolment_id].add(area_id)
    languages = defaultdict(set)
    for enrolment_id, code in EnrolmentLanguage.objects.filter(
        enrolment_id__in=ids, proficiency__gte=min_proficiency
    ).values_list("enrolment_id", "language__code"):
        languages[enrolment_id].add(code)
    served = defaultdict(set)
    for member_id, acronym in MissionService.objects.filter(
        member_id__in=enrolments.order_by().values("member_id")
    ).values_list("member_id", "mission__acronym"):
        served[member_id].add(acronym)
    held = {}
    if any(row[2] == Role.MENTOR for row in rows):  # a mentee's places are not counted
        mentor_ids = enrolments.order_by().filter(role=Role.MENTOR).values("pk")
        held = dict(
            Mentorship.objects.filter(mentor_id__in=mentor_ids, state__in=HOLDING_STATES)
            .values("mentor_id")
            .annotate(n=Count("pk"))
            .values_list("mentor_id", "n")
        )
    people = []
    for (
        pk,
        member_id,
        role,
        availability,
        acronym,
        station,
        line,
        contingent,
        years,
        capacity,
        vetted_at,
        prefers_mission,
        prefers_language,
        category,
        country,
    ) in rows:
        people.append(
            matching.Person(
                id=pk,
                person=member_id,
                topics=frozenset(topics[pk]),
                languages=frozenset(languages[pk]),
                availability=int(availability or "0", 16),
                mission=acronym or station,
                missions_served=frozenset(served[member_id]),
                reporting_line=line,
                contingent=contingent,
                years=years,
                capacity=capacity - held.get(pk, 0) if role == Role.MENTOR else 1,
                vetted=vetted_at is not None,
                prefers_mission=prefers_mission,
                prefers_language=prefers_language or "",
                category=category,
                region=country or "",
            )
        )
    return people


def advertised_top_counts(programme: Programme) -> dict[int, int]:
    """{mentor enrolment id: how many unmatched mentees see her at the top of their shortlist}."""
    rows = (
        unmatched_mentees(programme)
        .filter(top_suggestion__isnull=False)
        .values("top_suggestion_id")
        .annotate(n=Count("pk"))
        .values_list("top_suggestion_id", "n")
    )
    return dict(rows)


def topic_names(programme: Programme | None = None) -> dict[int, str]:
    from network.models import ExpertiseArea

    return {area.pk: str(area) for area in ExpertiseArea.objects.all()}


def latest_run(programme: Programme) -> MatchRun | None:
    return programme.runs.first()


def run_proposals(run: MatchRun):
    return run.proposals.select_related("mentee__member__user", "mentor__member__user").order_by("mentee_id")


def pair_rules(programme: Programme) -> QuerySet[PairRule]:
    return programme.pair_rules.select_related("mentee__member__user", "mentor__member__user")


def list_enrolments_for_coordinators(programme: Programme) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(programme=programme)
        .select_related("member__user", "mission")
        .prefetch_related("topics")
        .order_by("role", "pk")
    )
