"""Forum benchmark: the forum index, a topic list and a topic page under gunicorn with PostgreSQL and Redis,
at 8 concurrent users, with a forum of 10,000 topics, a topic of 500 posts and 2,000 members with read state;
then one daily digest run for 2,000 members over a day of 500 posts.

Run it with `make bench` (or `.venv/bin/python tests/bench/forum_bench.py`). It reuses the HTTP benchmark's
set-up (tests/bench/http_bench.py: database `peacekeepers_bench` recreated, a private redis-server, wrk,
gunicorn with 2 sync workers in production mode) and writes `bench-results/forums.md`. Targets: p95 under
100 ms for each page; the digest run under 30 s. Query counts per page are asserted by the test suite
(tests/forums/test_access.py), not here.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import http_bench as hb  # noqa: E402

RESULTS_FILE = hb.PROJECT_ROOT / "bench-results" / "forums.md"
P95_TARGET_MS = 100.0
DIGEST_TARGET_SECONDS = 30.0


def shell(code: str, environment: dict[str, str]) -> str:
    return hb.run([sys.executable, "manage.py", "shell", "-c", code], env=environment)


def load_data(environment: dict[str, str]) -> dict:
    output = shell(
        "import json\n"
        "from tests.bench.forum_data import load\n"
        f"print('FORUM-DATA', json.dumps(load(author_email={hb.MEMBER_EMAIL!r})))\n",
        environment,
    )
    for line in output.splitlines():
        if line.startswith("FORUM-DATA "):
            return json.loads(line.split(" ", 1)[1])
        print(line, flush=True)
    raise hb.BenchError(f"No forum data in the output:\n{output}")


def database_exists() -> bool:
    import psycopg

    with psycopg.connect(hb.POSTGRES_ADMIN_URL, autocommit=True) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        return connection.execute(query, [hb.DATABASE_NAME]).fetchone() is not None


def existing_data(environment: dict[str, str]) -> dict | None:
    """The forum data of an earlier run (`--reuse`), or None when the database has none (or does not exist)."""
    if not database_exists():
        return None
    try:
        output = shell(
            "import json\n"
            "from forums.models import Forum, Topic\n"
            "forum = Forum.objects.filter(slug='bench-forum').first()\n"
            "topic = forum and Topic.objects.filter(forum=forum, post_count__gte=500).order_by('pk').first()\n"
            "print('FORUM-DATA', json.dumps(topic and {'forum': forum.slug, 'long_topic': topic.pk}))\n",
            environment,
        )
    except hb.BenchError:
        return None  # an earlier run stopped before migrating or loading: start again
    for line in output.splitlines():
        if line.startswith("FORUM-DATA "):
            return json.loads(line.split(" ", 1)[1])
    return None


def time_digest(environment: dict[str, str]) -> tuple[int, int, float]:
    output = shell(
        "import time\n"
        "from tests.bench.forum_data import load_digest_day\n"
        "from network.choices import Delivery\n"
        "from network.notifications import send_notification_digests\n"
        "count = load_digest_day()\n"
        "started = time.perf_counter()\n"
        "emails = send_notification_digests(frequency=Delivery.DAILY)\n"
        "print('DIGEST', count, emails, time.perf_counter() - started)\n",
        environment,
    )
    for line in output.splitlines():
        if line.startswith("DIGEST "):
            _marker, count, emails, seconds = line.split()
            return int(count), int(emails), float(seconds)
    raise hb.BenchError(f"No digest timing in the output:\n{output}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run if it has the data")
    parser.add_argument("--skip-digest", action="store_true", help="measure the pages only")
    options = parser.parse_args()
    started = time.monotonic()
    try:
        print("Checking PostgreSQL, Redis and wrk …", flush=True)
        hb.check_services()
        wrk = hb.find_wrk()
        secret_key = secrets.token_urlsafe(48)
        with hb.PrivateRedis() as private_redis, tempfile.TemporaryDirectory(prefix="forum-bench-") as scratch:
            development = hb.bench_environment(production=False, secret_key=secret_key, redis_url=private_redis.url)
            production = hb.bench_environment(production=True, secret_key=secret_key, redis_url=private_redis.url)
            data = existing_data(development) if options.reuse else None
            if data is None:
                print(f"Recreating database {hb.DATABASE_NAME}, migrating and seeding …", flush=True)
                hb.reset_database()
                hb.prepare_site(development=development, production=production)
                print("Loading the forum data …", flush=True)
                data = load_data(development)
            else:
                print(f"Reusing the data in {hb.DATABASE_NAME} (--reuse) …", flush=True)
                hb.run([sys.executable, "manage.py", "collectstatic", "--noinput"], env=production)
            cookies = hb.create_member_session(production)
            endpoints = [
                hb.Endpoint("index", "forum index", "/en/forums/", logged_in=True, must_contain="Benchmark forum"),
                hb.Endpoint(
                    "list",
                    "topic list, first page (10,000 topics)",
                    f"/en/forums/{data['forum']}/",
                    logged_in=True,
                    must_contain="Lessons from mission",
                ),
                hb.Endpoint(
                    "list-deep",
                    "topic list, page 300",
                    f"/en/forums/{data['forum']}/?page=300",
                    logged_in=True,
                    must_contain="Lessons from mission",
                ),
                hb.Endpoint(
                    "topic",
                    "topic page, first page (500 posts)",
                    f"/en/forums/topics/{data['long_topic']}/",
                    logged_in=True,
                    must_contain="Reports doubled",
                ),
                hb.Endpoint(
                    "topic-last",
                    "topic page, last page",
                    f"/en/forums/topics/{data['long_topic']}/?page=25",
                    logged_in=True,
                    must_contain="Reports doubled",
                ),
            ]
            script = Path(scratch) / "report.lua"
            script.write_text(hb.WRK_SCRIPT)
            port = hb.free_port()
            results = {}
            print(f"Starting gunicorn ({hb.WORKERS} workers) on 127.0.0.1:{port} …", flush=True)
            with hb.GunicornServer(production, port) as server:
                for number, endpoint in enumerate(endpoints, start=1):
                    print(f"[{number}/{len(endpoints)}] {endpoint.label} ({endpoint.path}) …", flush=True)
                    endpoint_cookies = hb.verify_endpoint(port, endpoint, cookies)
                    hb.run_wrk(wrk, script, port, endpoint, endpoint_cookies, hb.WARMUP_SECONDS)
                    load_run = partial(hb.run_wrk, wrk, script, port, endpoint, endpoint_cookies, hb.MEASURE_SECONDS)
                    results[endpoint] = hb.measure(server, load_run)
            digest = None
            if not options.skip_digest:
                print("Daily digest for 2,000 members over 500 posts …", flush=True)
                digest = time_digest(development)
    except hb.BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 1

    lines = [
        "# Forum benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · revision {hb.git_revision()} · "
        f"gunicorn {hb.WORKERS} sync workers, wrk {hb.CONNECTIONS} connections, {hb.MEASURE_SECONDS} s per endpoint",
        "",
        "Data: 1 forum with 10,000 topics, a topic with 500 posts, 2,001 members with 25 read-state rows each.",
        "",
        "| endpoint | requests/s | p50 ms | p95 ms | non-2xx | other processes' CPU | p95 < 100 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for endpoint, result in results.items():
        lines.append(
            f"| {endpoint.label} `{endpoint.path}` | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} | "
            f"{result.p95_ms:.1f} | {result.non_2xx} | {result.other_cpu_share:.0%} | "
            f"{hb.verdict(result.p95_ms < P95_TARGET_MS)} |"
        )
    lines.append("")
    if digest is not None:
        notifications, emails, digest_seconds = digest
        lines.append(
            f"- Daily digest: {emails:,} emails for {notifications:,} waiting notifications in {digest_seconds:.1f} s "
            f"(target < {DIGEST_TARGET_SECONDS:.0f} s) — {hb.verdict(digest_seconds < DIGEST_TARGET_SECONDS)}"
        )
    lines.append("- Peers (django-machina, django-spirit, Misago) side by side: tests/bench/forum_peers_bench.py.")
    text = "\n".join(lines) + "\n"
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(hb.PROJECT_ROOT)} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
