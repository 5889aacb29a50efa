import os
from collections.abc import Callable

import pytest

from tests.conftest import require_service

# Playwright's sync API runs an event loop in the test thread, so Django would refuse the ORM calls the
# test itself makes (factories, checks on the database) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _chromium_installed():
    require_service("Chromium", os.path.exists(CHROMIUM), "apt-get install -y chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium rather than a browser fetched by `playwright install`; the flags let it run in a
    # container (no sandbox, small /dev/shm, no GPU) and keep it from calling home.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def url(live_server) -> Callable[[str], str]:
    """url("/en/accounts/login/") → that path on the live server."""
    return lambda path: f"{live_server.url}{path}"
