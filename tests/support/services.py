"""Real services for the outage tests: a private redis-server and a Celery worker process, each started on
demand and stopped by its process id mid-test (a real fault, not a mock)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 20.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class RedisServer:
    """A redis-server of its own on a free port, keeping nothing on disk; `stop()` kills it by its pid."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for(self._answers, timeout=10):
            self.stop()
            raise RuntimeError(f"redis-server did not start on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def pause(self) -> None:
        """Freeze the server (SIGSTOP), as a partition or a stalled host would: it keeps its data."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        """Kill the server by its process id, as a crash would, and wait until its port is closed."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class WorkerProcess:
    """A Celery worker in its own process, using the test database, the given broker and a settings module.

    Emails it delivers are written as files to `mail_dir` (EMAIL_URL=file://…), so the test reads what left.
    """

    def __init__(self, broker_url: str, *, mail_dir: Path, extra_env=None):
        self.broker_url = broker_url
        self.mail_dir = mail_dir
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        database = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/"
                f"{database['NAME']}"
            ),
            "REDIS_URL": self.broker_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"file://{self.mail_dir}",
            **self.extra_env,
        }
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def kill(self) -> None:
        """SIGKILL, as the out-of-memory killer or a lost host would: no clean shutdown, no acknowledgement."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def delivered(self) -> list[str]:
        """The messages the worker wrote, as text."""
        return [path.read_text(errors="replace") for path in sorted(self.mail_dir.glob("*.log"))]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()


def point_celery_at(app, broker_url: str | None) -> None:
    """Send the test process's tasks to `broker_url` (None: back to the configured broker)."""
    app.conf.broker_url = broker_url or settings.CELERY_BROKER_URL
    # Forget the pools made for the previous broker.
    app._pool = None
    app.amqp._producer_pool = None
