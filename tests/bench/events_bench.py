"""Events benchmark: 5,000 sessions and a member with 200 registrations, measured in-process with Django's
test client on PostgreSQL (a throw-away test database made from DATABASE_URL, migrated, dropped at the end).

Measures the events index (first page, all filters off and with a language filter), "my registrations" and
the personal calendar feed of 200 sessions: p95 over repeated requests, and the number of queries at two data
sizes (the same number means it does not grow with the data). Then 20 simultaneous registrations for one
5-seat session: exact counts, no error. Prints a markdown table and writes bench-results/events.md.

Run: `make bench`, or `.venv/bin/python tests/bench/events_bench.py` with DATABASE_URL pointing at PostgreSQL.
Targets: p95 < 50 ms for each page, constant query counts, the feed < 50 ms.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
# Eager Celery tasks (the emails the registrations queue) log one "Task ... succeeded" line each: keep the
# benchmark's output to its table.
for noisy in ("celery", "celery.app.trace", "celery.worker"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RESULTS_FILE = ROOT / "bench-results" / "events.md"
SESSIONS = 5_000
PAGES = 250
MY_REGISTRATIONS = 200
RUNS = 60
TARGET_MS = 50.0


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def measure(client, url: str, runs: int = RUNS) -> tuple[float, float, int]:
    client.get(url)  # warm caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(samples), p95(samples), len(queries)


def build(home, organiser):
    from django.utils import timezone

    from events.models import CoursePage, EventsIndexPage, Registration, Session
    from network.choices import MemberCategory
    from tests.factories import MemberFactory

    index = EventsIndexPage(title="Bench events", slug="bench-events", locale_id=home.locale_id)
    home.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now()
    pages = []
    for n in range(PAGES):
        page = CoursePage(title=f"Bench course {n}", slug=f"bench-course-{n}", locale_id=home.locale_id)
        index.add_child(instance=page)
        pages.append(page)
    per_page = SESSIONS // PAGES
    sessions = [
        Session(
            page=page,
            sort_order=k,
            starts_at=now + datetime.timedelta(days=(n * per_page + k) % 700 - 200, hours=k),
            ends_at=now + datetime.timedelta(days=(n * per_page + k) % 700 - 200, hours=k + 6),
            time_zone="Africa/Kigali",
            place="Kigali",
            language="fr" if k % 3 == 0 else "en",
            capacity=30,
        )
        for n, page in enumerate(pages)
        for k in range(per_page)
    ]
    Session.objects.bulk_create(sessions, batch_size=1000)
    member = MemberFactory(category=MemberCategory.ACTIVE, user__email="bench.member@example.org")
    chosen = list(Session.objects.order_by("pk")[::25][:MY_REGISTRATIONS])
    Registration.objects.bulk_create(
        Registration(session=session, user=member.user, state="registered") for session in chosen
    )
    return index, member, chosen


def concurrency(session_factory) -> tuple[int, int, int]:
    from events import services
    from events.models import Registration
    from network.choices import MemberCategory
    from tests.factories import MemberFactory

    session = session_factory()
    people = [MemberFactory(category=MemberCategory.ACTIVE) for _ in range(20)]
    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            barrier.wait()
            services.register(actor=person.user, session=session, join_waitlist=True)
        except Exception as error:  # noqa: BLE001 -- counted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    registered = Registration.objects.filter(session=session, state="registered").count()
    waiting = Registration.objects.filter(session=session, state="waitlisted").count()
    return registered, waiting, len(errors)


def main() -> int:
    if connection.vendor != "postgresql":
        print("events_bench: set DATABASE_URL to a PostgreSQL server", file=sys.stderr)
        return 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # A name of its own, derived from DATABASE_URL: never the test suite's test_<name> nor another checkout's.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_events_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from django.test import Client

        from events import calendar, services
        from events.models import Registration
        from network.choices import StaffRole
        from tests.factories import home_pages
        from tests.factories.staff import make_staff

        started = time.perf_counter()
        home = home_pages()["en"]
        organiser = make_staff(StaffRole.TRAINING_ORGANISER)
        index, member, chosen = build(home, organiser)
        # Fresh statistics, as autovacuum keeps them on a live database: without them PostgreSQL plans for
        # tables it believes empty (rows=1) and sorts every session instead of reading the start-time index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        built = time.perf_counter() - started
        client = Client()
        client.force_login(member.user)
        feed_path = "/" + calendar.feed_url(services.calendar_feed_of(member.user)).split("/", 3)[3]
        rows = []
        targets = [
            ("events index, first page", index.url),
            ("events index, French sessions", index.url + "?language=fr&when=upcoming"),
            (f"my registrations ({MY_REGISTRATIONS})", "/en/events/my/"),
            (f"calendar feed ({MY_REGISTRATIONS} sessions)", feed_path),
        ]
        for label, url in targets:
            rows.append((label, *measure(client, url)))
        # Query counts at half the registrations: the same count means constant queries.
        Registration.objects.filter(
            pk__in=list(
                Registration.objects.filter(user=member.user).values_list("pk", flat=True)[: MY_REGISTRATIONS // 2]
            )
        ).delete()
        half = {label: measure(client, url, runs=3)[2] for label, url in targets}

        from tests.factories.events import first_session, make_course

        registered, waiting, errors = concurrency(
            lambda: first_session(make_course(index, title="Five seats", sessions=[{"capacity": 5}]))
        )
        lines = [
            f"Events benchmark: {SESSIONS:,} sessions on {PAGES} course pages, a member with {MY_REGISTRATIONS} "
            f"registrations (data built in {built:.0f} s), {RUNS} requests each, in-process test client on "
            "PostgreSQL.",
            "",
            "| page | median ms | p95 ms | queries | queries at half the data | target |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        ok = True
        for label, median, high, queries in rows:
            passed = high < TARGET_MS and queries == half[label]
            ok &= passed
            lines.append(
                f"| {label} | {median:.1f} | {high:.1f} | {queries} | {half[label]} | "
                f"p95 < {TARGET_MS:.0f} ms, constant: {'yes' if passed else 'NO'} |"
            )
        concurrent_ok = (registered, waiting, errors) == (5, 15, 0)
        ok &= concurrent_ok
        lines += [
            "",
            f"20 simultaneous registrations for 5 seats: {registered} registered, {waiting} waiting, {errors} errors "
            f"({'exact' if concurrent_ok else 'WRONG'}).",
        ]
        text = "\n".join(lines)
        print(text)
        RESULTS_FILE.parent.mkdir(exist_ok=True)
        RESULTS_FILE.write_text(text + "\n")
        return 0 if ok else 1
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
