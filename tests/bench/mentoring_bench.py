"""Mentoring matching benchmark: score and optimally assign 5,000 mentees × 1,000 mentors (capacities 1–5) in
< 5 s and < 1.5 GB peak memory; a 500 × 200 cohort in < 0.5 s; one mentee's shortlist among 2,000 mentors in
< 100 ms including the database reads. Matched share and total score next to a greedy baseline.

Run it with `make bench` or `.venv/bin/python tests/bench/mentoring_bench.py`. Uses the database
peacekeepers_mentoring_bench on 127.0.0.1 (recreated each run), suffixed with the database name of
DATABASE_URL when one is set (so two checkouts benchmarking at once never drop each other's). Prints a
markdown table.
"""

from __future__ import annotations

import os
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))


def _database_name() -> str:
    # "…/pk_mentoring" → "peacekeepers_mentoring_bench_pk_mentoring"; no DATABASE_URL → the plain name.
    configured = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1].split("?", 1)[0]
    suffix = re.sub(r"[^a-z0-9_]", "_", configured.lower())[:30]
    return f"peacekeepers_mentoring_bench_{suffix}" if suffix else "peacekeepers_mentoring_bench"


DATABASE_NAME = _database_name()
MISSIONS = ["MINUSCA", "UNMISS", "MONUSCO", "UNIFIL", "MINUSMA", "UNMIK", ""]
LANGUAGES = ["en", "fr", "es", "ar", "pt", "sw"]


def random_person(rng: random.Random, pk: int, *, is_mentor: bool):
    from mentoring.matching import Person

    availability = 0
    for day in range(7):
        if rng.random() < 0.7:
            start = rng.randrange(0, 20)
            for hour in range(rng.randrange(2, 5)):
                availability |= 1 << (day * 24 + start + hour)
    return Person(
        id=pk,
        person=pk + (10**6 if is_mentor else 0),
        topics=frozenset(rng.sample(range(12), rng.randrange(1, 4))),
        languages=frozenset(rng.sample(LANGUAGES, rng.randrange(1, 3))),
        availability=availability,
        mission=rng.choice(MISSIONS),
        missions_served=frozenset(rng.sample(MISSIONS[:-1], rng.randrange(0, 3))) if is_mentor else frozenset(),
        reporting_line=rng.choice(["", "north", "south", "east", "west"]),
        contingent=rng.choice(["", "SN", "RW", "GH", "BD"]),
        years=rng.randrange(0, 30),
        capacity=rng.randrange(1, 6) if is_mentor else 1,
        vetted=rng.random() < 0.5,
        prefers_mission=rng.choice(["any", "same", "other"]),
        category=rng.choice(["active", "civilian", "honorary"]),
    )


