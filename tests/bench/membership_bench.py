"""Membership benchmark: CSV import of 5,000 members and the members' directory with 20,000 members.

Run it from the project root with `.venv/bin/python tests/bench/membership_bench.py`. It needs PostgreSQL on
127.0.0.1:5432 (user postgres, trust authentication) and Redis on 127.0.0.1:6379; it takes two to four
minutes on two cores.

What it does, in this one process (Django's test Client, no web server):
1. drops and recreates the database `peacekeepers_membership_bench`, empties Redis database 9 (cache and
   sessions, as in production), runs `migrate` and `seed_demo`;
2. (a) writes a CSV file of 5,000 members (every column, varied values) and runs the import services directly,
   as the Celery tasks would: upload (parse and store), check (the dry run) and import (one transaction), each
   timed; then verifies that 5,000 members exist;
3. (b) creates 20,000 more members with bulk_create, sharing their fields with the network or with all
   members (some fields private), with varied countries, languages, areas of expertise and missions (about 5 %
   lapsed, some observers and hidden current deployments), and runs VACUUM ANALYZE, as autovacuum would after
   such a load;
4. signs in an active member and requests the directory (`network:directory`) with two filters — country +
   language, and name + category — plus mission + expertise, at 10, 25 (the default) and 100 members per page:
   20 warm-up requests, then 200 timed requests each, and one more request counting the SQL queries.

It prints a table and writes it to `bench-results/membership.md` with the targets of the issue: import of
5,000 members under 30 s, directory p95 under 100 ms as the directory opens (25 per page; 10 and 100 are shown
for comparison) and the same number of queries at every page size.
Missing targets do not fail the run (it is a measurement, not a test); a broken setup or a page that does not
answer 200 with the expected number of entries does.
"""

from __future__ import annotations

import datetime
import importlib
import io
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = PROJECT_ROOT / "bench-results" / "membership.md"
DATABASE_NAME = "peacekeepers_membership_bench"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/9"

IMPORT_ROWS = 5_000
DIRECTORY_MEMBERS = 20_000
WARMUP_REQUESTS = 20
TIMED_REQUESTS = 200
DEFAULT_PAGE_SIZE = 25  # the page size the directory opens with, which the target applies to
PAGE_SIZES = (10, DEFAULT_PAGE_SIZE, 100)
BATCH = 2_000
SEED = 2014

IMPORT_TARGET_SECONDS = 30.0
DIRECTORY_P95_TARGET_MS = 100.0

# Variables that would switch on other services or settings; left out so every run is the same.
UNSET_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ENV",
    "ELASTICSEARCH_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "SQLITE_PATH",
    "CACHE_KEY_PREFIX",
    "PRIVATE_MEDIA_ROOT",
)

FIRST_NAMES = [
    "Amina",
    "Grace",
    "Maria",
    "Fatou",
    "Aisha",
    "Nadia",
    "Sofia",
    "Leila",
    "Mariam",
    "Esther",
    "Joyce",
    "Ingrid",
    "Hanna",
    "Ana",
    "Lucia",
    "Priya",
    "Mei",
    "Yuki",
    "Olga",
    "Irina",
    "Chloe",
    "Camille",
    "Awa",
    "Khadija",
    "Zainab",
    "Ruth",
    "Mercy",
    "Agnes",
    "Rose",
    "Eva",
    "Nour",
    "Salma",
    "Yasmin",
    "Ines",
    "Beatriz",
    "Carmen",
    "Paola",
    "Elena",
    "Anika",
    "Thandiwe",
]
LAST_NAMES = [
    "Diallo",
    "Otieno",
    "Silva",
    "Traore",
    "Mensah",
    "Okafor",
    "Haddad",
    "Nguyen",
    "Kumar",
    "Sharma",
    "Tanaka",
    "Petrova",
    "Ivanova",
    "Dubois",
    "Martin",
    "Bernard",
    "Keita",
    "Coulibaly",
    "Ndiaye",
    "Sow",
    "Kamara",
    "Bangura",
    "Mwangi",
    "Kariuki",
    "Achieng",
    "Banda",
    "Phiri",
    "Moyo",
    "Dlamini",
    "Nkosi",
    "Rahman",
    "Hossain",
    "Ahmed",
    "Khan",
    "Ali",
    "Hassan",
    "Mohamed",
    "Ibrahim",
    "Yusuf",
    "Osman",
    "Garcia",
    "Lopez",
    "Martinez",
    "Rodriguez",
    "Fernandez",
    "Santos",
    "Pereira",
    "Costa",
    "Oliveira",
    "Andersen",
    "Hansen",
    "Johansson",
    "Nilsson",
    "Larsen",
    "Virtanen",
    "Novak",
    "Horvat",
    "Kowalska",
    "Popescu",
]
COUNTRIES = [
    "SN",
    "KE",
    "BR",
    "ML",
    "NG",
    "GH",
    "RW",
    "ZA",
    "ZM",
    "ZW",
    "TZ",
    "UG",
    "ET",
    "CM",
    "CI",
    "BF",
    "NE",
    "TD",
    "BJ",
    "TG",
    "FR",
    "CA",
    "SE",
    "NO",
    "DK",
    "FI",
    "DE",
    "NL",
    "IE",
    "GB",
    "US",
    "JM",
    "IN",
    "BD",
    "PK",
    "NP",
    "PH",
    "ID",
    "MY",
    "JO",
    "EG",
    "TN",
    "MA",
]
RANKS = ("Inspector", "Superintendent", "Commissioner", "Sergeant", "Chief Inspector", "Adviser", "Officer")


