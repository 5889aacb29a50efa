"""HTTP benchmark: the site under gunicorn, PostgreSQL and Redis, loaded with wrk.

Run it with `make bench` (or `.venv/bin/python tests/bench/http_bench.py` from the project root). It needs
PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication), Debian's `redis-server` (the benchmark
starts its own on a free port, so it can stop it) and `wrk` (installed with apt-get when missing and the
script runs as root). It takes about three minutes on two cores.

What it does:
1. drops and recreates the database `peacekeepers_bench`, starts a private redis-server, runs `migrate` and
   `seed_demo` (development mode: seed_demo refuses production) and `collectstatic` (production mode, for
   whitenoise's manifest), then logs the demo member amina.diallo@example.org in to get a session cookie;
2. starts gunicorn (2 sync workers, DJANGO_ENV=production, no access log) on a free port of 127.0.0.1;
3. checks that every endpoint answers 200 (the profile page as the logged-in member; a warning when the home
   page does not come from the anonymous page cache), then for each one runs wrk for 3 s to warm up and
   15 s to measure, with 8 connections (8 concurrent users), noting the CPU other processes took meanwhile;
4. stops the private redis-server (by its process id, as a crash would) and measures the anonymous home page
   and the member's profile again: a Redis outage must cost speed, not answers (0 non-2xx);
5. reads each gunicorn worker's resident memory (VmRSS) and stops gunicorn and Redis, whatever happened.

It measures requests/s, p50 and p95 latency and non-2xx responses for the bare Django view `/healthz/`
(the ceiling of the stack: no database, no cache), the anonymous home page `/en/`, the member's own
profile `/en/members/me/`, the bare signed-in view `/bench/signed-in/` (session and user read, nothing else:
the ceiling of any signed-in page; routed only because the benchmark sets BENCH_VIEWS) and the member's
members' area `/en/members/`, and compares them with the targets: home page at least 50 % of the bare view's
throughput, profile p95 under 150 ms, members' area p95 under 60 ms and at least 25 % of the bare signed-in
view's throughput, each worker under 250 MiB.

`--only signed-in,members-area` measures just those endpoints (keys: bare, home, profile, signed-in,
members-area, home-redis-down, profile-redis-down); `--members N` adds N members to the demo data first (bulk-created as in membership_bench.py),
for pages that count or list members at a realistic size. The report states the data size. The results are printed and written to
`bench-results/http.md` (gunicorn's own log goes to `bench-results/gunicorn.log`). Missing targets do not fail the run (it is a measurement, not a test); a broken
setup or an endpoint that does not answer 200 does.
"""

from __future__ import annotations

import datetime
import http.client
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from http.cookies import SimpleCookie
from pathlib import Path
from typing import BinaryIO

import psycopg
import redis
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = PROJECT_ROOT / "bench-results" / "http.md"
GUNICORN_LOG = PROJECT_ROOT / "bench-results" / "gunicorn.log"
BIN_DIR = Path(sys.executable).parent

# BENCH_DATABASE lets two benchmarks run side by side on one machine (each starts its own Redis).
DATABASE_NAME = os.environ.get("BENCH_DATABASE", "peacekeepers_bench")
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
MEMBER_EMAIL = "amina.diallo@example.org"

WORKERS = 2
CONNECTIONS = 8  # one connection per concurrent user
WRK_THREADS = 2
WARMUP_SECONDS = 3
MEASURE_SECONDS = 15

HOME_TO_BARE_TARGET = 0.50
PROFILE_P95_TARGET_MS = 150.0
MEMBERS_AREA_P95_TARGET_MS = 60.0
MEMBERS_AREA_TO_SIGNED_IN_TARGET = 0.25
WORKER_RSS_TARGET_MIB = 250.0
BUSY_LOAD_AVERAGE = 0.5
BUSY_CPU_SHARE = 0.10
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Variables that switch on services this benchmark does not set up; left out so every run is the same.
UNSET_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "ELASTICSEARCH_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "SQLITE_PATH",
    "CACHE_KEY_PREFIX",
)