def time_cohort(mentees: int, mentors: int, seed: int = 1) -> dict:
    from mentoring import matching

    rng = random.Random(seed)
    people = [random_person(rng, i, is_mentor=False) for i in range(mentees)]
    guides = [random_person(rng, i, is_mentor=True) for i in range(mentors)]
    rules = matching.Rules(min_overlap_hours=2, exclude_same_contingent=True, sensitive_topics=frozenset({0}))
    began = time.perf_counter()
    scored = matching.score_cohort(people, guides, rules)
    scored_at = time.perf_counter()
    optimal = matching.assign(scored)
    done = time.perf_counter()
    greedy = matching.greedy_assign(scored)
    return {
        "size": f"{mentees:,} × {mentors:,}",
        "score_s": scored_at - began,
        "assign_s": done - scored_at,
        "total_s": done - began,
        "optimal": optimal,
        "greedy": greedy,
        "mentees": mentees,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def configure_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        name = sql.Identifier(DATABASE_NAME)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"


def load_mentors(count: int):
    """2,000 mentors and one mentee in one programme, with bulk inserts."""
    from mentoring.choices import Role
    from mentoring.models import Enrolment, EnrolmentLanguage, Programme
    from network.models import ExpertiseArea, Language, Member, User

    rng = random.Random(3)
    programme = Programme.objects.create(title="Bench", slug="bench", is_evergreen=True)
    users = User.objects.bulk_create(User(email=f"bench{i}@example.org") for i in range(count + 1))
    members = Member.objects.bulk_create(Member(user=user, category="active") for user in users)
    areas = list(ExpertiseArea.objects.all())
    languages = {language.code: language for language in Language.objects.all()}
    enrolments = []
    for index, member in enumerate(members):
        person = random_person(rng, index, is_mentor=index > 0)
        enrolments.append(
            Enrolment(
                programme=programme,
                member=member,
                role=Role.MENTEE if index == 0 else Role.MENTOR,
                availability_utc=format(person.availability | (0xFFFF << 18), "x"),
                capacity=person.capacity,
                years_of_service=person.years,
                reporting_line=person.reporting_line,
            )
        )
    enrolments = Enrolment.objects.bulk_create(enrolments)
    through = Enrolment.topics.through
    through.objects.bulk_create(
        through(enrolment_id=e.pk, expertisearea_id=area.pk)
        for e in enrolments
        for area in rng.sample(areas, rng.randrange(1, 4))
    )
    EnrolmentLanguage.objects.bulk_create(
        EnrolmentLanguage(enrolment=e, language=languages[code], proficiency=3)
        for e in enrolments
        for code in rng.sample(["en", "fr", "es"], rng.randrange(1, 3))
    )
    return enrolments[0]


def time_shortlist(mentee, runs: int = 15, *, cold: bool = False) -> list[float]:
    """Each run as a request would: warm (the process has the programme's mentors cached, the usual case)
    or cold (something that matters changed just before: the mentors are read again)."""
    from mentoring import services

    timings = []
    for _ in range(runs):
        if cold:
            services.bump_matching_version(mentee.programme_id)
        began = time.perf_counter()
        services.refresh_shortlist(mentee)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for name in ("DJANGO_ENV", "ELASTICSEARCH_URL", "SQLITE_PATH"):
        os.environ.pop(name, None)
    large = None
    database = True
    try:
        configure_database()
    except Exception as error:  # noqa: BLE001 -- no PostgreSQL: the pure timings still run
        print(f"PostgreSQL not reachable ({error}); the shortlist line is skipped.", flush=True)
        database = False
    import django

    django.setup()
    small = time_cohort(500, 200)
    large = time_cohort(5000, 1000)
    shortlist_ms = None
    cold_ms: list[float] = []
    if database:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        mentee = load_mentors(2000)
        shortlist_ms = time_shortlist(mentee)
        cold_ms = time_shortlist(mentee, runs=5, cold=True)

    lines = [
        "# Mentoring matching benchmark",
        "",
        f"{os.cpu_count()} CPUs · random cohorts (seeded): 1–3 topics of 12, 1–2 languages of 6, 2–4 hours on ~5 days,"
        " capacities 1–5, conflicts by reporting line and contingent, sensitive topic needing vetting",
        "",
        "| cohort | score s | assign s | score+assign s | target s | peak RSS MB | optimal matched | optimal total score"
        " | greedy matched | greedy total score |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result, target in ((small, 0.5), (large, 5.0)):
        optimal, greedy = result["optimal"], result["greedy"]
        lines.append(
            f"| {result['size']} | {result['score_s']:.2f} | {result['assign_s']:.2f} | {result['total_s']:.2f} | "
            f"{target} | {result['peak_mb']:.0f} | {len(optimal.pairs) / result['mentees']:.1%} | "
            f"{optimal.total_score:.1f} | {len(greedy.pairs) / result['mentees']:.1%} | {greedy.total_score:.1f} |"
        )
    if shortlist_ms:
        lines += [
            "",
            "| shortlist for one mentee among 2,000 mentors, incl. database reads | p50 ms | max ms | target ms |",
            "| --- | ---: | ---: | ---: |",
            f"| PostgreSQL, {len(shortlist_ms)} runs (mentors cached in the process) | "
            f"{statistics.median(shortlist_ms):.0f} | {max(shortlist_ms):.0f} | 100 |",
            f"| PostgreSQL, {len(cold_ms)} runs right after a change (mentors read again) | "
            f"{statistics.median(cold_ms):.0f} | {max(cold_ms):.0f} | — |",
            "",
            f"load average {' / '.join(f'{value:.2f}' for value in os.getloadavg())}",
        ]
    print("\n".join(lines))
    ok = small["total_s"] < 0.5 and large["total_s"] < 5 and large["peak_mb"] < 1536
    ok = ok and (shortlist_ms is None or statistics.median(shortlist_ms) < 100)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