def say(message: str) -> None:
    print(message, flush=True)


class BenchError(Exception):
    """A setup step failed; the message says what to do."""


# --- setting up --------------------------------------------------------------------------------------------


def configure_environment(private_root: str) -> None:
    for name in UNSET_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        # The services are called directly; any task they queue runs inline.
        CELERY_TASK_ALWAYS_EAGER="true",
        DJANGO_DEBUG="false",
        LOG_LEVEL="WARNING",
        PRIVATE_MEDIA_ROOT=private_root,
    )
    sys.path.insert(0, str(PROJECT_ROOT))


def reset_database_and_cache() -> None:
    import psycopg
    import redis
    from psycopg import sql

    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE_NAME)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    except psycopg.Error as error:
        raise BenchError(
            f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({error}).\n"
            "Start it with `service postgresql start`."
        ) from error
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError as error:
        raise BenchError(
            f"Redis is not reachable at {REDIS_URL} ({error}). Start it with `service redis-server start`."
        ) from error


def migrate_and_seed() -> None:
    from django.core.management import call_command

    say("Migrating (each migration is listed as it is applied)…")
    call_command("migrate", interactive=False, verbosity=1)
    say("Loading the demo content (seed_demo)…")
    call_command("seed_demo", stdout=io.StringIO())


def make_staff_user():
    from django.contrib.auth.models import Group

    from network.choices import StaffRole
    from network.models import User

    officer = User.objects.create_user("bench.officer@example.org", first_name="Bench", last_name="Officer")
    officer.groups.add(Group.objects.get(name=StaffRole.MEMBERSHIP_OFFICER.value))
    return officer


# --- (a) CSV import ----------------------------------------------------------------------------------------


