import os
from collections.abc import Callable

import pytest

from campaigns.demo import seed_campaigns_demo
from cms.demo import HOME, seed_content_pages
from cms.models import CampaignPage, HomePage, JoinPage, StatisticsPage, StoryPage
from cms.services import ensure_home_pages
from tests.conftest import require_service

# Playwright's sync API runs an event loop in the test thread, so Django would refuse the ORM calls the
# test itself makes (factories, checks on the database) without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed():
    require_service("Chromium", os.path.exists(CHROMIUM), "apt-get install -y chromium")


@pytest.fixture(scope="session", autouse=True)
def _test_thread_keeps_its_database_connections(request, django_db_setup):
    """Keep the test thread on the database connections the test database was set up with.

    Once Playwright's sync API has started, the test thread looks as if an event loop were running in it, and
    Django then keeps a second, separate set of connections for "async" code. Test code would open fresh
    connections that lack the serialized copy of the migrated database, so `serialized_rollback` could not
    restore what the migrations created (Wagtail's root page, the admin-access permission) after the flush
    that ends every transactional test.
    """
    from django.db import connections

    before_playwright = {alias: connections[alias] for alias in connections}
    request.getfixturevalue("playwright")
    for alias, connection in before_playwright.items():
        connections[alias] = connection


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, _chromium_installed):
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


@pytest.fixture
def demo_site(settings, tmp_path):
    """The demo's content pages in both languages, with the campaigns' demo data (no demo accounts)."""
    settings.MEDIA_ROOT = tmp_path
    ensure_home_pages(HOME, site_name="Peacekeepers Network")
    seed_campaigns_demo()
    seed_content_pages()
    return {
        "home": HomePage.objects.get(locale__language_code="en"),
        "story_fr": StoryPage.objects.live().filter(locale__language_code="fr").order_by("-date").first(),
        "story_en": StoryPage.objects.live().filter(locale__language_code="en").order_by("-date").first(),
        "campaign": CampaignPage.objects.get(locale__language_code="en", slug="race-to-2014"),
        "statistics": StatisticsPage.objects.get(locale__language_code="en"),
        "join": JoinPage.objects.get(locale__language_code="en"),
    }
