"""The site through real outages: a private redis-server killed or frozen by its process id, a Celery worker
killed mid-delivery, PostgreSQL replaced by a closed port."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from cms.models import StoryPage
from config.celery import app as celery_app
from network import resilient_cache, tasks_queue
from network.choices import EmailState
from network.models import OutboundEmail
from tests.conftest import require_service
from tests.support.services import ROOT, RedisServer, WorkerProcess, free_port, point_celery_at, wait_for

DEMO_MEMBER = "amina.diallo@example.org"  # a network member in the demo
DEMO_PASSWORD = "peacekeepers-demo-2014"
LOGIN = "/en/accounts/login/"


@pytest.fixture
def redis_server():
    require_service("redis-server", RedisServer.available(), "install Debian's redis-server")
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def site_on_redis(settings, redis_server, monkeypatch):
    """The site's cache and sessions on the private Redis, as in production (REDIS_URL set)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "network.resilient_cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "outage-test",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # The pause after a failure is 5 s in production; short here, so a test sees Redis come back quickly.
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER_SECONDS", 0.3)
    yield redis_server


@pytest.fixture
def broker_on_redis(redis_server, settings):
    """Tasks the test process queues go to the private Redis, as to the real broker; email is stored and
    queued as on the site (pytest-django would otherwise keep it in memory)."""
    settings.EMAIL_BACKEND = "network.mail.QueuedEmailBackend"
    point_celery_at(celery_app, redis_server.url)
    celery_app.conf.task_always_eager = False
    tasks_queue._paused_until = 0.0
    yield redis_server
    celery_app.conf.task_always_eager = True
    point_celery_at(celery_app, None)
    tasks_queue._paused_until = 0.0


def log_in(client, email=DEMO_MEMBER, password=DEMO_PASSWORD):
    response = client.post(LOGIN, {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


@pytest.mark.django_db
def test_pages_answer_and_members_stay_signed_in_while_redis_is_down(site_on_redis):
    call_command("seed_demo", quiet_passwords=True)
    story = StoryPage.objects.live().filter(locale__language_code="en").first()
    member = Client()
    log_in(member)
    assert member.get("/en/members/me/").status_code == 200

    site_on_redis.stop()

    visitor = Client()
    started = time.monotonic()
    for path in ("/en/", "/fr/", story.url, "/en/campaigns/race-to-2014/", LOGIN, "/fr/accounts/login/"):
        response = visitor.get(path)
        assert response.status_code == 200, path
    profile = member.get("/en/members/me/")
    assert profile.status_code == 200
    assert "Amina Diallo" in profile.content.decode()
    directory = member.get("/en/members/directory/")
    assert directory.status_code == 200
    assert "Grace" in directory.content.decode()
    # Redis is not waited for on every request: the whole walk stays quick.
    assert time.monotonic() - started < 15


@pytest.mark.django_db
def test_member_can_sign_in_while_redis_is_down(site_on_redis):
    call_command("seed_demo", quiet_passwords=True)
    site_on_redis.stop()

    client = Client()
    log_in(client)
    assert "Amina Diallo" in client.get("/en/members/me/").content.decode()


@pytest.mark.django_db
def test_login_rate_limit_stops_a_brute_force_while_redis_is_down(site_on_redis):
    call_command("seed_demo", quiet_passwords=True)
    site_on_redis.stop()

    client = Client()
    for _ in range(5):
        page = client.post(LOGIN, {"login": DEMO_MEMBER, "password": "a wrong guess"}).content.decode()
        assert "are not correct" in page
    # The limit is counted in the process while Redis is away: even the right password is refused now.
    response = client.post(LOGIN, {"login": DEMO_MEMBER, "password": DEMO_PASSWORD})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert client.get("/en/members/me/").status_code == 302


@pytest.mark.django_db
def test_session_ended_during_an_outage_stays_ended_when_redis_returns(site_on_redis):
    call_command("seed_demo", quiet_passwords=True)
    member = Client()
    log_in(member)
    assert member.get("/en/members/me/").status_code == 200
    old_cookie = member.cookies["sessionid"].value

    # A frozen Redis keeps its data (the cached copy of this session) while it does not answer.
    site_on_redis.pause()
    try:
        member.post("/en/accounts/logout/")
        assert member.get("/en/members/me/").status_code == 302
    finally:
        site_on_redis.resume()
    time.sleep(0.5)

    # Redis answers again with the old copy of the session: it must not sign anyone back in.
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    response = replay.get("/en/members/me/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_outage_is_reported_once_not_per_request(site_on_redis, caplog, monkeypatch):
    call_command("seed_demo", quiet_passwords=True)
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER_SECONDS", 0.0)  # every request tries Redis again
    site_on_redis.stop()
    visitor = Client()
    with caplog.at_level("WARNING", logger="network.resilient_cache"):
        for _ in range(5):
            assert visitor.get("/en/").status_code == 200
    reports = [record for record in caplog.records if record.name == "network.resilient_cache"]
    assert len(reports) == 1
    assert "unreachable" in reports[0].getMessage()


@pytest.mark.django_db
def test_liveness_touches_neither_database_nor_cache(client, site_on_redis, django_assert_num_queries):
    site_on_redis.stop()
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readiness_says_degraded_when_redis_is_down(client, site_on_redis):
    ready = client.get("/healthz/ready/")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    assert ready.json()["checks"]["cache"] == "ok"

    site_on_redis.stop()
    ready = client.get("/healthz/ready/")
    assert ready.status_code == 200
    body = ready.json()
    assert body == {"status": "degraded", "checks": {"database": "ok", "cache": "down", "broker": "inline"}}
    assert "redis://" not in ready.content.decode()


# --- the broker and the worker ------------------------------------------------------------------------------


def signup(client, email: str):
    return client.post(
        "/en/accounts/signup/",
        {
            "first_name": "Nadia",
            "last_name": "Haddad",
            "email": email,
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "agree_terms": "on",
        },
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_signup_email_during_redis_outage_is_delivered_once_when_it_returns(
    site_on_redis, broker_on_redis, site, tmp_path
):
    site_on_redis.stop()
    started = time.monotonic()
    response = signup(Client(), "nadia.haddad@example.org")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert time.monotonic() - started < 5  # the request did not wait for the broker
    email = OutboundEmail.objects.get(to=["nadia.haddad@example.org"])
    assert email.state == EmailState.QUEUED

    RedisServer(port=site_on_redis.port).start()
    with WorkerProcess(site_on_redis.url, mail_dir=tmp_path) as worker:
        # What the beat does every few minutes: queue again what still waits.
        tasks_queue._paused_until = 0.0
        assert tasks_queue.send_task_now("network.tasks.retry_unsent_emails", 0)
        assert wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).state == EmailState.SENT, timeout=60)
        # The beat runs again: nothing more is sent.
        assert tasks_queue.send_task_now("network.tasks.retry_unsent_emails", 0)
        time.sleep(3)
        delivered = worker.delivered()
    assert len(delivered) == 1
    assert "nadia.haddad@example.org" in delivered[0]
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_delivery_email_arrives_exactly_once(broker_on_redis, tmp_path):
    marker = tmp_path / "delivery-started"
    slow = WorkerProcess(
        broker_on_redis.url,
        mail_dir=tmp_path,
        extra_env={"SLOW_MAIL_MARKER": str(marker), "SLOW_MAIL_SECONDS": "60"},
    ).start()
    try:
        with transaction.atomic():
            send_mail("Your access request", "It was approved.", None, ["fatou@example.org"])
        email = OutboundEmail.objects.get()
        assert wait_for(marker.exists, timeout=60), "the worker never started delivering"
    finally:
        slow.kill()  # in the middle of the delivery: the message is neither sent nor acknowledged
    assert wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).state == EmailState.QUEUED, timeout=10)
    assert list(tmp_path.glob("*.log")) == []

    # A new worker: Redis hands it the unacknowledged task after the visibility timeout, and the beat job
    # queues the waiting email as well; it is delivered once.
    with WorkerProcess(broker_on_redis.url, mail_dir=tmp_path, extra_env={"BROKER_VISIBILITY_TIMEOUT": "3"}) as worker:
        assert tasks_queue.send_task_now("network.tasks.retry_unsent_emails", 0)
        assert wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).state == EmailState.SENT, timeout=60)
        time.sleep(8)  # long enough for the redelivered original task to run too
        delivered = worker.delivered()
    assert len(delivered) == 1
    assert "fatou@example.org" in delivered[0]