def import_csv(rows: int, rng: random.Random) -> bytes:
    from django_countries import countries

    from network.services.imports import IMPORT_COLUMNS

    categories = ("active", "active", "civilian", "honorary", "observer")
    language_codes = ("en", "fr", "es", "ar", "pt", "sw", "ru", "zh")
    lines = [",".join(IMPORT_COLUMNS)]
    for n in range(rows):
        code = rng.choice(COUNTRIES)
        # Half the rows give the English name of the country, half the ISO code.
        country = f'"{countries.name(code)}"' if n % 2 else code
        languages = ";".join(rng.sample(language_codes, rng.randint(1, 3)))
        expires = "" if n % 3 else f"{rng.randint(2026, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(
            ",".join(
                [
                    f"imported{n}@example.org",
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    rng.choice(categories),
                    country,
                    "National Police Service",
                    rng.choice(RANKS),
                    languages,
                    expires,
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class ImportTimes:
    rows: int
    upload_s: float
    check_s: float
    import_s: float
    created: int

    @property
    def total_s(self) -> float:
        return self.upload_s + self.check_s + self.import_s


def bench_import(officer, rng: random.Random) -> ImportTimes:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from network import tasks
    from network.choices import ImportState
    from network.models import Member, MemberImport
    from network.services import imports

    data = import_csv(IMPORT_ROWS, rng)
    say(f"(a) Import: CSV of {IMPORT_ROWS:,} members, {len(data) / 1024:.0f} KiB")
    upload = SimpleUploadedFile("members.csv", data, content_type="text/csv")
    # The tasks are not queued here: each service is called and timed on its own.
    with mock.patch.object(tasks.check_member_import_file, "delay_on_commit"):
        started = time.perf_counter()
        member_import = imports.start_member_import(upload, actor=officer)
        upload_s = time.perf_counter() - started
    say(f"    upload (parse and store): {upload_s:.2f} s")

    started = time.perf_counter()
    state = imports.check_member_import(member_import.pk)
    check_s = time.perf_counter() - started
    member_import.refresh_from_db()
    if state != ImportState.CHECKED or member_import.errors:
        raise BenchError(f"The check did not pass: {state}, first errors {member_import.errors[:5]}")
    say(f"    check (dry run):          {check_s:.2f} s")

    with mock.patch.object(tasks.import_confirmed_members, "delay_on_commit"):
        imports.confirm_member_import(member_import, actor=officer)
    started = time.perf_counter()
    state = imports.import_members(member_import.pk, actor_id=officer.pk)
    import_s = time.perf_counter() - started
    member_import = MemberImport.objects.get(pk=member_import.pk)
    if state != ImportState.DONE:
        raise BenchError(f"The import failed: {member_import.errors[:5]}")
    created = Member.objects.filter(user__email__startswith="imported").count()
    if created != IMPORT_ROWS:
        raise BenchError(f"{created} members imported instead of {IMPORT_ROWS}")
    say(f"    import (one transaction): {import_s:.2f} s")
    return ImportTimes(IMPORT_ROWS, upload_s, check_s, import_s, created)


# --- (b) directory -----------------------------------------------------------------------------------------


def visibility_choice(rng: random.Random) -> str:
    roll = rng.random()
    return "network" if roll < 0.6 else "members" if roll < 0.85 else "private"


def create_directory_members(count: int, rng: random.Random) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from network.models import ExpertiseArea, Language, Member, Mission, MissionService, User

    languages = list(Language.objects.all())
    expertise = list(ExpertiseArea.objects.all())
    missions = list(Mission.objects.all())
    categories = ("active",) * 5 + ("civilian",) * 3 + ("honorary",) * 1 + ("observer",) * 1
    today = datetime.date.today()
    say(f"(b) Directory: creating {count:,} members sharing fields with the network…")
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"member{n}@example.org",
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        password=make_password(None),
                    )
                    for n in range(start, start + size)
                ]
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
            )
            members = []
            for user in users:
                lapsed = rng.random() < 0.05
                members.append(
                    Member(
                        user=user,
                        category=rng.choice(categories),
                        country=rng.choice(COUNTRIES),
                        police_service="National Police Service",
                        rank=rng.choice(RANKS),
                        bio="Served in UN police operations; interested in mentoring and training.",
                        visibility={field: visibility_choice(rng) for field in Member.VISIBLE_FIELDS},
                        hide_current_deployment=rng.random() < 0.1,
                        membership_expires_on=(
                            today - datetime.timedelta(days=rng.randint(1, 300))
                            if lapsed
                            else (today + datetime.timedelta(days=rng.randint(30, 900)) if rng.random() < 0.5 else None)
                        ),
                    )
                )
            for member in members:  # bulk_create does not call save(), which derives the search text
                member.directory_search = member.compute_directory_search()
            Member.objects.bulk_create(members)
            Member.languages.through.objects.bulk_create(
                [
                    Member.languages.through(member_id=member.pk, language_id=language.pk)
                    for member in members
                    for language in rng.sample(languages, rng.randint(1, 3))
                ]
            )
            Member.expertise.through.objects.bulk_create(
                [
                    Member.expertise.through(member_id=member.pk, expertisearea_id=area.pk)
                    for member in members
                    for area in rng.sample(expertise, rng.randint(1, 4))
                ]
            )
            services = []
            for member in members:
                for mission in rng.sample(missions, rng.randint(0, 3)):
                    start_year = rng.randint(1995, 2024)
                    end_year = None if rng.random() < 0.15 else min(start_year + rng.randint(0, 3), 2025)
                    services.append(
                        MissionService(member=member, mission=mission, start_year=start_year, end_year=end_year)
                    )
            MissionService.objects.bulk_create(services)
        say(f"    {start + size:>6,} / {count:,} members ({time.perf_counter() - started:.1f} s)")
    # What autovacuum does after a bulk load: statistics for the planner, and the trigram indexes' pending
    # entries merged (until then PostgreSQL reads them all and prefers scanning every account).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def make_viewer():
    from allauth.account.models import EmailAddress

    from network.models import Member, User

    user = User.objects.create_user("bench.viewer@example.org", first_name="Bench", last_name="Viewer")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Member.objects.create(user=user, category="active", country="KE", visibility={"country": "network"})
    return user


