"""Small helpers the browser tests share."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page


def on_path(path: str) -> re.Pattern:
    """Matches `path` on the live server, with or without a query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret`.

    allauth accepts only the current time step, so near the end of a step wait for the next one rather
    than send a code that may expire on its way to the server.
    """
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 2:
        time.sleep(remaining + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def field(page: Page, label: str):
    """The input labelled `label`, whether or not the form puts a colon after its labels."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))