@pytest.mark.django_db
def test_queueing_a_task_with_the_broker_down_keeps_the_request_fast_and_the_row(site_on_redis, broker_on_redis):
    broker_on_redis.stop()
    started = time.monotonic()
    with transaction.atomic():
        send_mail("Renewal", "Your membership ends soon.", None, ["member@example.org"])
    assert time.monotonic() - started < 3
    assert OutboundEmail.objects.get().state == EmailState.QUEUED


# --- PostgreSQL gone ----------------------------------------------------------------------------------------

DATABASE_DOWN_SCRIPT = """
import json, time
import django
django.setup()
from django.test import Client
from django.urls import get_resolver
get_resolver().url_patterns  # imported once, as a started worker has: the timing is of the failure, not of imports
client = Client(raise_request_exception=False)
result = {"pages": []}
for path in ["/en/", "/fr/", "/en/campaigns/", "/en/accounts/login/", "/en/"]:
    started = time.monotonic()
    response = client.get(path)
    result["pages"].append({"path": path, "status": response.status_code, "seconds": time.monotonic() - started,
                            "retry_after": response.get("Retry-After"), "body": response.content.decode()})
result["healthz"] = client.get("/healthz/").status_code
ready = client.get("/healthz/ready/")
result["ready"] = [ready.status_code, json.loads(ready.content)]
print("RESULT" + json.dumps(result))
"""


def test_database_unreachable_gives_branded_503_fast_and_one_error_report():
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "CELERY_BROKER_URL", "CI")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone",  # nothing listens there
            "DJANGO_DEBUG": "false",
        }
    )
    run = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.split("RESULT", 1)[1])
    for page in result["pages"]:
        assert page["status"] == 503, page["path"]
        assert page["seconds"] < 2, page
        assert page["retry_after"] == "30"
        assert "The site is briefly unavailable" in page["body"]
        assert "Le site est momentanément indisponible" in page["body"]
        assert "Traceback" not in page["body"] and "OperationalError" not in page["body"]
    assert result["healthz"] == 200
    assert result["ready"] == [
        503,
        {"status": "down", "checks": {"database": "down", "cache": "local", "broker": "inline"}},
    ]
    # Five failed requests, one report of the outage.
    assert run.stderr.count("Service Unavailable:") == 1, run.stderr[-3000:]