@dataclass(frozen=True)
class Scenario:
    label: str
    params: dict[str, str]


@dataclass(frozen=True)
class DirectoryResult:
    scenario: Scenario
    page_size: int
    matches: int
    entries: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    queries: int


def scenarios() -> list[Scenario]:
    from network.models import ExpertiseArea, Language, Mission

    french = Language.objects.get(code="fr")
    mission = Mission.objects.get(acronym="MINUSCA")
    area = ExpertiseArea.objects.get(slug="community-policing")
    return [
        Scenario("country + language", {"country": "KE", "language": str(french.pk)}),
        Scenario("name + category", {"q": "Diallo", "category": "civilian"}),
        Scenario("mission + expertise", {"mission": str(mission.pk), "expertise": str(area.pk)}),
    ]


PROFILE_LINK = re.compile(r"/members/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")


def count_matches(viewer, params: dict[str, str]) -> int:
    from network.forms import DirectorySearchForm
    from network.queries import search_directory

    form = DirectorySearchForm(params)
    return search_directory(viewer, **form.filters()).count()


def bench_directory(viewer) -> list[DirectoryResult]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from network.forms import DirectorySearchForm

    if DirectorySearchForm.DEFAULT_PAGE_SIZE != DEFAULT_PAGE_SIZE:
        raise BenchError(f"the directory now opens at {DirectorySearchForm.DEFAULT_PAGE_SIZE} per page: update")
    with translation.override("en"):
        url = reverse("network:directory")
    client = Client()
    client.force_login(viewer)
    results = []
    for scenario in scenarios():
        matches = count_matches(viewer, scenario.params)
        for page_size in PAGE_SIZES:
            # The directory's form calls it `per_page`; `page_size` is sent too, as the brief names it.
            params = {**scenario.params, "per_page": str(page_size), "page_size": str(page_size)}
            response = client.get(url, params)
            if response.status_code != 200:
                raise BenchError(f"{url} answered {response.status_code} for {params}")
            entries = len(set(PROFILE_LINK.findall(response.content.decode())))
            if entries != min(page_size, matches):
                raise BenchError(
                    f"{scenario.label}: {entries} entries on the page, expected {min(page_size, matches)} "
                    f"({matches} matches, {page_size} per page)"
                )
            for _ in range(WARMUP_REQUESTS):
                client.get(url, params)
            timings = []
            for _ in range(TIMED_REQUESTS):
                started = time.perf_counter()
                client.get(url, params)
                timings.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as captured:
                client.get(url, params)
            timings.sort()
            result = DirectoryResult(
                scenario=scenario,
                page_size=page_size,
                matches=matches,
                entries=entries,
                p50_ms=statistics.median(timings),
                p95_ms=timings[int(len(timings) * 0.95) - 1],
                mean_ms=statistics.fmean(timings),
                queries=len(captured),
            )
            say(
                f"    {scenario.label:<20} {page_size:>3} per page: p50 {result.p50_ms:6.1f} ms, "
                f"p95 {result.p95_ms:6.1f} ms, {result.queries} queries ({matches} matches)"
            )
            results.append(result)
    return results


# --- report ------------------------------------------------------------------------------------------------