# wrk's --latency shows 50/75/90/99 only, so the done() hook prints what we need on one parseable line.
# Each wrk thread has its own Lua state: counters live in the threads and are summed in done().
WRK_SCRIPT = """
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  cache_hits = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  for name, value in pairs(headers) do
    if string.lower(name) == "x-page-cache" and value == "hit" then
      cache_hits = cache_hits + 1
    end
  end
end

function done(summary, latency, requests)
  local non2xx_total, hits_total = 0, 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    hits_total = hits_total + thread:get("cache_hits")
  end
  local errors = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d non2xx=%d cache_hits=%d socket_errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    non2xx_total, hits_total, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


class BenchError(Exception):
    """A setup step failed; the message says what to do."""


@dataclass(frozen=True)
class Endpoint:
    key: str  # for --only
    label: str
    path: str
    logged_in: bool = False
    must_contain: str = ""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    non_2xx: int
    cache_hits: int
    socket_errors: int
    other_cpu_share: float = 0.0  # of all CPUs, used by processes outside the stack and wrk during the run


BARE_VIEW = Endpoint("bare", "bare Django view", "/healthz/", must_contain="ok")
HOME_PAGE = Endpoint("home", "anonymous home page", "/en/")
PROFILE_PAGE = Endpoint(
    "profile", "member's profile page", "/en/members/me/", logged_in=True, must_contain="Edit my profile"
)
SIGNED_IN_VIEW = Endpoint("signed-in", "bare signed-in view", "/bench/signed-in/", logged_in=True, must_contain="ok")
MEMBERS_AREA = Endpoint("members-area", "members' area", "/en/members/", logged_in=True, must_contain="My network")
ENDPOINTS = (BARE_VIEW, HOME_PAGE, PROFILE_PAGE, SIGNED_IN_VIEW, MEMBERS_AREA)
# Measured last, after the benchmark's Redis is stopped: the same pages, rendered without cache.
HOME_PAGE_REDIS_DOWN = replace(HOME_PAGE, key="home-redis-down", label="anonymous home page, Redis stopped")
PROFILE_PAGE_REDIS_DOWN = replace(PROFILE_PAGE, key="profile-redis-down", label="member's profile page, Redis stopped")
REDIS_DOWN_ENDPOINTS = (HOME_PAGE_REDIS_DOWN, PROFILE_PAGE_REDIS_DOWN)
ENDPOINTS = (*ENDPOINTS, *REDIS_DOWN_ENDPOINTS)


def run(command: Sequence[str | Path], *, env: dict[str, str] | None = None) -> str:
    """Run a command from the project root and return its output; on failure raise with its output."""
    completed = subprocess.run(  # noqa: S603 -- fixed commands built in this file, no shell
        [str(part) for part in command],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip()
        raise BenchError(f"`{' '.join(map(str, command))}` failed (exit {completed.returncode}):\n{output}")
    return completed.stdout


class PrivateRedis:
    """A redis-server of the benchmark's own on a free port, keeping nothing on disk; `kill()` stops it by pid."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PrivateRedis:
        server = shutil.which("redis-server")
        if server is None:
            raise BenchError("redis-server is not installed. Install it with `sudo apt-get install -y redis-server`.")
        command = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.1)
        self.kill()
        raise BenchError(f"redis-server did not start on port {self.port}.")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def __exit__(self, *exc_info: object) -> None:
        self.kill()


