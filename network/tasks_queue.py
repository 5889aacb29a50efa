"""Services queue Celery tasks by name through `queue_task`, never by importing a tasks module.

Tasks import the services they call; if services imported tasks back, each would need the other to load
first. By name, the dependency runs one way.

The database row is the truth and the queued task only a wake-up. The task is sent once the surrounding
transaction commits, so a worker never looks for a row that is not there yet; and a broker that cannot be
reached never fails the request: the failure is logged (once a minute) and the row waits for the beat job
that finds such rows (`retry_unsent_emails`, `resume_waiting_imports`, ...). Every task is safe to run twice,
so a wake-up sent both by the request and by the beat job does its work once.
"""

import logging
import threading
import time
from functools import partial

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failed send, later sends wait this long before trying the broker again (requests stay fast).
PAUSE_AFTER_FAILURE_SECONDS = 10.0
WARNING_INTERVAL_SECONDS = 60.0

_state_lock = threading.Lock()
_paused_until = 0.0
_last_warning = 0.0


def queue_task(name: str, *args) -> None:
    """Queue the task registered as `name` (e.g. "network.tasks.deliver_email") when the transaction commits."""
    transaction.on_commit(partial(send_task_now, name, *args))


def send_task_now(name: str, *args) -> bool:
    """Send the task now; False when the broker could not take it (the beat job will queue it again)."""
    global _paused_until, _last_warning
    app = current_app
    if app.conf.task_always_eager:
        # Inline (no broker configured, and in tests): the task runs here, its errors propagate.
        app.loader.import_default_modules()
        app.tasks[name].apply_async(args=args)
        return True
    if time.monotonic() < _paused_until:
        return False
    try:
        app.send_task(name, args=args, ignore_result=True)
    except (BrokerError, RedisError, OSError) as error:
        now = time.monotonic()
        with _state_lock:
            _paused_until = now + PAUSE_AFTER_FAILURE_SECONDS
            warn = now - _last_warning >= WARNING_INTERVAL_SECONDS or not _last_warning
            if warn:
                _last_warning = now
        if warn:
            logger.warning(
                "Task broker unreachable (%s: %s); %s waits for its beat job.", type(error).__name__, error, name
            )
        return False
    return True
