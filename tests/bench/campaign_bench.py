"""Campaign page benchmark: server time with 100,000 members and three years of daily snapshots.

Run it with `.venv/bin/python tests/bench/campaign_bench.py` from the project root (`make bench` runs it
after the HTTP benchmark); add `--reuse-data` to measure again on the data of the previous run. It needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication) and
Redis on 127.0.0.1:6379; it takes two to four minutes on two cores, most of it migrating and loading.

What it does:
1. drops and recreates the database `peacekeepers_campaign_bench`, empties Redis database 8 and migrates;
2. loads 100,000 members (users and profiles with bulk inserts: categories, 90 countries, admission dates
   over three years), a campaign with three computed targets and three years of daily snapshots for each
   (with category and country breakdowns, as the daily task stores them), and 40 listed contributors;
3. times the real work around the page once: each computed metric on 100,000 members (today and a past
   day) and the snapshot task;
4. measures the campaign page and a target's page in-process with Django's test client (the whole
   middleware stack, PostgreSQL and Redis, DEBUG off): the first request of the day (nothing cached),
   then 200 requests after a warm-up, for an anonymous visitor and for a signed-in member.

The results are printed and written to `bench-results/campaign.md`. The target is p95 < 50 ms for the
campaign page; missing it does not fail the run (it is a measurement), a broken setup does.
"""

from __future__ import annotations

import datetime
import importlib
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = PROJECT_ROOT / "bench-results" / "campaign.md"
DATABASE_NAME = "peacekeepers_campaign_bench"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/8"

MEMBERS = 100_000
DAYS = 3 * 365 + 1
CONTRIBUTORS = 40
WARM_UP = 20
REQUESTS = 200
P95_TARGET_MS = 50.0
BATCH = 5_000

CATEGORY_WEIGHTS = {"active": 58, "civilian": 20, "honorary": 5, "observer": 17}
# 90 contributing countries, as in the sources; the first ones contribute most.
COUNTRIES = [
    "RW", "SN", "EG", "BD", "CM", "NG", "GH", "KE", "PH", "IN", "ZA", "JO", "NO", "SE", "CA", "CL", "FR", "DE",
    "NP", "PK", "ET", "TZ", "UG", "ZM", "ZW", "MW", "NE", "BF", "TG", "BJ", "CI", "ML", "TN", "MA", "DZ", "ID",
    "MY", "TH", "CN", "MN", "FJ", "AU", "NZ", "US", "GB", "IE", "NL", "BE", "CH", "AT", "IT", "ES", "PT", "PL",
    "CZ", "SK", "HU", "RO", "BG", "UA", "TR", "AR", "BR", "UY", "PY", "PE", "EC", "CO", "MX", "GT", "SV", "HN",
    "JM", "TT", "YE", "MG", "MU", "DJ", "GM", "GN", "SL", "LR", "TD", "CF", "CG", "CD", "GA", "BI", "KG", "NA",
]  # fmt: skip


def run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        sys.exit(f"`{' '.join(command)}` failed:\n{completed.stdout}{completed.stderr}")


def prepare_database(environment: dict[str, str]) -> None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as connection:
            name = sql.Identifier(DATABASE_NAME)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
    except psycopg.Error as error:
        sys.exit(f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({error}).")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.RedisError as error:
        sys.exit(f"Redis is not reachable at 127.0.0.1:6379 ({error}).")
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], environment)


def configure_django() -> dict[str, str]:
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ENV", "ELASTICSEARCH_URL", "CELERY_BROKER_URL", "SQLITE_PATH"):
        os.environ.pop(name, None)
    os.environ.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_DEBUG="false",  # DEBUG records every query: it would slow the page down
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return dict(os.environ)


