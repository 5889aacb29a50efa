"""Settings for a Celery worker started by the outage tests (tests/support/services.py)."""

import os

from config.settings import *  # noqa: F403

if os.environ.get("SLOW_MAIL_MARKER"):
    # Deliveries wait before writing, so a test can kill the worker in the middle of one.
    EMAIL_DELIVERY_BACKEND = "tests.support.slow_mail.SlowFileBackend"
if os.environ.get("BROKER_VISIBILITY_TIMEOUT"):
    # Redis hands an unacknowledged task to a worker again after this long (an hour in production).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["BROKER_VISIBILITY_TIMEOUT"]),
    }
