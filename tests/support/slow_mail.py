"""An email backend for the worker-killed test: it writes a marker when delivery starts, then waits before
writing the message, so the test can kill the worker in the middle of a delivery."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class SlowFileBackend(FileBackend):
    def send_messages(self, email_messages):
        marker = Path(os.environ["SLOW_MAIL_MARKER"])
        marker.write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "3")))
        return super().send_messages(email_messages)