def bench_environment(*, production: bool, secret_key: str, redis_url: str) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in UNSET_VARIABLES}
    environment.update(
        DJANGO_SECRET_KEY=secret_key,
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL="smtp://127.0.0.1:25",
        SECURE_SSL_REDIRECT="false",  # plain http on 127.0.0.1, no TLS proxy in front
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if production:
        environment["DJANGO_ENV"] = "production"
        environment["BENCH_VIEWS"] = "true"  # routes /bench/signed-in/ (config/urls.py); never set in deployments
    else:
        environment.pop("DJANGO_ENV", None)
    return environment


def check_services() -> None:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        raise BenchError(
            f"PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres ({error}).\n"
            "Start it with `service postgresql start` (or `pg_ctlcluster <version> main start`)."
        ) from error


def find_wrk() -> str:
    """Return the path of wrk, installing Debian's package first when missing and running as root."""
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    apt_get = shutil.which("apt-get")
    if os.geteuid() != 0 or apt_get is None:
        raise BenchError("wrk is not installed. Install it with `sudo apt-get install -y wrk` and run again.")
    print("wrk is missing: running `apt-get update` and `apt-get install -y wrk` …", flush=True)
    apt_environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run([apt_get, "update", "-qq"], env=apt_environment)
    run([apt_get, "install", "-y", "-qq", "wrk"], env=apt_environment)
    wrk = shutil.which("wrk")
    if wrk is None:
        raise BenchError("apt-get installed wrk but it is not on PATH.")
    return wrk


def reset_database() -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        name = sql.Identifier(DATABASE_NAME)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare_site(*, development: dict[str, str], production: dict[str, str]) -> None:
    python = sys.executable
    # collectstatic touches no database, so it runs beside migrate and seed_demo: two cores, half the wait.
    with ThreadPoolExecutor(max_workers=1) as background:
        # The manifest storage exists only in production, so collectstatic runs with production settings.
        static_files = background.submit(run, [python, "manage.py", "collectstatic", "--noinput"], env=production)
        run([python, "manage.py", "migrate", "--noinput"], env=development)
        run([python, "manage.py", "seed_demo", "--quiet-passwords"], env=development)
        static_files.result()


def add_members(count: int, development: dict[str, str]) -> None:
    """Bulk-create `count` more members, as the membership benchmark does."""
    code = (
        "import random\n"
        "from tests.bench.membership_bench import create_directory_members\n"
        f"create_directory_members({count}, random.Random(2014))\n"
    )
    run([sys.executable, "manage.py", "shell", "-c", code], env=development)


DATA_QUERIES = {
    "members": "SELECT count(*) FROM network_member",
    "listed in the directory": "SELECT count(*) FROM network_member WHERE network_sees_any "
    "AND category IN ('active', 'civilian', 'honorary')",
    "messages": "SELECT count(*) FROM network_membermessage",
    "advocacy actions": "SELECT count(*) FROM network_advocacyaction",
    "pages": "SELECT count(*) FROM wagtailcore_page",
}


def data_size() -> dict[str, int]:
    """Row counts of the tables the measured pages read, for the report."""
    with psycopg.connect(DATABASE_URL.replace("postgres://", "postgresql://")) as connection:
        return {label: connection.execute(query).fetchone()[0] for label, query in DATA_QUERIES.items()}


def create_member_session(production: dict[str, str]) -> dict[str, str]:
    """Log the demo member in and return the session cookie; the server must share its secret key."""
    code = (
        "from django.conf import settings\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "client = Client()\n"
        f"client.force_login(get_user_model().objects.get(email={MEMBER_EMAIL!r}))\n"
        "name = settings.SESSION_COOKIE_NAME\n"
        "print(f'SESSION-COOKIE {name} {client.cookies[name].value}')\n"
    )
    output = run([sys.executable, "manage.py", "shell", "-c", code], env=production)
    for line in output.splitlines():
        if line.startswith("SESSION-COOKIE "):
            _marker, name, value = line.split(" ", 2)
            return {name: value}
    raise BenchError(f"No session cookie in the output of `manage.py shell`:\n{output}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def http_get(port: int, path: str, cookies: dict[str, str]) -> tuple[int, dict[str, str], str, dict[str, str]]:
    """GET without following redirects; return status, headers (lower-case names), body and new cookies."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie_header(cookies)} if cookies else {})
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        headers = {name.lower(): value for name, value in response.getheaders()}
        set_cookies: dict[str, str] = {}
        for raw in response.headers.get_all("Set-Cookie") or []:
            set_cookies.update({name: morsel.value for name, morsel in SimpleCookie(raw).items()})
        return response.status, headers, body, set_cookies
    finally:
        connection.close()


class GunicornServer:
    """gunicorn as a child process; use it as a context manager so it is always stopped."""

    def __init__(self, environment: dict[str, str], port: int) -> None:
        self.environment = environment
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        self.log_file: BinaryIO | None = None

    def __enter__(self) -> GunicornServer:
        gunicorn = BIN_DIR / "gunicorn"
        if not gunicorn.exists():
            raise BenchError(f"{gunicorn} not found: run `make venv` first.")
        GUNICORN_LOG.parent.mkdir(exist_ok=True)
        self.log_file = GUNICORN_LOG.open("wb")
        command = [
            str(gunicorn),
            "config.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{self.port}",
            "--log-level=warning",
        ]
        # A session of its own, so a Ctrl-C in the terminal reaches this script, which then stops gunicorn.
        self.process = subprocess.Popen(  # noqa: S603 -- fixed command, no shell
            command,
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_until_ready()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log_file is not None:
            self.log_file.close()

    def _wait_until_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                if http_get(self.port, BARE_VIEW.path, {})[0] == 200 and len(self.worker_pids()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer {BARE_VIEW.path} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if self.log_file is not None:
            self.log_file.flush()
        text = GUNICORN_LOG.read_text(errors="replace") if GUNICORN_LOG.exists() else ""
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"

    def worker_pids(self) -> list[int]:
        """The master's children."""
        assert self.process is not None
        return sorted(process.pid for process in list_processes() if process.parent_pid == self.process.pid)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the stack under test: gunicorn, Redis and this database's backends."""
        assert self.process is not None
        master = self.process.pid
        return sum(
            process.cpu_seconds
            for process in list_processes()
            if master in (process.pid, process.parent_pid)
            or process.name == "redis-server"
            or (process.name == "postgres" and DATABASE_NAME in process.command_line())
        )


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    parent_pid: int
    name: str
    cpu_seconds: float

    def command_line(self) -> str:
        try:
            return Path(f"/proc/{self.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return ""


def list_processes() -> list[ProcessInfo]:
    processes = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = stat_file.read_text()
        except OSError:
            continue  # the process ended while we were looking
        # The name in parentheses may contain spaces or parentheses; the fields after the last ")" are fixed:
        # state, ppid, … and utime, stime (in clock ticks) at positions 11 and 12.
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 1 :].split()
        cpu_ticks = int(fields[11]) + int(fields[12])
        processes.append(ProcessInfo(int(stat_file.parent.name), int(fields[1]), name, cpu_ticks / CLOCK_TICKS))
    return processes


def machine_cpu_seconds() -> float:
    """CPU time spent on every core by every process since boot (the first line of /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq = map(int, Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / CLOCK_TICKS


def children_cpu_seconds() -> float:
    """CPU time of this script's finished subprocesses, which during a load run means wrk."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def resident_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024  # reported in kB
    raise BenchError(f"No VmRSS for process {pid}.")


def verify_endpoint(port: int, endpoint: Endpoint, cookies: dict[str, str]) -> dict[str, str]:
    """Fail loudly unless the endpoint answers 200 with the expected page; return the cookies to load it with.

    It is requested twice, keeping cookies it sets (a CSRF cookie, say) as a browser would, so the load
    run sees the steady state: for the home page, a response from the anonymous page cache.
    """
    cookies = dict(cookies)
    for _request in range(2):
        try:
            status, headers, body, set_cookies = http_get(port, endpoint.path, cookies)
        except OSError as error:
            raise BenchError(f"GET {endpoint.path} failed: {error!r}") from error
        if status != 200:
            where = f" (redirected to {headers['location']})" if "location" in headers else ""
            raise BenchError(f"GET {endpoint.path} answered {status}{where}; expected 200.")
        if endpoint.must_contain and endpoint.must_contain not in body:
            raise BenchError(f"GET {endpoint.path} answered 200 but without {endpoint.must_contain!r}.")
        cookies.update(set_cookies)
    if endpoint == HOME_PAGE and headers.get("x-page-cache") != "hit":
        print(
            f"  WARNING: the second GET {endpoint.path} was not served from the page cache "
            f"(X-Page-Cache: {headers.get('x-page-cache', 'absent')}).",
            flush=True,
        )
    return cookies


def run_wrk(wrk: str, script: Path, port: int, endpoint: Endpoint, cookies: dict[str, str], seconds: int) -> LoadResult:
    command = [
        wrk,
        f"--threads={WRK_THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--script={script}",
    ]
    if cookies:
        command += ["--header", f"Cookie: {cookie_header(cookies)}"]
    output = run([*command, f"http://127.0.0.1:{port}{endpoint.path}"])
    for line in output.splitlines():
        if line.startswith("BENCH-RESULT "):
            values = {key: int(value) for key, value in (pair.split("=") for pair in line.split()[1:])}
            return LoadResult(
                requests=values["requests"],
                requests_per_second=values["requests"] / (values["duration_us"] / 1e6),
                p50_ms=values["p50_us"] / 1000,
                p95_ms=values["p95_us"] / 1000,
                non_2xx=values["non2xx"],
                cache_hits=values["cache_hits"],
                socket_errors=values["socket_errors"],
            )
    raise BenchError(f"wrk printed no BENCH-RESULT line:\n{output}")


def measure(server: GunicornServer, load_run: Callable[[], LoadResult]) -> LoadResult:
    """Run the load and note how much CPU processes outside the stack and wrk took meanwhile.

    On a shared machine (CI, a laptop compiling something) that share explains low or scattered numbers.
    """
    started = (time.monotonic(), machine_cpu_seconds(), server.cpu_seconds(), children_cpu_seconds())
    result = load_run()
    ended = (time.monotonic(), machine_cpu_seconds(), server.cpu_seconds(), children_cpu_seconds())
    wall, machine, stack, wrk = (end - start for start, end in zip(started, ended, strict=True))
    other_share = max(machine - stack - wrk, 0.0) / (wall * (os.cpu_count() or 1))
    return replace(result, other_cpu_share=other_share)


def load_average() -> float:
    """The one-minute load average: other work on the machine lowers and scatters the results."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def git_revision() -> str:
    try:
        revision = run(["git", "rev-parse", "--short", "HEAD"]).strip()
        dirty = run(["git", "status", "--porcelain", "--untracked-files=no"]).strip()
    except (BenchError, OSError):
        return "unknown"
    return f"{revision}{' (with uncommitted changes)' if dirty else ''}"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(
    results: dict[Endpoint, LoadResult], worker_rss: dict[int, float], *, load_before: float, data: dict[str, int]
) -> str:
    lines = [
        "# HTTP benchmark",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC · revision {git_revision()} · "
        f"{platform.node()} ({os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {load_before:.1f} before the run)",
        "",
        f"gunicorn, {WORKERS} sync workers, DJANGO_ENV=production, PostgreSQL + Redis on 127.0.0.1 · "
        f"wrk {WRK_THREADS} threads, {CONNECTIONS} connections, {WARMUP_SECONDS} s warm-up + "
        f"{MEASURE_SECONDS} s per endpoint",
        "",
        "Data: " + ", ".join(f"{count:,} {label}" for label, count in data.items()) + f"; signed in as {MEMBER_EMAIL}",
        "",
        "| endpoint | requests/s | p50 ms | p95 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for endpoint, result in results.items():
        lines.append(
            f"| {endpoint.label} `{endpoint.path}` | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} | "
            f"{result.p95_ms:.1f} | {result.non_2xx} |"
        )
    largest_rss = max(worker_rss.values())
    rss_list = ", ".join(f"{rss:.0f} MiB (pid {pid})" for pid, rss in worker_rss.items())
    lines += ["", "## Targets", ""]
    if BARE_VIEW in results and HOME_PAGE in results:
        bare, home = results[BARE_VIEW], results[HOME_PAGE]
        ratio = home.requests_per_second / bare.requests_per_second
        lines.append(
            f"- anonymous home page / bare view throughput: {ratio:.0%} (target ≥ {HOME_TO_BARE_TARGET:.0%}) — "
            f"{verdict(ratio >= HOME_TO_BARE_TARGET)}; {home.cache_hits / max(home.requests, 1):.0%} of "
            "home page responses came from the page cache"
        )
    if PROFILE_PAGE in results:
        profile = results[PROFILE_PAGE]
        lines.append(
            f"- member's profile page p95 at {CONNECTIONS} concurrent users: {profile.p95_ms:.1f} ms "
            f"(target < {PROFILE_P95_TARGET_MS:.0f} ms) — {verdict(profile.p95_ms < PROFILE_P95_TARGET_MS)}"
        )
    if MEMBERS_AREA in results:
        area = results[MEMBERS_AREA]
        lines.append(
            f"- members' area p95 at {CONNECTIONS} concurrent users: {area.p95_ms:.1f} ms "
            f"(target < {MEMBERS_AREA_P95_TARGET_MS:.0f} ms) — {verdict(area.p95_ms < MEMBERS_AREA_P95_TARGET_MS)}"
        )
        if SIGNED_IN_VIEW in results:
            ratio = area.requests_per_second / results[SIGNED_IN_VIEW].requests_per_second
            lines.append(
                f"- members' area / bare signed-in view throughput: {ratio:.0%} "
                f"(target ≥ {MEMBERS_AREA_TO_SIGNED_IN_TARGET:.0%}) — "
                f"{verdict(ratio >= MEMBERS_AREA_TO_SIGNED_IN_TARGET)}"
            )
    lines.append(
        f"- gunicorn worker RSS after the run: {rss_list} (target < {WORKER_RSS_TARGET_MIB:.0f} MiB each) — "
        f"{verdict(largest_rss < WORKER_RSS_TARGET_MIB)}"
    )
    if all(endpoint in results for endpoint in (HOME_PAGE, PROFILE_PAGE, *REDIS_DOWN_ENDPOINTS)):
        home, profile = results[HOME_PAGE], results[PROFILE_PAGE]
        down_home, down_profile = results[HOME_PAGE_REDIS_DOWN], results[PROFILE_PAGE_REDIS_DOWN]
        down_errors = down_home.non_2xx + down_profile.non_2xx + down_home.socket_errors + down_profile.socket_errors
        lines.append(
            f"- Redis stopped: {down_errors} non-2xx responses or connection errors (target 0) — "
            f"{verdict(down_errors == 0)}; home page at "
            f"{down_home.requests_per_second / home.requests_per_second:.0%} and profile at "
            f"{down_profile.requests_per_second / profile.requests_per_second:.0%} of their throughput with Redis"
        )
    shares = ", ".join(f"{endpoint.path} {result.other_cpu_share:.0%}" for endpoint, result in results.items())
    lines += ["", f"CPU taken by other processes during the measured runs (share of {os.cpu_count()} CPUs): {shares}."]
    if any(result.other_cpu_share >= BUSY_CPU_SHARE for result in results.values()):
        lines.append("Other work competed with the benchmark: those numbers are low and noisy; run it again when idle.")
    socket_errors = {endpoint: result.socket_errors for endpoint, result in results.items() if result.socket_errors}
    if socket_errors:
        counts = ", ".join(f"{endpoint.path} {count}" for endpoint, count in socket_errors.items())
        lines += ["", f"Connection errors and timeouts reported by wrk (not in the table): {counts}."]
    return "\n".join(lines) + "\n"


def parse_arguments(argv: Sequence[str]):
    import argparse

    parser = argparse.ArgumentParser(description="HTTP benchmark (see the module docstring).")
    keys = [endpoint.key for endpoint in ENDPOINTS]
    parser.add_argument("--only", default=",".join(keys), help=f"comma-separated endpoints among {', '.join(keys)}")
    parser.add_argument("--members", type=int, default=0, help="members to add to the demo data first")
    arguments = parser.parse_args(argv)
    wanted = [key.strip() for key in arguments.only.split(",") if key.strip()]
    if unknown := set(wanted) - set(keys):
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    arguments.endpoints = tuple(endpoint for endpoint in ENDPOINTS if endpoint.key in wanted)
    return arguments


def main(argv: Sequence[str] = ()) -> int:
    arguments = parse_arguments(argv)
    endpoints = arguments.endpoints
    started = time.monotonic()
    load_before = load_average()
    if load_before >= BUSY_LOAD_AVERAGE:
        print(
            f"Note: the machine is busy (load average {load_before:.1f} on {os.cpu_count()} CPUs); "
            "expect lower, noisier numbers than on an idle machine.",
            flush=True,
        )
    try:
        print("Checking PostgreSQL, Redis and wrk …", flush=True)
        check_services()
        wrk = find_wrk()
        secret_key = secrets.token_urlsafe(48)  # 64 characters, new for every run
        results: dict[Endpoint, LoadResult] = {}
        with PrivateRedis() as private_redis, tempfile.TemporaryDirectory(prefix="http-bench-") as scratch:
            development = bench_environment(production=False, secret_key=secret_key, redis_url=private_redis.url)
            production = bench_environment(production=True, secret_key=secret_key, redis_url=private_redis.url)
            print(f"Recreating database {DATABASE_NAME}, migrating and seeding (Redis on port {private_redis.port}) …")
            preparing = time.monotonic()
            reset_database()
            prepare_site(development=development, production=production)
            if arguments.members:
                print(f"  adding {arguments.members:,} members …", flush=True)
                add_members(arguments.members, development)
            data = data_size()
            member_cookies = create_member_session(production)
            print(f"  ready in {time.monotonic() - preparing:.0f} s", flush=True)

            script = Path(scratch) / "report.lua"
            script.write_text(WRK_SCRIPT)
            port = free_port()
            print(f"Starting gunicorn ({WORKERS} workers) on 127.0.0.1:{port} …", flush=True)
            with GunicornServer(production, port) as server:
                for number, endpoint in enumerate(endpoints, start=1):
                    if endpoint in REDIS_DOWN_ENDPOINTS and private_redis.process is not None:
                        print("Stopping the benchmark's Redis (SIGKILL) …", flush=True)
                        private_redis.kill()
                        private_redis.process = None
                    print(f"[{number}/{len(endpoints)}] {endpoint.label} ({endpoint.path}) …", flush=True)
                    cookies = verify_endpoint(port, endpoint, member_cookies if endpoint.logged_in else {})
                    run_wrk(wrk, script, port, endpoint, cookies, WARMUP_SECONDS)
                    load_run = partial(run_wrk, wrk, script, port, endpoint, cookies, MEASURE_SECONDS)
                    results[endpoint] = measure(server, load_run)
                worker_rss = {pid: resident_memory_mib(pid) for pid in server.worker_pids()}
                if len(worker_rss) != WORKERS:
                    raise BenchError(
                        f"Expected {WORKERS} gunicorn workers, found {len(worker_rss)}:\n{server.log_tail()}"
                    )
    except BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 1

    text = report(results, worker_rss, load_before=load_before, data=data)
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(PROJECT_ROOT)} in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