def load_data() -> dict:
    """Members, a campaign with three computed targets and their daily snapshots; returns what to request."""
    from django.utils import timezone

    from campaigns.models import Campaign, CampaignContributor, ProgressSnapshot, Target
    from network.models import Member, User

    rng = random.Random(2014)  # the same data on every run
    today = timezone.localdate()
    now = timezone.now()
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    country_weights = [1 / (rank + 3) for rank in range(len(COUNTRIES))]
    started = time.monotonic()
    member_ids = []
    for offset in range(0, MEMBERS, BATCH):
        users = User.objects.bulk_create(
            User(email=f"bench{number}@example.org", password="!", first_name="Member", last_name=str(number))
            for number in range(offset, min(offset + BATCH, MEMBERS))
        )
        members = Member.objects.bulk_create(
            Member(
                user=user,
                category=rng.choices(categories, weights)[0] if rng.random() > 0.03 else "",  # 3 % applicants
                country=rng.choices(COUNTRIES, country_weights)[0] if rng.random() > 0.1 else "",
                membership_expires_on=today + datetime.timedelta(days=rng.randint(-200, 700)),
            )
            for user in users
        )
        member_ids += [member.pk for member in members]
    # Admission dates spread over three years (created_at is set on insert, so it is moved afterwards).
    with_dates = [
        Member(pk=pk, created_at=now - datetime.timedelta(days=rng.randint(0, DAYS - 1))) for pk in member_ids
    ]
    Member.objects.bulk_update(with_dates, ["created_at"], batch_size=BATCH)
    loaded_members = time.monotonic() - started

    campaign = Campaign.objects.create(
        title="Race to 2030",
        slug="bench",
        summary="Benchmark campaign.",
        start_date=today - datetime.timedelta(days=DAYS - 1),
        deadline=today + datetime.timedelta(days=365),
    )
    targets = [
        Target.objects.create(
            campaign=campaign, title=title, source="computed", metric=metric, target_value=goal, sort_order=order
        )
        for order, (title, metric, goal) in enumerate(
            [
                ("120,000 members", "members_total", 120_000),
                ("100,000 network members", "members_network", 100_000),
                ("70,000 active members", "members_active", 70_000),
            ]
        )
    ]
    started = time.monotonic()
    share = {"members_total": 1.0, "members_network": 0.8, "members_active": 0.58}
    rows = []
    for target in targets:
        for day_number in range(DAYS):
            day = campaign.start_date + datetime.timedelta(days=day_number)
            total = int(MEMBERS * 0.97 * share[target.metric] * (0.2 + 0.8 * day_number / (DAYS - 1)))
            breakdown = {
                "category": {category: total * weight // 100 for category, weight in CATEGORY_WEIGHTS.items()},
                "country": {
                    code: max(1, int(total * weight / sum(country_weights)))
                    for code, weight in zip(COUNTRIES, country_weights, strict=True)
                },
                "state": {"current": int(total * 0.85), "lapsed": total - int(total * 0.85)},
            }
            rows.append(ProgressSnapshot(target=target, date=day, value=total, breakdown=breakdown))
    ProgressSnapshot.objects.bulk_create(rows, batch_size=1000)
    loaded_snapshots = time.monotonic() - started
    admitted = Member.objects.exclude(category="").order_by("pk")
    CampaignContributor.objects.bulk_create(
        CampaignContributor(campaign=campaign, member=member) for member in admitted[:CONTRIBUTORS]
    )
    return {
        "campaign": campaign,
        "targets": targets,
        "member_user": admitted[CONTRIBUTORS].user,
        "loaded_members_s": loaded_members,
        "loaded_snapshots_s": loaded_snapshots,
        "snapshot_rows": len(rows),
    }


def existing_data() -> dict:
    from campaigns.models import Campaign, ProgressSnapshot
    from network.models import Member

    try:
        campaign = Campaign.objects.get(slug="bench")
    except Campaign.DoesNotExist:
        sys.exit("No data from a previous run: run without --reuse-data first.")
    return {
        "campaign": campaign,
        "targets": list(campaign.targets.order_by("sort_order")),
        "member_user": Member.objects.exclude(category="").order_by("pk")[CONTRIBUTORS].user,
        "snapshot_rows": ProgressSnapshot.objects.filter(target__campaign=campaign).count(),
    }


def time_work(targets) -> dict[str, float]:
    """Seconds for the work the page relies on: the metrics on 100,000 members and the snapshot task."""
    from django.utils import timezone

    from campaigns import metrics
    from campaigns.services import snapshot_campaign_progress

    timings = {}
    today = timezone.localdate()
    for target in targets:
        started = time.monotonic()
        metrics.get_metric(target.metric).value_on(today)
        timings[f"metric `{target.metric}` today"] = time.monotonic() - started
    started = time.monotonic()
    metrics.get_metric("members_total").value_on(today - datetime.timedelta(days=400))
    timings["metric `members_total` on a past day (category history)"] = time.monotonic() - started
    started = time.monotonic()
    snapshot_campaign_progress()
    timings["snapshot task (3 targets, yesterday and today)"] = time.monotonic() - started
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def measure(client, url: str) -> dict[str, float]:
    """Wall-clock server time per request, and the CPU time this process spent on it (which other work
    on a busy machine inflates much less: it leaves out waiting for PostgreSQL, Redis and the scheduler)."""
    for _request in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    durations, cpu = [], []
    for _request in range(REQUESTS):
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return {
        "p50": statistics.median(durations),
        "p95": percentile(durations, 0.95),
        "max": max(durations),
        "cpu_p50": statistics.median(cpu),
        "cpu_p95": percentile(cpu, 0.95),
        "bytes": len(response.content),
    }


def cold_request(client, url: str) -> float:
    """The first request after the targets' cached progress was forgotten (a new snapshot, a new day)."""
    from campaigns.models import Target
    from campaigns.progress import invalidate_target_progress

    invalidate_target_progress(Target.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    return (time.perf_counter() - started) * 1000


def load_average() -> str:
    path = Path("/proc/loadavg")
    return path.read_text().split()[0] if path.exists() else "?"


def main() -> int:
    began = time.monotonic()
    load_before = load_average()
    environment = configure_django()
    reuse = "--reuse-data" in sys.argv[1:]
    if not reuse:
        print(f"Recreating {DATABASE_NAME}, emptying Redis DB 8 and migrating …", flush=True)
        prepare_database(environment)
    sys.path.insert(0, str(PROJECT_ROOT))
    # Set up as a gunicorn worker is (config/wsgi.py), start-up objects frozen out of the garbage collector.
    importlib.import_module("config.wsgi")
    from django.conf import settings
    from django.test import Client

    assert not settings.DEBUG
    if reuse:
        # Measure again on the data of the previous run (e.g. once the machine is quieter).
        data = existing_data()
        work = {}
    else:
        print(f"Loading {MEMBERS:,} members and {DAYS * 3:,} snapshots …", flush=True)
        data = load_data()
        print("Timing the metrics and the snapshot task …", flush=True)
        work = time_work(data["targets"])

    campaign, target = data["campaign"], data["targets"][0]
    pages = {
        "campaign page, anonymous": (f"/en/campaigns/{campaign.slug}/", False),
        "campaign page, signed-in member": (f"/en/campaigns/{campaign.slug}/", True),
        "target page, anonymous": (f"/en/campaigns/{campaign.slug}/targets/{target.pk}/", False),
    }
    results = {}
    for label, (url, signed_in) in pages.items():
        print(f"Measuring {label} ({url}) …", flush=True)
        client = Client()
        if signed_in:
            client.force_login(data["member_user"])
        cold = cold_request(client, url)
        results[label] = {"cold": cold, **measure(client, url)}

    campaign_p95 = results["campaign page, anonymous"]["p95"]
    member_p95 = results["campaign page, signed-in member"]["p95"]
    met = max(campaign_p95, member_p95) < P95_TARGET_MS
    lines = [
        "# Campaign page benchmark",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} ({os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load_before} before and {load_average()} after the "
        "run: other work on the machine inflates the wall-clock times)",
        "",
        f"{MEMBERS:,} members, 3 computed targets × {DAYS:,} daily snapshots ({data['snapshot_rows']:,} rows with "
        f"category and country breakdowns), {CONTRIBUTORS} contributors · PostgreSQL + Redis on 127.0.0.1 · "
        f"Django test client in-process (whole middleware stack, DEBUG off) · {REQUESTS} requests after {WARM_UP} "
        "warm-up requests",
        "",
        "| page | first request of the day (ms) | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | HTML KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, result in results.items():
        lines.append(
            f"| {label} | {result['cold']:.0f} | {result['p50']:.1f} | {result['p95']:.1f} | {result['max']:.1f} | "
            f"{result['cpu_p50']:.1f} | {result['cpu_p95']:.1f} | {result['bytes'] / 1024:.0f} |"
        )
    lines += [
        "",
        f"Target: campaign page p95 < {P95_TARGET_MS:.0f} ms — {'met' if met else 'NOT met'} "
        f"(anonymous {campaign_p95:.1f} ms, member {member_p95:.1f} ms).",
        "",
        "First request: nothing cached (a new day, or a recorded value or target just changed; after a snapshot "
        "the task rebuilds the cache itself) — the snapshots are read in one query per kind of source and the "
        "charts drawn. Later requests take each target's progress from the cache; anonymous visitors of a public "
        "campaign get the whole page from the anonymous page cache, members get it rendered for them "
        "(contributors' form, nominations) with the site's menus.",
        "",
        "CPU columns: time this Python process spent on the request (template rendering, cache decoding, ORM), "
        "without the waits for PostgreSQL and Redis; on a busy machine they show what the code itself costs.",
    ]
    if work:
        lines += [
            "",
            "| work behind the page | seconds |",
            "| --- | ---: |",
            f"| loading {MEMBERS:,} members (bulk inserts) | {data['loaded_members_s']:.1f} |",
            f"| loading {data['snapshot_rows']:,} snapshots | {data['loaded_snapshots_s']:.1f} |",
            *(f"| {label} | {seconds:.2f} |" for label, seconds in work.items()),
        ]
    text = "\n".join(lines) + "\n"
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(PROJECT_ROOT)} in {time.monotonic() - began:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