def git_revision() -> str:
    try:
        revision = subprocess.run(  # noqa: S603 -- fixed command, no shell
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603
            ["git", "status", "--porcelain"],  # noqa: S607
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{revision}{' (with uncommitted changes)' if dirty else ''}"


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return 0.0


def reference_loop_ms() -> float:
    """How fast this machine runs Python right now: a fixed loop, timed (lower is faster).

    Shared virtual machines change speed from minute to minute; this figure, taken before and after the run,
    tells whether two runs' timings can be compared.
    """
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number * number % 7
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def report(
    imported: ImportTimes,
    directory: list[DirectoryResult],
    *,
    load_before: float,
    load_after: float,
    speed_before: float,
    speed_after: float,
) -> str:
    lines = [
        "# Membership benchmark",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · revision {git_revision()} · "
        f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load_before:.1f} before the run, {load_after:.1f} after it; other processes on the machine "
        "slow every figure down)",
        "",
        f"Machine speed: a reference Python loop took {speed_before:.0f} ms before the run and {speed_after:.0f} ms "
        "after it (lower is faster; on a shared VM it varies by a third or more from minute to minute, and every "
        "timing below with it).",
        "",
        "PostgreSQL + Redis on 127.0.0.1, in one process: import services called directly (as the Celery tasks "
        f"do); directory requested with Django's test Client as a signed-in active member, "
        f"{WARMUP_REQUESTS} warm-up + {TIMED_REQUESTS} timed requests per row.",
        "",
        f"## (a) CSV import of {imported.rows:,} members",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        f"| upload: parse and store the file | {imported.upload_s:.2f} |",
        f"| check every row (dry run task) | {imported.check_s:.2f} |",
        f"| import in one transaction (import task) | {imported.import_s:.2f} |",
        f"| **total** | **{imported.total_s:.2f}** |",
        "",
        f"{imported.created:,} members created (users, verified addresses, profiles, languages, category changes, "
        "one audit entry).",
        "",
        f"## (b) Directory search at {DIRECTORY_MEMBERS:,} members",
        "",
        "| filters | per page | matches | entries | p50 ms | p95 ms | mean ms | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in directory:
        params = ", ".join(f"{key}={value}" for key, value in result.scenario.params.items())
        lines.append(
            f"| {result.scenario.label} ({params}) | {result.page_size} | {result.matches} | {result.entries} | "
            f"{result.p50_ms:.1f} | {result.p95_ms:.1f} | {result.mean_ms:.1f} | {result.queries} |"
        )
    worst_p95 = max(result.p95_ms for result in directory if result.page_size == DEFAULT_PAGE_SIZE)
    worst_by_size = {size: max(r.p95_ms for r in directory if r.page_size == size) for size in PAGE_SIZES}
    constant_queries = all(
        len({result.queries for result in directory if result.scenario == scenario}) == 1
        for scenario in {result.scenario.label: result.scenario for result in directory}.values()
    )
    query_counts = sorted({result.queries for result in directory})
    lines += [
        "",
        "## Targets",
        "",
        f"- CSV import of {imported.rows:,} members (check + import): {imported.check_s + imported.import_s:.1f} s "
        f"(target < {IMPORT_TARGET_SECONDS:.0f} s) — {verdict(imported.check_s + imported.import_s < IMPORT_TARGET_SECONDS)}",
        f"- directory search with two filters, as the directory opens ({DEFAULT_PAGE_SIZE} members per page), worst "
        f"p95: {worst_p95:.1f} ms (target < {DIRECTORY_P95_TARGET_MS:.0f} ms) — "
        f"{verdict(worst_p95 < DIRECTORY_P95_TARGET_MS)}",
        "  - every page size, for comparison (a page of 100 renders four times the entries):",
        *(
            f"    - at {size} members per page: worst p95 {p95:.1f} ms "
            f"({'under' if p95 < DIRECTORY_P95_TARGET_MS else 'over'} {DIRECTORY_P95_TARGET_MS:.0f} ms)"
            for size, p95 in worst_by_size.items()
        ),
        f"- SQL queries per directory request independent of page size: {'yes' if constant_queries else 'no'} "
        f"({', '.join(map(str, query_counts))}) — {verdict(constant_queries)}",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    load_before = load_average()
    speed_before = reference_loop_ms()
    with tempfile.TemporaryDirectory(prefix="membership-bench-") as private_root:
        configure_environment(private_root)
        try:
            reset_database_and_cache()
            # Set up as a gunicorn worker is (config/wsgi.py), start-up objects frozen out of the garbage collector.
            importlib.import_module("config.wsgi")
            migrate_and_seed()
            rng = random.Random(SEED)
            officer = make_staff_user()
            imported = bench_import(officer, rng)
            create_directory_members(DIRECTORY_MEMBERS, rng)
            viewer = make_viewer()
            say(f"    requesting the directory ({WARMUP_REQUESTS} warm-up + {TIMED_REQUESTS} timed requests each)…")
            directory = bench_directory(viewer)
        except BenchError as error:
            print(f"membership benchmark: {error}", file=sys.stderr)
            return 1
    text = report(
        imported,
        directory,
        load_before=load_before,
        load_after=load_average(),
        speed_before=speed_before,
        speed_after=reference_loop_ms(),
    )
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
